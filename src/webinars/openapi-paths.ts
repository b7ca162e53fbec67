/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it). */
type JsonSchema = Record<string, unknown>;

const str: JsonSchema = { type: 'string' };
const nstr: JsonSchema = { type: ['string', 'null'] };
const int: JsonSchema = { type: 'integer', minimum: 0 };
const time: JsonSchema = { type: 'string', format: 'date-time' };
const ntime: JsonSchema = { type: ['string', 'null'], format: 'date-time' };
const arr = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
const obj = (properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema =>
  ({ type: 'object', properties, required: Object.keys(properties).filter((k) => !optional.includes(k)) });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const fail = (description: string) => ({ description, content: json({ $ref: '#/components/schemas/Error' }) });
const idParam = { name: 'id', in: 'path', required: true, description: 'webinar id (as declared in the funnel file)', schema: str };

const common = {
  401: fail('missing or wrong bearer token (`unauthorized`)'),
  500: fail('unexpected failure (`internal`)'),
};

const webinar = obj({
  id: str, funnelId: str, title: str, kind: { type: 'string', enum: ['fixed', 'auto'] },
  startsAt: { ...ntime, description: 'the fixed start; null for an auto-webinar' },
  durationMinutes: int, joinUrl: str, replayUrl: nstr,
  schedule: { type: ['object', 'null'], description: 'auto-webinar slots in each contact\'s zone', properties: { times: arr(str), weekdays: arr({ type: 'integer', minimum: 1, maximum: 7 }) } },
  minLeadMinutes: int, movedAt: { ...ntime, description: 'when the start was last moved through the API' }, updatedAt: time,
  sessions: obj({ assigned: int, registered: int, attended: int, missed: int }),
  webhookUrl: { ...str, description: 'the attendance webhook for webinar platforms (when the server knows its public URL)' },
}, ['webhookUrl']);

const identity = {
  contactId: str, externalId: str, email: { type: 'string', format: 'idn-email' },
  phone: { ...str, description: 'E.164, or a number as people type it (read as Russian without a country code)' },
};
const flag: JsonSchema = { type: ['boolean', 'string', 'integer'], description: 'true/false, yes/no, да/нет, 1/0' };
const closed = (schema: JsonSchema): JsonSchema => ({ ...schema, additionalProperties: false });
const attendanceRecord: JsonSchema = {
  ...closed(obj({ ...identity, joined: flag, minutes: { type: 'number', minimum: 0 }, stayedToOffer: flag }, ['contactId', 'externalId', 'email', 'phone', 'minutes', 'stayedToOffer'])),
  anyOf: [{ required: ['contactId'] }, { required: ['externalId'] }, { required: ['email'] }, { required: ['phone'] }],
};
const attendanceBody = closed(obj({
  sessions: { ...time, description: 'optional: the session start this report is about; contacts whose session starts at another time are listed in `otherSession` and left unchanged' },
  records: { ...arr(attendanceRecord), minItems: 1, maxItems: 20_000 },
}, ['sessions']));
const attendanceResult = obj({
  attended: int, missed: int,
  unknown: arr({ type: 'object', description: '`{row, <identity>: value}` of records naming no known contact' }),
  otherSession: arr(obj({ row: int, contactId: str, sessionStartsAt: time })),
});
const attendanceRequest = {
  required: true,
  description: 'JSON, or `text/csv` with a header row (`email,joined,minutes,stayed_to_offer`; identity columns contact_id, external_id, email, phone; "," or ";" separated; `?sessions=` filters)',
  content: {
    ...json(attendanceBody),
    'text/csv': { schema: { type: 'string' }, example: 'email,joined,minutes,stayed_to_offer\nanna@example.ru,да,85,да\nboris@example.ru,нет,,\n' },
  },
};
const attendanceResponses = {
  200: ok('recorded: `webinar.attended` / `webinar.missed` stored once per contact', attendanceResult),
  400: fail('malformed JSON or envelope (`invalid_json`, `bad_request`)'),
  404: fail('unknown webinar (`not_found`)'),
  413: fail('the body is too large (`payload_too_large`)'),
  422: fail('one or more bad rows (`validation_failed`); nothing is stored; details list `{row, line?, path, message}` for every bad row (row 0 = the CSV header)'),
};

/** OpenAPI path items of the webinar endpoints, to merge into the document's `paths`. */
export const webinarOpenApiPaths: Record<string, unknown> = {
  '/api/webinars': {
    get: {
      tags: ['webinars'], operationId: 'listWebinars', summary: 'Every webinar the funnels declare, with session counts',
      responses: { 200: ok('the webinars, by id', arr(webinar)), ...common },
    },
  },
  '/api/webinars/{id}': {
    get: {
      tags: ['webinars'], operationId: 'getWebinar', summary: 'One webinar with its session counts (assigned, registered, attended, missed)',
      parameters: [idParam],
      responses: { 200: ok('the webinar', webinar), 404: fail('unknown webinar (`not_found`)'), ...common },
    },
    patch: {
      tags: ['webinars'], operationId: 'moveWebinar',
      summary: 'Move a fixed webinar: sessions at the old start follow, every contact holding a session gets `webinar.moved` (signalled to their active enrollments, whose webinar waits re-plan)',
      parameters: [idParam],
      requestBody: { required: true, content: json(closed(obj({ startsAt: { ...time, description: 'ISO 8601 with an offset, e.g. 2026-12-03T19:00:00+03:00' } }))) },
      responses: {
        200: ok('moved', obj({ webinar, sessionsMoved: int, enrollmentsSignalled: int })),
        400: fail('malformed JSON, a missing startsAt or unknown fields (`invalid_json`, `bad_request`)'),
        404: fail('unknown webinar (`not_found`)'),
        422: fail('not a date-time with an offset, a start in the past, or an auto-webinar (`validation_failed`); nothing is stored'),
        ...common,
      },
    },
  },
  '/api/webinars/{id}/attendance': {
    post: {
      tags: ['webinars'], operationId: 'recordAttendance',
      summary: 'Who attended (minutes, stayed to the offer) and who missed; every row is validated before anything is stored',
      parameters: [idParam], requestBody: attendanceRequest, responses: { ...attendanceResponses, ...common },
    },
  },
  '/webhooks/webinar/{webinarId}': {
    post: {
      tags: ['webinars'], operationId: 'attendanceWebhook', security: [],
      summary: 'The attendance upload for webinar platforms, authenticated by the per-webinar `token` (see `webhookUrl`)',
      parameters: [
        { ...idParam, name: 'webinarId' },
        { name: 'token', in: 'query', required: true, description: 'the webinar\'s webhook token', schema: str },
      ],
      requestBody: attendanceRequest,
      responses: { ...attendanceResponses, 401: fail('missing or wrong token (`unauthorized`)'), 500: common[500] },
    },
  },
};
