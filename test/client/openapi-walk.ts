import { createRequire } from 'node:module'
import { join, dirname } from 'node:path'

/** Walking vi-bff's OpenAPI document in tests: operations, `$ref`s, and Swagger UI's own example generator. */

export type Json = Record<string, any>

export interface Op { path: string, method: string, op: Json }

const METHODS = new Set(['get', 'head', 'post', 'put', 'patch', 'delete', 'options', 'trace'])

export function operations (doc: Json): Op[] {
  return Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.entries(item).filter(([method]) => METHODS.has(method)).map(([method, op]) => ({ path, method, op: op as Json })))
}

/** A copy of `value` with every local `$ref` replaced by what it points at (vi-bff's schemas are not recursive). */
export function deref (doc: Json, value: unknown): any {
  if (Array.isArray(value)) return value.map(v => deref(doc, v))
  if (!value || typeof value !== 'object') return value
  const { $ref, ...rest } = value as Json
  const out: Json = {}
  if (typeof $ref === 'string') {
    const target = $ref.replace(/^#\//, '').split('/').reduce((node: any, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
    if (target === undefined) throw new Error(`unresolved ${$ref}`)
    Object.assign(out, deref(doc, target))
  }
  for (const [k, v] of Object.entries(rest)) out[k] = deref(doc, v)
  return out
}

interface SwaggerUiSamples { sampleFromSchema: (schema: Json) => unknown }

let samples: SwaggerUiSamples | undefined

/**
 * The request body Swagger UI pre-fills for a schema: its own JSON Schema 2020-12 sample generator (the one
 * OpenAPI 3.1 documents use), loaded from the bundle @fastify/swagger-ui serves.
 */
export function swaggerUiSample (schema: Json): unknown {
  if (!samples) {
    const require = createRequire(import.meta.url)
    const bundle = require(join(dirname(require.resolve('@fastify/swagger-ui/package.json')), 'static', 'swagger-ui-bundle.js')) as {
      plugins: { JSONSchema202012Samples: (system: unknown) => { fn: { jsonSchema202012: SwaggerUiSamples } } }
    }
    samples = bundle.plugins.JSONSchema202012Samples({ getSystem: () => ({}) }).fn.jsonSchema202012
  }
  return samples.sampleFromSchema(schema)
}

/** The value Swagger UI's "Try it out" puts in a parameter's field (its ParameterRow.setDefaultValue, OpenAPI 3 branch). */
export function prefilledParameter (param: Json): unknown {
  return param.example ?? param.schema?.example ?? param.schema?.default ?? param.default
}
