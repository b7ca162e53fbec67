import { Hono } from 'hono';
import { ATTRIBUTION_MODELS } from '../../analytics/funnel-stats';
import { componentSchemas, type JsonSchema } from './openapi-schemas';
import { consentOpenApiPaths, publicOpenApiPaths } from './openapi-public';
import { webinarOpenApiPaths } from '../../webinars/openapi-paths';
import { audienceOpenApiPaths, audienceSchemas } from './openapi-audience';
import { answerOpenApiPaths, answerSchemas } from './openapi-answers';
import { versionOpenApiPaths } from '../../versions/openapi-paths';
import { staffOpenApiPaths, staffSchemas } from './openapi-staff';
import { moneyOpenApiPaths, moneyStatsParameters } from '../../money/openapi-money';

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const fail = (description: string) => ({ description, content: json(ref('Error')) });
const pathParam = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const queryParam = (name: string, description: string, schema: JsonSchema) => ({ name, in: 'query', required: false, description, schema });
const body = (name: string, description: string) => ({ required: true, description, content: json(ref(name)) });

/** A period bound: an ISO date or a date-time with an offset. */
const dateOrTime: JsonSchema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$', examples: ['2025-01-31', '2025-01-31T12:00:00Z'] };

/** Errors every authenticated endpoint can answer. */
const common = {
  401: fail('missing or wrong bearer token (`unauthorized`); the answer carries `WWW-Authenticate: Bearer`'),
  500: fail('unexpected failure (`internal`)'),
  503: fail('Temporal cannot be reached right now (`unavailable`)'),
};
/** Errors of endpoints that take a JSON body. */
const withBody = {
  400: fail('malformed JSON or a non-object body (`invalid_json`), wrong types or unknown fields (`bad_request`); details list `{path, message}`'),
  413: fail('the body exceeds the size limit (`payload_too_large`)'),
  422: fail('well-formed but invalid values, e.g. a bad email or unknown time zone (`validation_failed`); details list `{path, message}`'),
};

/** Which optional surfaces the app mounts; the document describes only what is served. Default: everything. */
export interface OpenApiSurfaces {
  /** The customer-facing routes (tracking, pages, forms, webinars, bounce and attendance webhooks). */
  public?: boolean;
  telegramWebhook?: boolean;
  smsWebhooks?: boolean;
  /** VK's Callback API at `/webhooks/vk` (VK_GROUP_ID and VK_CONFIRMATION set). */
  vkCallback?: boolean;
}

/** The OpenAPI 3.1 description of `/health`, every `/api` endpoint and the public routes the app mounts. */
export function openApiDocument(surfaces: OpenApiSurfaces = {}): Record<string, unknown> {
  const doc = fullDocument();
  const paths = doc.paths as Record<string, unknown>;
  const { public: pub = true, telegramWebhook = true, smsWebhooks = true, vkCallback = true } = surfaces;
  for (const path of Object.keys(paths)) {
    const isPublic = path !== '/health' && !path.startsWith('/api/');
    if ((isPublic && !pub) || (path === '/webhooks/telegram' && !telegramWebhook) || (path === '/webhooks/vk' && !vkCallback) || (path.startsWith('/webhooks/sms/') && !smsWebhooks)) delete paths[path];
  }
  return doc;
}

function fullDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'autofunnel API', version: '1',
      description: 'Durable drip funnels on Temporal. Errors answer `{"error": {"code", "message", "details"?}}`; a rejected request stores nothing. Times are ISO 8601 strings.',
    },
    security: [{ bearerAuth: [] }],
    tags: [
      { name: 'contacts' }, { name: 'events' }, { name: 'funnels' }, { name: 'enrollments' }, { name: 'webinars' }, { name: 'meta' },
      { name: 'tracking' }, { name: 'pages' }, { name: 'webhooks' },
    ],
    paths: {
      '/health': {
        get: {
          tags: ['meta'], operationId: 'health', summary: 'Liveness of the database and Temporal', security: [],
          responses: { 200: ok('everything is reachable', ref('Health')), 503: ok('a part failed; it reads `"error"`', ref('Health')) },
        },
      },
      '/api/openapi.json': {
        get: {
          tags: ['meta'], operationId: 'openapi', summary: 'This document', security: [],
          responses: { 200: ok('the OpenAPI document', { type: 'object' }) },
        },
      },
      '/api/contacts': {
        post: {
          tags: ['contacts'], operationId: 'upsertContact',
          summary: 'Create or update a contact (matched by externalId, then email, then phone); attributes merge, consents record their source',
          requestBody: body('ContactInput', 'at least one of externalId, email, phone'),
          responses: {
            201: ok('created', ref('Contact')), 200: ok('updated', ref('Contact')),
            ...withBody, 409: fail('externalId, email or phone already belongs to another contact (`conflict`)'), ...common,
          },
        },
      },
      '/api/contacts/{id}': {
        get: {
          tags: ['contacts'], operationId: 'getContact', summary: 'A contact with its consents and enrollments, what it bought (LTV, orders) and where it came from',
          parameters: [pathParam('id', 'contact id')],
          responses: { 200: ok('the contact', ref('ContactWithEnrollments')), 404: fail('unknown or erased contact (`not_found`)'), ...common },
        },
        delete: {
          tags: ['contacts'], operationId: 'eraseContact',
          summary: 'Erase the contact (152-FZ art. 21, GDPR art. 17): its workflows end, its personal data is erased, a keyed hash of each address stays suppressed until the person consents anew; stats keep their numbers',
          parameters: [pathParam('id', 'contact id')],
          responses: {
            204: { description: 'erased; the contact is 404 from now on' }, 404: fail('unknown or already erased contact (`not_found`)'),
            ...common, 503: fail('Temporal cannot be reached right now (`unavailable`); nothing was erased'),
          },
        },
      },
      '/api/contacts/{id}/export': {
        get: {
          tags: ['contacts'], operationId: 'exportContact', summary: 'Everything stored about the contact (152-FZ art. 14, GDPR art. 15), as JSON',
          parameters: [pathParam('id', 'contact id')],
          responses: { 200: ok('the export', ref('ContactExport')), 404: fail('unknown or erased contact (`not_found`)'), ...common },
        },
      },
      '/api/events': {
        post: {
          tags: ['events'], operationId: 'ingestEvent',
          summary: 'Record an event: stored once per idempotencyKey, then (by the server\'s dispatcher) signalled to the contact\'s active enrollments, enrolling into funnels whose entry it is',
          requestBody: body('EventInput', 'the contact by one of contactId, externalId, email, phone'),
          responses: {
            202: ok('accepted once stored; `duplicate` when the idempotencyKey was seen before; `dispatched: false` until the dispatcher has applied it (moments later; while Temporal is unreachable, once it is back)', ref('EventAccepted')),
            ...withBody, 404: fail('unknown contact (`not_found`)'), ...common,
          },
        },
      },
      '/api/events/batch': {
        post: {
          tags: ['events'], operationId: 'ingestEventBatch',
          summary: 'Record up to 1,000 events in one transaction (body up to 4 MiB): each is checked and stored as POST /api/events would, idempotency keys honoured across batches and inside one',
          requestBody: body('EventBatch', '`events`: up to 1,000 events as POST /api/events takes them'),
          responses: {
            202: ok('the valid events are stored; `results` answers each event in order: `{id, duplicate, dispatched}`, or the error body POST /api/events would have answered (`bad_request`, `validation_failed`, `not_found`) for one that was not stored', ref('EventBatchAccepted')),
            ...withBody, 413: fail('the body exceeds 4 MiB (`payload_too_large`); nothing is stored'), ...common,
          },
        },
      },
      '/api/funnels': {
        get: {
          tags: ['funnels'], operationId: 'listFunnels', summary: 'The funnels this server runs, with their draft state and touches (id, channel, type)',
          responses: { 200: ok('the funnels, by id', { type: 'array', items: ref('Funnel') }), ...common },
        },
      },
      '/api/funnels/{funnelId}/enrollments': {
        post: {
          tags: ['funnels', 'enrollments'], operationId: 'enroll',
          summary: 'Enroll a contact (an existing one by id, or one upserted as in POST /api/contacts) into the funnel\'s current version',
          parameters: [pathParam('funnelId', 'funnel id')],
          requestBody: body('EnrollmentRequest', 'exactly one of `contactId` or `contact`'),
          responses: {
            201: ok('enrolled', ref('EnrollmentRef')), 200: ok('already actively enrolled: the same enrollment (or the one the funnel\'s `reentry` rule refuses a new one for)', ref('EnrollmentRef')),
            ...withBody, 404: fail('unknown funnel or contact (`not_found`); nothing is stored'),
            409: fail('the given contact\'s identifiers belong to different contacts (`conflict`)'), ...common,
          },
        },
      },
      '/api/funnels/{funnelId}/stats': {
        get: {
          tags: ['funnels'], operationId: 'funnelStats', summary: 'Enrollments, deliveries and attributed conversions over [from, to); the money (revenue of every order, cost, ROMI); groups',
          parameters: [
            pathParam('funnelId', 'funnel id'),
            queryParam('from', 'ISO 8601 date or date-time; a date is the start of that UTC day; before `to`', dateOrTime),
            queryParam('to', 'ISO 8601 date or date-time, exclusive; a date includes that whole UTC day', dateOrTime),
            queryParam('model', 'attribution model; all five are computed when a goal is recorded and stored', { type: 'string', enum: [...ATTRIBUTION_MODELS], default: 'last_touch' }),
            ...moneyStatsParameters,
          ],
          responses: {
            200: ok('the stats', ref('FunnelStats')),
            404: fail('unknown funnel (`not_found`)'),
            422: fail('a bad date, from not before to, an unknown model, groupBy or currency (`validation_failed`)'),
            ...common,
          },
        },
      },
      '/api/funnels/{funnelId}/experiments': {
        get: {
          tags: ['funnels'], operationId: 'funnelExperiments', summary: 'Split variants (probability best, p-value — counts only below the sample threshold) and holdout lift (95% CI) over [from, to)',
          parameters: [
            pathParam('funnelId', 'funnel id'),
            queryParam('from', 'ISO 8601 date or date-time; a date is the start of that UTC day; before `to`', dateOrTime),
            queryParam('to', 'ISO 8601 date or date-time, exclusive; a date includes that whole UTC day', dateOrTime),
          ],
          responses: { 200: ok('the experiments', ref('ExperimentStats')), 404: fail('unknown funnel (`not_found`)'), 422: fail('a bad date, or from not before to (`validation_failed`)'), ...common },
        },
      },
      '/api/funnels/{funnelId}/touches/{touchId}/test': {
        post: {
          tags: ['funnels'], operationId: 'sendTestTouch',
          summary: 'Render one touch for a sample contact (or `contactId`) and send it through the configured channel to that one address, marked «[Тест]»: no ledger row, not in the stats',
          parameters: [pathParam('funnelId', 'funnel id'), pathParam('touchId', 'touch id (a step, not a page)')],
          requestBody: body('TestSendRequest', 'exactly one of `to.email`, `to.phone`, `to.telegramChatId`; the touch content for that channel (its own or a fallback) is used'),
          responses: {
            200: ok('sent (or stored, in dev-outbox mode)', ref('TestSendResult')),
            ...withBody,
            404: fail('unknown funnel, touch or contact (`not_found`)'),
            422: fail('no address, several, a bad one, a channel the touch has no content for, a page, or a template that does not render (`validation_failed`)'),
            502: fail('the channel refused the message (`send_failed`, with its reason)'),
            ...common,
          },
        },
      },
      '/api/outbox': {
        get: {
          tags: ['meta'], operationId: 'listOutbox', summary: 'Dev-outbox messages, newest first: touch, funnel, contact by name, time in the contact\'s zone, test sends marked',
          parameters: [
            queryParam('funnelId', 'only this funnel\'s messages (its test sends included)', { type: 'string' }),
            queryParam('contactId', 'only messages to this contact', { type: 'string' }),
            queryParam('limit', 'at most this many (1–1000)', { type: 'integer', minimum: 1, maximum: 1000, default: 100 }),
          ],
          responses: { 200: ok('the messages', { type: 'array', items: ref('OutboxMessage') }), 400: fail('an unknown query parameter (`bad_request`)'), 422: fail('a bad limit or funnel id (`validation_failed`)'), ...common },
        },
      },
      '/api/enrollments/{id}': {
        get: {
          tags: ['enrollments'], operationId: 'getEnrollment', summary: 'An enrollment: status, version, current step, timeline of deliveries, events and migrations',
          parameters: [pathParam('id', 'enrollment id')],
          responses: { 200: ok('the enrollment', ref('Enrollment')), 404: fail('unknown enrollment (`not_found`)'), ...common },
        },
      },
      ...versionOpenApiPaths,
      ...consentOpenApiPaths,
      ...webinarOpenApiPaths,
      ...audienceOpenApiPaths,
      ...staffOpenApiPaths,
      ...moneyOpenApiPaths,
      ...answerOpenApiPaths,
      ...publicOpenApiPaths,
    },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'the API_TOKEN' } },
      schemas: { ...componentSchemas(), ...audienceSchemas(), ...staffSchemas(), ...answerSchemas() },
    },
  };
}

/** `GET /openapi.json`: the document of what this app serves, built once per app. */
export function openApiRoutes(surfaces: OpenApiSurfaces = {}): Hono {
  const doc = openApiDocument(surfaces);
  return new Hono().get('/', (c) => c.json(doc));
}
