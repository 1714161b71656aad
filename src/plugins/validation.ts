import fp from 'fastify-plugin'
import { Ajv, type Options } from 'ajv'
import { sharedSchemas } from '../schemas/index.js'

/**
 * Two Ajv instances: query strings, params and headers arrive as text and are coerced to their types;
 * JSON bodies are validated as sent (no coercion: `5` is not the string "5", `0` is not null) and an
 * unknown field is an error, never silently dropped.
 */
export default fp(async function validation (app) {
  const base: Options = { useDefaults: true, removeAdditional: false, allErrors: true, strict: false }
  const coercing = new Ajv({ ...base, coerceTypes: 'array' })
  const strict = new Ajv({ ...base, coerceTypes: false })
  for (const schema of sharedSchemas) {
    coercing.addSchema(schema)
    strict.addSchema(schema)
  }
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema))
}, { name: 'validation' })
