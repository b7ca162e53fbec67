import { ATTRIBUTION_MODELS } from '../../analytics/attribution-models';
import { LOGGED_TOUCH_KINDS } from '../../db/schema';
import { TOUCH_CSV_COLUMNS, TouchInput } from '../../staff/touch-input';
import { fromZod, type JsonSchema } from './openapi-schemas';

// The OpenAPI paths and schemas of staff and offline touches and whole journeys: POST /api/touches, GET /api/staff, GET /api/funnels/{id}/journeys.

const str: JsonSchema = { type: 'string' };
const nstr: JsonSchema = { type: ['string', 'null'] };
const int: JsonSchema = { type: 'integer', minimum: 0 };
const num: JsonSchema = { type: 'number' };
const nnum: JsonSchema = { type: ['number', 'null'] };
const ntime: JsonSchema = { type: ['string', 'null'], format: 'date-time' };
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const arr = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
const obj = (properties: Record<string, JsonSchema>): JsonSchema => ({ type: 'object', properties, required: Object.keys(properties) });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const fail = (description: string) => ({ description, content: json(ref('Error')) });
const queryParam = (name: string, description: string, schema: JsonSchema) => ({ name, in: 'query', required: false, description, schema });
const dateOrTime: JsonSchema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$' };
const common = { 401: fail('missing or wrong bearer token (`unauthorized`)'), 500: fail('unexpected failure (`internal`)') };

/** The paths of staff and offline touches. */
export const staffOpenApiPaths = {
  '/api/touches': {
    post: {
      tags: ['contacts'], operationId: 'logTouches',
      summary: 'Log a staff or offline touch (a call, meeting, visit, event, gift, letter): it enters the ledger of the contact\'s enrollment in `funnelId` (else of every enrollment open at `at`), shows on the timeline, counts in per-touch stats under its kind (channel `staff`) and earns attribution credit like a sent touch; later conversions are credited anew. Or import a CSV of them',
      requestBody: {
        required: true,
        description: `one touch as JSON, or \`text/csv\` with a header row naming some of ${TOUCH_CSV_COLUMNS.join(', ')} (comma or semicolon separated; empty cells are absent); every row is checked before anything is stored`,
        content: { 'application/json': { schema: ref('TouchInput') }, 'text/csv': { schema: { type: 'string' } } },
      },
      responses: {
        201: { description: 'logged: the touch (JSON), or `{imported, touches}` (CSV)', content: json({ oneOf: [ref('LoggedTouch'), ref('TouchImport')] }) },
        400: fail('malformed JSON or wrong types (`invalid_json`, `bad_request`)'),
        404: fail('one JSON touch naming an unknown contact or funnel (`not_found`)'),
        413: fail('the body exceeds the size limit (`payload_too_large`)'),
        415: fail('neither JSON nor CSV (`unsupported_media_type`)'),
        422: fail('a bad kind or date, a date in the future, no enrollment in the named funnel by then; in a CSV any bad row, unknown contact or column (`validation_failed`, `invalid_csv`): details list `{row, path, message}`, nothing is stored'),
        ...common,
      },
    },
  },
  '/api/funnels/{funnelId}/journeys': {
    get: {
      tags: ['funnels'], operationId: 'funnelJourneys', summary: 'For the funnel\'s conversions over [from, to): every touch of any funnel (automated and staff) that reached the buyer before the purchase, by channel',
      parameters: [
        { name: 'funnelId', in: 'path', required: true, description: 'funnel id', schema: str },
        queryParam('from', 'ISO 8601 date or date-time; before `to`', dateOrTime),
        queryParam('to', 'ISO 8601 date or date-time, exclusive; a date includes that whole UTC day', dateOrTime),
      ],
      responses: {
        200: ok('the touches before the purchases', ref('JourneyStats')), 404: fail('unknown funnel (`not_found`)'),
        422: fail('a bad date, or from not before to (`validation_failed`)'), ...common,
      },
    },
  },
  '/api/staff': {
    get: {
      tags: ['funnels'], operationId: 'staffStats', summary: 'Per staff member: touches logged, conversions credited under the model, speed to lead (lead → first staff touch) over [from, to)',
      parameters: [
        queryParam('funnelId', 'only touches that count in this funnel', str),
        queryParam('from', 'ISO 8601 date or date-time; before `to`', dateOrTime),
        queryParam('to', 'ISO 8601 date or date-time, exclusive; a date includes that whole UTC day', dateOrTime),
        queryParam('model', 'attribution model', { type: 'string', enum: [...ATTRIBUTION_MODELS], default: 'last_touch' }),
      ],
      responses: {
        200: ok('the staff, busiest first', ref('StaffStats')), 400: fail('an unknown query parameter (`bad_request`)'),
        404: fail('unknown funnel (`not_found`)'), 422: fail('a bad date, from not before to, or an unknown model (`validation_failed`)'), ...common,
      },
    },
  },
};

/** The journey figures of GET /api/funnels/{id}/journeys and the stats' `touchesBeforePurchase`. */
const journeyFigures: Record<string, JsonSchema> = {
  conversions: int, touches: int, automatedTouches: int, staffTouches: int, meanTouches: num, medianTouches: int, meanFunnels: num,
  byChannel: arr(obj({ channel: str, staff: { type: 'boolean', description: 'a staff or offline touch' }, touches: int, share: num, perConversion: num })),
  distribution: {
    ...arr(obj({ touches: int, conversions: int, share: num, meanStaff: { ...num, description: 'staff and offline touches per conversion of this bar' } })),
    description: 'conversions by the number of touches (automated + staff, every funnel) before them, fewest first',
  },
};

const loggedTouch = obj({
  id: str, contactId: str, funnelId: nstr, kind: { type: 'string', enum: [...LOGGED_TOUCH_KINDS] }, by: str, at: { type: 'string', format: 'date-time' },
  outcome: nstr, notes: nstr, value: nnum,
  ledger: { ...arr(obj({ funnelId: str, enrollmentId: str, deliveryId: str })), description: 'the enrollments it counts in (empty: on the timeline only)' },
});

/** The schemas of staff and offline touches. */
export function staffSchemas(): Record<string, JsonSchema> {
  return {
    TouchInput: fromZod(TouchInput),
    LoggedTouch: loggedTouch,
    TouchImport: obj({ imported: int, touches: arr(ref('LoggedTouch')) }),
    JourneyStats: obj({ funnelId: str, from: ntime, to: ntime, ...journeyFigures }),
    TouchesBeforePurchase: obj(journeyFigures),
    StaffStats: obj({
      funnelId: nstr, model: { type: 'string', enum: [...ATTRIBUTION_MODELS] }, from: ntime, to: ntime,
      staff: arr(obj({
        by: str, touches: int, byKind: { type: 'object', additionalProperties: int }, conversions: num, revenue: num, leads: int,
        speedToLeadMedianMs: nnum, speedToLeadMeanMs: nnum,
      })),
    }),
  };
}
