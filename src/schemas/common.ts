import { Type, type Static, type TSchema } from 'typebox'
import { Errors } from '../errors.js'

/** A `$ref` to a shared schema, typed as the schema it points at (the schema itself is added once, by `$id`). */
export function ref<T extends TSchema> (schema: T, description?: string) {
  const id = (schema as { $id?: string }).$id
  if (!id) throw new Error('ref() needs a schema with an $id')
  return Type.Unsafe<Static<T>>({ $ref: `${id}#`, ...(description ? { description } : {}) })
}

/** A string enum emitted as `{type: string, enum}` so generated clients get a union of literals. */
export function StringEnum<const T extends string[]> (values: [...T], options: { description?: string, default?: T[number] } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: values, ...options })
}

/** The SDK's id rule minus `_`, which the upstream uses between organisation and dataset ids. */
export const ID_PATTERN = '^[A-Za-z0-9-]{1,255}$'
export const Id = (description: string) => Type.String({ pattern: ID_PATTERN, minLength: 1, maxLength: 255, description })

export const DatasetIdParams = Type.Object({ datasetId: Id('Dataset id (bare, without the organisation prefix)') })
export const ExportParams = Type.Object({
  datasetId: Id('Dataset id'),
  exportId: Id('Export id')
})
export const AssetDeletionParams = Type.Object({
  datasetId: Id('Dataset id'),
  sessionId: Id('Bulk asset deletion session id')
})

export const DEFAULT_PAGE_SIZE = 50
export const PageQuery = Type.Object({
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: DEFAULT_PAGE_SIZE, description: 'Items per page' })),
  pageToken: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: 'Opaque token from a previous page\'s nextPageToken' }))
})
export type PageQuery = Static<typeof PageQuery>

/** Every code a problem can carry, read from Errors so that a new error is in the document at once. */
export const PROBLEM_CODES: string[] = Object.values(Errors).map(E => new E().code)

export const Problem = Type.Object({
  type: Type.String({ description: 'URI reference identifying the problem type' }),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  instance: Type.String(),
  code: StringEnum(PROBLEM_CODES, { description: 'Stable machine-readable code, e.g. BFF_DATASET_NOT_FOUND' }),
  requestId: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({
    path: Type.String({ description: 'Where the bad value is, e.g. body.options.splitRatio' }),
    message: Type.String()
  }, { additionalProperties: false })))
}, { $id: 'Problem', title: 'Problem', description: 'RFC 9457 problem details', additionalProperties: false })
export type Problem = Static<typeof Problem>

export const Condition = Type.Object({
  condition: Type.String({ description: 'Condition name, e.g. Started or Finished' }),
  status: StringEnum(['Waiting', 'Reached', 'FailedReach']),
  lastTransitionTime: Type.Integer({ description: 'Epoch milliseconds' }),
  reason: Type.Union([Type.String(), Type.Null()]),
  message: Type.Union([Type.String(), Type.Null()])
}, { $id: 'ResourceCondition', title: 'ResourceCondition', additionalProperties: false })
export type Condition = Static<typeof Condition>

export const Metadata = Type.Object({
  timeCreated: Type.Integer(),
  lastUpdated: Type.Integer(),
  generation: Type.Integer(),
  attributes: Type.Record(Type.String(), Type.String())
}, { $id: 'ResourceMetadata', title: 'ResourceMetadata', additionalProperties: false })
export type Metadata = Static<typeof Metadata>
