import { BroadcastRequest } from '../../broadcasts/filter';
import { fromZod, type JsonSchema } from './openapi-schemas';

const str: JsonSchema = { type: 'string' };
const nstr: JsonSchema = { type: ['string', 'null'] };
const int: JsonSchema = { type: 'integer', minimum: 0 };
const num: JsonSchema = { type: 'number' };
const bool: JsonSchema = { type: 'boolean' };
const time: JsonSchema = { type: 'string', format: 'date-time' };
const ntime: JsonSchema = { type: ['string', 'null'], format: 'date-time' };
const arr = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
const obj = (properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema =>
  ({ type: 'object', properties, required: Object.keys(properties).filter((k) => !optional.includes(k)) });
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const fail = (description: string) => ({ description, content: json(ref('Error')) });
const path = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: str });

const common = {
  401: fail('missing or wrong bearer token (`unauthorized`); the answer carries `WWW-Authenticate: Bearer`'),
  500: fail('unexpected failure (`internal`)'),
  503: fail('Temporal cannot be reached right now (`unavailable`)'),
};
const withBody = {
  400: fail('malformed JSON (`invalid_json`), wrong types or unknown fields (`bad_request`)'),
  413: fail('the body exceeds the size limit (`payload_too_large`)'),
  422: fail('well-formed but invalid values (`validation_failed`)'),
};

/** The paths of referrals and broadcasts. */
export const audienceOpenApiPaths: Record<string, unknown> = {
  '/api/funnels/{funnelId}/referrals': {
    get: {
      tags: ['funnels'], operationId: 'funnelReferrals',
      summary: 'Referrals (all time): made by the funnel\'s members, referred contacts who signed up to it, converted in it, their revenue; the top referrers',
      parameters: [path('funnelId', 'funnel id')],
      responses: { 200: ok('the referral figures', ref('ReferralStats')), 404: fail('unknown funnel (`not_found`)'), ...common },
    },
  },
  '/api/funnels/{funnelId}/broadcasts': {
    post: {
      tags: ['funnels'], operationId: 'startBroadcast',
      summary: 'Enroll every contact matching a filter (never enrolled in this funnel before; a draft takes test contacts only) at a bounded rate, durably; `dryRun` only counts',
      parameters: [path('funnelId', 'funnel id')],
      requestBody: { required: true, description: 'the filter, a dry run, the rate (default 10 per second)', content: json(ref('BroadcastRequest')) },
      responses: {
        200: ok('dry run: exactly how many contacts would enter now; nothing stored', ref('BroadcastDryRun')),
        202: { ...ok('started: the snapshot is taken; progress at `Location`', ref('Broadcast')), headers: { location: { description: '/api/broadcasts/<id>', schema: str } } },
        ...withBody, 404: fail('unknown funnel (`not_found`)'), ...common,
      },
    },
    get: {
      tags: ['funnels'], operationId: 'listBroadcasts', summary: 'The funnel\'s broadcasts, newest first (at most 100)',
      parameters: [path('funnelId', 'funnel id')],
      responses: { 200: ok('the broadcasts', arr(ref('Broadcast'))), 404: fail('unknown funnel (`not_found`)'), ...common },
    },
  },
  '/api/broadcasts/{id}': {
    get: {
      tags: ['funnels'], operationId: 'getBroadcast', summary: 'A broadcast\'s progress: pending, enrolled, skipped (by reason), done',
      parameters: [path('id', 'broadcast id')],
      responses: { 200: ok('the broadcast', ref('Broadcast')), 404: fail('unknown broadcast (`not_found`)'), ...common },
    },
  },
};

/** The schemas those paths name. */
export function audienceSchemas(): Record<string, JsonSchema> {
  return {
    ReferralStats: obj({
      funnelId: str,
      made: { ...int, description: 'contacts brought by this funnel\'s members (enrolled here before the friend arrived)' },
      signedUp: { ...int, description: 'referred contacts (by anyone) who entered this funnel' },
      converted: { ...int, description: 'referred contacts who reached this funnel\'s goal' },
      revenue: { ...num, description: 'their goal revenue in this funnel' },
      topReferrers: arr(obj({ contactId: str, name: nstr, referred: int, converted: int })),
    }),
    BroadcastRequest: fromZod(BroadcastRequest),
    BroadcastDryRun: obj({ dryRun: { const: true }, funnelId: str, version: str, testOnly: { ...bool, description: 'a draft funnel: test contacts only' }, count: int }),
    Broadcast: obj({
      id: str, funnelId: str, version: { ...str, description: 'the funnel version every contact is enrolled into' },
      status: { type: 'string', enum: ['running', 'done'] }, filter: { type: 'object' }, ratePerSecond: num,
      testOnly: { ...bool, description: 'a draft funnel: test contacts only' },
      total: { ...int, description: 'contacts in the snapshot taken at creation' }, pending: int, enrolled: int, skipped: int,
      skippedByReason: { type: 'object', additionalProperties: int, description: 'already_enrolled (enrolled since the snapshot), contact_gone (erased)' },
      createdAt: time, finishedAt: ntime,
    }),
  };
}
