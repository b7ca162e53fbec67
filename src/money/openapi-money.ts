import { z } from 'zod';
import { SpendRowInput } from './spend-input';
import { LeadSource } from '../contacts/lead-source';

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it). */
type JsonSchema = Record<string, unknown>;

const str: JsonSchema = { type: 'string' };
const nstr: JsonSchema = { type: ['string', 'null'] };
const int: JsonSchema = { type: 'integer', minimum: 0 };
const num: JsonSchema = { type: 'number' };
const nnum: JsonSchema = { type: ['number', 'null'] };
const ntime: JsonSchema = { type: ['string', 'null'], format: 'date-time' };
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const arr = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
const obj = (properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema =>
  ({ type: 'object', properties, required: Object.keys(properties).filter((k) => !optional.includes(k)) });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const fail = (description: string) => ({ description, content: json(ref('Error')) });
const fromZod = (schema: z.ZodType): JsonSchema => {
  const { $schema: _, ...out } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return out;
};
const money = (what: string): JsonSchema => ({ ...num, description: `${what}, in major units (rubles; exact to the kopeck)` });

const leadSource = fromZod(LeadSource);
const storedSource = {
  ...leadSource, description: 'a captured source, with its grouping `key` and when it was captured (`at`)',
  properties: { ...(leadSource.properties as Record<string, JsonSchema>), key: str, at: { type: 'string', format: 'date-time' } }, required: ['key', 'at'],
};

/** The schemas of money and sources, for the document's components. */
export function moneySchemas(): Record<string, JsonSchema> {
  return {
    LeadSource: fromZod(LeadSource),
    SpendRow: fromZod(SpendRowInput),
    SpendRequest: { oneOf: [ref('SpendRow'), { ...obj({ rows: { ...arr(ref('SpendRow')), minItems: 1, maxItems: 1000 } }), additionalProperties: false }] },
    SpendStored: obj({
      stored: int,
      rows: arr(obj({ id: str, source: str, campaign: nstr, funnelId: nstr, date: str, amount: money('the amount'), amountMinor: int, currency: str })),
    }),
    ContactMoney: obj({
      ltv: money('revenue of every order of the contact (goal events of any funnel) in `currency`'), ltvMinor: int,
      currency: { ...str, description: 'the currency the contact spent most in (RUB when none)' },
      ltvByCurrency: { type: 'object', additionalProperties: { type: 'integer' }, description: 'currency → minor units' },
      orders: { ...int, description: 'goal events of any funnel: first and repeat purchases' }, firstPurchaseAt: ntime, lastPurchaseAt: ntime,
      source: {
        type: ['object', 'null'], description: 'where the contact came from: the first source (kept forever) and the latest; null when none was captured',
        properties: { key: str, campaign: nstr, first: storedSource, latest: storedSource }, required: ['key', 'campaign', 'first', 'latest'],
      },
    }),
    TouchMoney: obj({
      touchId: str, channel: str, messageCost: money('what its messages cost (SMS as billed, email and Telegram as configured)'),
      creditedRevenue: money('revenue credited to it under the model: first conversions and repeat orders'),
      repeatConverted: { ...num, description: 'credit for repeat orders (fractional under multi-touch models)' }, repeatRevenue: money('revenue of repeat orders credited to it'),
    }),
    FunnelMoney: obj({
      currency: str, revenue: money('revenue of every order in the period (first and repeat)'), revenueMinor: int,
      firstRevenue: money('revenue of first orders'), repeatRevenue: money('revenue of repeat orders'),
      orders: int, repeatOrders: int, buyers: int, repeatBuyers: int,
      repeatPurchaseRate: { ...nnum, description: 'buyers with more than one order / buyers' }, revenuePerEnrolled: nnum,
      spend: money('ad spend (rows naming the funnel, and rows of a source shared by the leads each funnel got from it)'),
      messageCost: money('message cost'), cost: money('spend + message cost'), costMinor: int, leads: { ...int, description: 'enrollments in the period' },
      costPerLead: nnum, cac: { ...nnum, description: 'cost per first conversion' }, romi: { ...nnum, description: '(revenue − cost) / cost; null without cost' },
      touches: arr(ref('TouchMoney')),
    }),
    MoneyGroup: obj({
      key: { ...str, description: 'the source, campaign or attribute value; `(none)` for contacts without one' },
      enrolled: int, converted: int, conversionRate: num, revenue: money('revenue of every order'), spend: money('ad spend'),
      messageCost: money('message cost'), romi: nnum, orders: int, costPerLead: nnum, cac: nnum,
    }),
  };
}

const cohort = obj({
  week: { ...str, description: 'the Monday (UTC) the cohort enrolled in, YYYY-MM-DD' }, enrolled: int,
  weeks: arr(obj({
    week: { ...int, description: 'weeks since enrollment (0 = the first seven days)' }, converted: { ...int, description: 'cumulative' },
    conversionRate: num, orders: { ...int, description: 'cumulative, first and repeat' }, revenue: money('cumulative revenue'), revenueMinor: int,
  })),
});

/** The stats' query parameters of money and sources. */
export const moneyStatsParameters = [
  { name: 'groupBy', in: 'query', required: false, description: 'adds `groups`: by the contact\'s first source, its campaign, or an attribute', schema: { type: 'string', pattern: '^(source|campaign|attribute:[\\w.-]{1,100})$' } },
  { name: 'source', in: 'query', required: false, description: 'only contacts whose first source has this key: narrows every figure (answered from the raw tables)', schema: { type: 'string', minLength: 1, maxLength: 200 } },
  { name: 'money', in: 'query', required: false, description: 'adds `money`: revenue of every order, spend, message cost, CAC, ROMI, per-touch cost and credited revenue', schema: { type: 'string', enum: ['true', 'false'], default: 'false' } },
  { name: 'currency', in: 'query', required: false, description: 'the currency of the money figures; orders and spend in other currencies are left out', schema: { type: 'string', pattern: '^[A-Za-z]{3}$', default: 'RUB' } },
  { name: 'journeys', in: 'query', required: false, description: 'adds `touchesBeforePurchase`: for the conversions in the period, the touches of every funnel (automated and staff) before each purchase, by channel and as a distribution of touches per conversion', schema: { type: 'string', enum: ['true', 'false'], default: 'false' } },
];

const period = (name: string, description: string) => ({
  name, in: 'query', required: false, description,
  schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$' },
});

/** `POST /api/spend` and `GET /api/funnels/{funnelId}/cohorts`. */
export const moneyOpenApiPaths = {
  '/api/funnels/{funnelId}/cohorts': {
    get: {
      tags: ['funnels'], operationId: 'funnelCohorts', summary: 'Cohorts: enrollment week × cumulative conversions, orders and revenue by week since enrollment',
      parameters: [
        { name: 'funnelId', in: 'path', required: true, description: 'funnel id', schema: str },
        period('from', 'enrollments from (ISO 8601 date or date-time)'), period('to', 'enrollments before (exclusive; a date includes that whole UTC day)'),
        moneyStatsParameters[3],
      ],
      responses: {
        200: ok('the cohorts, oldest first', obj({ funnelId: str, currency: str, cohorts: arr(cohort) })),
        404: fail('unknown funnel (`not_found`)'), 422: fail('a bad date, from not before to, or a bad currency (`validation_failed`)'),
        401: fail('missing or wrong bearer token (`unauthorized`)'), 500: fail('unexpected failure (`internal`)'),
      },
    },
  },
  '/api/spend': {
    post: {
      tags: ['funnels'], operationId: 'recordSpend',
      summary: 'Record ad spend per source (and campaign, optionally funnel) and day: one row, `{rows}`, or `text/csv` with a header (`source,campaign,funnel_id,date,amount,currency`); every row is checked first',
      requestBody: {
        required: true, description: 'amounts in major units with at most two decimals; currency default RUB',
        content: { ...json(ref('SpendRequest')), 'text/csv': { schema: str } },
      },
      responses: {
        201: ok('stored, in minor units', ref('SpendStored')),
        400: fail('malformed JSON (`invalid_json`) or a body that is no row (`bad_request`)'),
        413: fail('the body exceeds the size limit (`payload_too_large`)'),
        422: fail('any bad row (`validation_failed`; details list `{row, line?, path, message}`): nothing is stored'),
        401: fail('missing or wrong bearer token (`unauthorized`)'), 500: fail('unexpected failure (`internal`)'),
      },
    },
  },
};
