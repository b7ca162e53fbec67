/** The OpenAPI description of versions and migrations (`/api/funnels/{funnelId}/versions|diff|migrations`). */
import { z } from 'zod';
import { MigrationRequest } from './plan-migration';

type JsonSchema = Record<string, unknown>;
const str: JsonSchema = { type: 'string' };
const nstr: JsonSchema = { type: ['string', 'null'] };
const int: JsonSchema = { type: 'integer', minimum: 0 };
const time: JsonSchema = { type: 'string', format: 'date-time' };
const ntime: JsonSchema = { type: ['string', 'null'], format: 'date-time' };
const arr = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
const map: JsonSchema = { type: 'object', additionalProperties: str };
const obj = (properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema =>
  ({ type: 'object', properties, required: Object.keys(properties).filter((k) => !optional.includes(k)) });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const fail = (description: string) => ({ description, content: json({ $ref: '#/components/schemas/Error' }) });
const funnelParam = { name: 'funnelId', in: 'path', required: true, description: 'funnel id', schema: str };
const common = {
  401: fail('missing or wrong bearer token (`unauthorized`)'),
  500: fail('unexpected failure (`internal`)'),
  503: fail('Temporal cannot be reached right now (`unavailable`)'),
};
const outcome: JsonSchema = { type: 'string', enum: ['moved', 'stayed', 'finished'] };
const stayReason: JsonSchema = { type: 'string', enum: ['step_removed', 'type_changed'] };

/** One entry of an enrollment's timeline that records a migration. */
export const migrationEntry: JsonSchema = obj({
  type: { const: 'migration' }, at: time, id: str, migrationId: str, fromVersion: str, toVersion: str,
  fromStep: { ...nstr, description: 'the step it rested at' }, toStep: { ...nstr, description: 'the step it continues at (mapped or the same id)' },
  outcome: { ...outcome, description: '`moved`; `stayed` on its version (`reason`); `finished` before it could move' }, reason: nstr,
});

const stepMove = obj({
  version: str, stepId: { ...str, description: '`(unknown)` for enrollments whose workflow has not noted a step yet' }, count: int,
  to: { ...nstr, description: 'the step they continue at in the target version' },
  outcome: { type: 'string', enum: ['move', 'stay', 'unknown'] }, reason: stayReason,
  timing: { type: ['string', 'null'], enum: ['kept', 'retimed', null], description: 'a moving wait: `kept` (same due time) or `retimed` from when it began' },
  timingChange: { ...str, description: 'e.g. `2d → 1d`' }, mapped: { type: 'boolean' },
}, ['reason', 'timingChange']);

const diff = {
  added: arr(obj({ stepId: str, type: str })), removed: arr(obj({ stepId: str, type: str })),
  moved: arr(obj({ stepId: str, from: { ...str, description: 'its list before (`root`, `<step>.then`, `<split>.<variant>`)' }, to: str })),
  contentChanged: { ...arr(str), description: 'touches and pages whose content changed' },
  timingChanged: arr(obj({ stepId: str, from: str, to: str })),
  logicChanged: { ...arr(str), description: 'steps whose event filters, condition or weights changed' },
  typeChanged: arr(obj({ stepId: str, from: str, to: str })),
};

const migrationPlan = obj({
  dryRun: { const: true }, funnelId: str, from: str, to: { ...str, description: 'the current version' }, versions: arr(str), map,
  total: int, move: int, stay: int, unknown: int, steps: arr(stepMove), diffs: arr(obj({ version: str, diff: obj(diff) })),
});

const migration = obj({
  id: str, funnelId: str, from: str, to: str, map, status: { type: 'string', enum: ['running', 'done'] },
  total: int, asked: int, moved: int, stayed: int, finished: int, pending: int, createdAt: time, finishedAt: ntime,
  stayedEnrollments: arr(obj({ enrollmentId: str, contactId: str, version: str, step: nstr, reason: nstr })),
});

/** The request body's schema, from its zod schema. */
function requestSchema(): JsonSchema {
  const { $schema: _, ...schema } = z.toJSONSchema(MigrationRequest, { io: 'input' }) as JsonSchema;
  return schema;
}

/** The paths, merged into the document by openapi.ts. */
export const versionOpenApiPaths: Record<string, unknown> = {
  '/api/funnels/{funnelId}/versions': {
    get: {
      tags: ['funnels'], operationId: 'funnelVersions', summary: 'Every version with enrollments in flight (and the current one): how many, and how many rest at each step',
      parameters: [funnelParam],
      responses: {
        200: ok('newest first, the current one first of all', arr(obj({ version: str, current: { type: 'boolean' }, inFlight: int, atStep: { type: 'object', additionalProperties: int } }))),
        404: fail('unknown funnel (`not_found`)'), ...common,
      },
    },
  },
  '/api/funnels/{funnelId}/diff': {
    get: {
      tags: ['funnels'], operationId: 'funnelDiff', summary: 'A running version against the current one by step id, and where the enrollments resting at each step would go',
      parameters: [funnelParam, { name: 'from', in: 'query', required: false, description: 'a stored version (default: every version in flight)', schema: str }],
      responses: {
        200: ok('the differences', obj({ funnelId: str, to: str, versions: arr(obj({ version: str, ...diff, atStep: arr(stepMove) })) })),
        400: fail('an unknown query parameter (`bad_request`)'), 404: fail('unknown funnel or version (`not_found`)'),
        422: fail('the funnel does not pass the check (`funnel_refused`), or `from` is the current version (`same_version`)'), ...common,
      },
    },
  },
  '/api/funnels/{funnelId}/migrations': {
    get: {
      tags: ['funnels'], operationId: 'listMigrations', summary: 'The funnel\'s migrations, newest first, with their progress',
      parameters: [funnelParam],
      responses: { 200: ok('up to 20', arr({ $ref: '#/components/schemas/Migration' })), 404: fail('unknown funnel (`not_found`)'), ...common },
    },
    post: {
      tags: ['funnels'], operationId: 'migrateEnrollments',
      summary: 'Move in-flight enrollments onto the current version: each continues at the same step id (or the mapped one); a dry run says what would happen and changes nothing',
      parameters: [funnelParam],
      requestBody: { required: true, description: '`from`: a version or `all`; `map`: old step id → new step id', content: json(requestSchema()) },
      responses: {
        200: ok('the dry run: what would move where, per version and step, with counts', migrationPlan),
        202: ok('started: the migration with its progress (GET …/migrations/{id} follows it)', { $ref: '#/components/schemas/Migration' }),
        400: fail('malformed JSON (`invalid_json`), wrong types or unknown fields (`bad_request`)'),
        404: fail('unknown funnel or version (`not_found`); nothing moved'),
        409: fail('another migration of the funnel is still running (`conflict`)'),
        413: fail('the body exceeds the size limit (`payload_too_large`)'),
        422: fail('a map step that is not a step of the source versions or of the current one (`unknown_step`), onto a step of another type (`step_type_mismatch`), the current version as `from` (`same_version`), a funnel that does not pass the check (`funnel_refused`); nothing moved'),
        ...common,
      },
    },
  },
  '/api/funnels/{funnelId}/migrations/{migrationId}': {
    get: {
      tags: ['funnels'], operationId: 'getMigration', summary: 'One migration\'s progress: asked, moved, stayed (listed), finished, pending',
      parameters: [funnelParam, { name: 'migrationId', in: 'path', required: true, description: 'migration id', schema: str }],
      responses: { 200: ok('the migration', { $ref: '#/components/schemas/Migration' }), 404: fail('unknown migration (`not_found`)'), ...common },
    },
  },
};

/** The schemas the paths and the enrollment timeline name. */
export const versionOpenApiSchemas: Record<string, JsonSchema> = { Migration: migration, MigrationEntry: migrationEntry };
