import { z } from 'zod';
import { ContactInput } from '../../contacts/input';
import { EventInput } from '../../engine/ingest-event';
import { ATTRIBUTION_MODELS } from '../../analytics/funnel-stats';
import { EnrollmentRequest } from './funnels';
import { TestSendRequest } from '../../samples/send-test';
import { DELIVERY_STATUSES, ENROLLMENT_STATUSES } from '../../../workflows/statuses';
import { versionOpenApiSchemas } from '../../versions/openapi-paths';
import { moneySchemas } from '../../money/openapi-money';

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it). */
export type JsonSchema = Record<string, unknown>;

const str: JsonSchema = { type: 'string' };
const nstr: JsonSchema = { type: ['string', 'null'] };
const int: JsonSchema = { type: 'integer', minimum: 0 };
const num: JsonSchema = { type: 'number' };
const bool: JsonSchema = { type: 'boolean' };
const time: JsonSchema = { type: 'string', format: 'date-time' };
const ntime: JsonSchema = { type: ['string', 'null'], format: 'date-time' };
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const arr = (items: JsonSchema): JsonSchema => ({ type: 'array', items });

/** An object schema whose listed properties are all required unless named in `optional`. */
function obj(properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema {
  return { type: 'object', properties, required: Object.keys(properties).filter((k) => !optional.includes(k)) };
}

/** A request schema generated from its zod schema, as the client sends it. */
export function fromZod(schema: z.ZodType): JsonSchema {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return withEmailFormat(json);
}

/** Addresses are internationalised (кириллица@школа.рф): JSON Schema calls that `idn-email`; `email` is ASCII only. */
export const EMAIL_FORMAT = 'idn-email';

// `z.string().max(…).pipe(z.email())` loses the format in the input schema; put it back where a property is `email`.
function withEmailFormat(schema: JsonSchema): JsonSchema {
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  if (!props) return schema;
  const out: Record<string, JsonSchema> = {};
  for (const [key, value] of Object.entries(props)) {
    out[key] = key === 'email' && value.type === 'string' ? { ...value, format: EMAIL_FORMAT } : withEmailFormat(value);
  }
  return { ...schema, properties: out };
}

const enrollmentStatus: JsonSchema = { type: 'string', enum: [...ENROLLMENT_STATUSES] };

const enrollmentSummary = obj({
  id: str, funnelId: str, version: str, status: enrollmentStatus, enrolledAt: time, finishedAt: ntime, convertedAt: ntime,
});

const deliveryEntry = obj({
  type: { const: 'delivery' }, at: time, id: str, touchId: str, channel: str,
  status: { type: 'string', enum: [...DELIVERY_STATUSES] },
  reason: { ...nstr, description: 'why a touch was skipped, deferred or failed: no_consent, no_address, suppressed:<reason>, too_late (a webinar reminder reached after its moment), unreachable (no channel the contact has can reach it: the enrollment ends), …' }, subject: nstr, recipient: nstr,
  scheduledAt: ntime, sentAt: ntime, deliveredAt: ntime, openedAt: ntime, clickedAt: ntime,
}, ['id', 'scheduledAt', 'sentAt', 'deliveredAt', 'openedAt', 'clickedAt']);

const eventEntry = obj({
  type: { const: 'event' }, at: time, id: str, name: str, properties: { type: 'object' }, value: { type: ['number', 'null'] },
}, ['id']);

const touchStats = obj({
  touchId: str, channel: str, sent: int, delivered: int, outbox: int, opened: int, clicked: int, failed: int, skipped: int,
  converted: { ...num, description: 'attributed credit; fractional under multi-touch models' },
  conversionRate: { ...num, description: 'converted / sent; in dev-outbox mode converted / (sent + outbox)' }, revenue: num,
  replied: int, unsubscribed: int,
  deferred: { ...int, description: 'deferral entries (send window, frequency cap)' },
  heldOut: { ...int, description: 'contacts held out of this touch to measure its lift' },
  skippedByReason: { type: 'object', additionalProperties: int, description: 'no_address, no_consent, suppressed:<reason>, …' },
  deferredByReason: { type: 'object', additionalProperties: int, description: 'send_window, frequency_cap' },
  assisted: { ...int, description: 'conversions that credited this touch without it being the last touch' },
  medianTimeToConversionMs: { type: ['number', 'null'], description: 'from the touch to the conversion, over credited conversions (within ~9%)' },
  fallbacks: {
    type: 'object', additionalProperties: int,
    description: 'reached sends that went out on another channel than the touch\'s (`channel`, the planned one) by a fallback (asSms, asEmail, …), by the channel used: {"sms": 12}; {} when none. Counted in sent/outbox too',
  },
}, ['outbox', 'failed', 'skipped', 'replied', 'unsubscribed', 'deferred', 'heldOut', 'skippedByReason', 'deferredByReason', 'assisted', 'medianTimeToConversionMs']);

const group = obj({ n: int, converted: int, rate: num });
const experimentStats = obj({
  funnelId: str, from: ntime, to: ntime,
  splits: arr(obj({
    splitId: str,
    variants: arr(obj({
      variantId: str, enrolled: int, converted: int, rate: num,
      probabilityBest: { type: ['number', 'null'], description: 'Beta-binomial probability that this variant converts best, among the variants with enough data; null below the sample threshold (fewer than 100 enrollments or 10 conversions): counts only' },
    })),
    pValue: { type: ['number', 'null'], description: 'two-proportion z-test (chi-square for three or more variants) over the variants with enough data; null when fewer than two have it' },
    note: { ...str, description: 'when the sample is too small to say anything' },
  }, ['note'])),
  holdouts: arr(obj({
    touchId: str, share: num, reached: group, heldOut: group,
    lift: { type: ['number', 'null'], description: 'conversion rate with the touch minus without it' },
    ci95: { type: ['array', 'null'], items: num, minItems: 2, maxItems: 2, description: '95% Newcombe interval of the lift' },
    note: str,
  }, ['share', 'note'])),
});

const contact = obj({
  id: str, externalId: nstr, email: nstr, phone: nstr, telegramChatId: nstr, vkUserId: nstr, name: nstr, timezone: nstr, locale: nstr,
  attributes: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
  consent: { type: 'object', additionalProperties: obj({ granted: bool, source: str, at: time }) },
  test: { ...bool, description: 'a test contact: draft funnels enroll it from their entry event and form' },
  createdAt: time, updatedAt: time,
  referralCode: { ...str, pattern: '^[a-km-np-z2-9]{10}$', description: 'the contact\'s referral code (stable; `{{ links.referral }}` carries it); in the answers of POST /api/contacts and GET /api/contacts/:id' },
  referredBy: { ...nstr, description: 'the id of the contact that referred this one, if any; in the answers of POST /api/contacts and GET /api/contacts/:id' },
}, ['referralCode', 'referredBy']);

const rows = (description: string): JsonSchema => ({ ...arr({ type: 'object' }), description: `${description}; stored columns in camelCase, times ISO 8601` });
const contactExport = obj({
  exportedAt: time, contact: ref('Contact'),
  consents: obj({
    current: { type: 'object', additionalProperties: obj({ granted: bool, source: str, at: time }) },
    history: arr(obj({ id: str, channel: str, granted: bool, source: str, ip: nstr, userAgent: nstr, wording: nstr, at: time })),
  }),
  enrollments: rows('every enrollment'), deliveries: rows('the ledger: every touch sent, skipped, deferred or failed, with recipient and subject'),
  pageVisits: rows('pages shown and viewed'), touchLog: rows('every skip, deferral, fallback and failure'),
  staffTouches: rows('staff and offline touches logged: kind, staff member, time, outcome, notes, value'),
  events: rows('every event, with its properties'), webinarSessions: rows('webinar sessions, registration, attendance'),
  outbox: rows('dev-outbox messages with their content'), links: rows('tracked links and their targets'),
  conversions: rows('conversions'), orders: rows('every order (goal event) per enrollment, in minor units'),
  sources: obj({ first: { type: ['object', 'null'] }, latest: { type: ['object', 'null'] } }), splitAssignments: rows('split variants taken'), suppressions: rows('suppressions of the contact\'s addresses'),
  referrals: obj({ codes: arr(str), referredBy: { type: ['object', 'null'], description: 'who brought the contact, and how' }, referred: rows('the contacts it brought') }),
  migrations: rows('what migrations did with its enrollments (from, to, steps, outcome)'),
});

/** Every schema the OpenAPI document names under `components.schemas`. */
export function componentSchemas(): Record<string, JsonSchema> {
  return {
    Error: obj({
      error: obj({
        code: { type: 'string', pattern: '^[a-z][a-z0-9_]*$', examples: ['bad_request', 'validation_failed', 'not_found'] },
        message: str,
        details: { description: 'for bad_request / validation_failed: an array of {path, message}; otherwise code-specific' },
      }, ['details']),
    }),
    IssueDetail: obj({ path: { ...str, description: 'dotted path of the offending field; empty for the whole body' }, message: str }),
    Health: obj({
      status: { type: 'string', enum: ['ok', 'degraded'] },
      db: { type: 'string', enum: ['ok', 'error'] },
      temporal: { type: 'string', enum: ['ok', 'error'] },
    }),
    ContactInput: fromZod(ContactInput),
    Contact: contact,
    ContactWithEnrollments: { allOf: [ref('Contact'), obj({ enrollments: arr(ref('EnrollmentSummary')) }), ref('ContactMoney')] },
    EnrollmentSummary: enrollmentSummary,
    EventInput: fromZod(EventInput),
    EventAccepted: obj({ id: str, duplicate: bool, dispatched: { type: 'boolean', description: 'false while the event is stored but not yet applied: the server\'s dispatcher signals it to the workflows moments later (while Temporal is unreachable, once it is back)' } }),
    EventBatch: {
      ...obj({
        events: {
          type: 'array', maxItems: 1000,
          items: { description: 'an event as POST /api/events takes it (EventInput); one that is not answers its error in its place of `results`, and is not stored' },
        },
      }),
      additionalProperties: false,
    },
    EventBatchAccepted: obj({
      results: arr({ oneOf: [ref('EventAccepted'), ref('Error')], description: 'one per event, in the order sent' }),
    }),
    Funnel: obj({
      id: str, name: str, version: str, entry: { ...nstr, description: 'the event that enrolls a contact' },
      goal: { ...str, description: 'the conversion event' },
      draft: { ...bool, description: 'a draft enrolls only test contacts from its entry event and form, and explicit API enrollments' },
      touches: arr(obj({
        id: str, channel: { type: 'string', enum: ['email', 'sms', 'telegram', 'vk', 'push', 'page'], description: 'the channel it goes out on first' },
        type: { type: 'string', enum: ['email', 'sms', 'telegram', 'vk', 'push', 'webinarInvite', 'ask', 'page'], description: 'what kind of touch it is (a webinar invite goes out as an email or a Telegram message)' },
      })),
    }, ['goal']),
    EnrollmentRequest: fromZod(EnrollmentRequest),
    EnrollmentRef: obj({ enrollmentId: str, contactId: str, funnelId: str, version: str }),
    Enrollment: obj({
      id: str, funnelId: str, contactId: str, version: str, status: enrollmentStatus,
      currentStep: { ...nstr, description: 'the step the running workflow is at; null when it is not running' },
      currentState: { type: ['string', 'null'], enum: ['running', 'waiting', 'sending', 'finished', null] },
      enrolledAt: time, finishedAt: ntime, convertedAt: ntime, exitReason: nstr,
      orders: { ...int, description: 'goal events of this enrollment: the first and every repeat' }, repeatOrders: int,
      revenueMinor: { type: 'object', additionalProperties: { type: 'integer' }, description: 'revenue of the orders per currency, in minor units (kopecks)' },
      timeline: { ...arr({ oneOf: [ref('DeliveryEntry'), ref('EventEntry'), ref('MigrationEntry')], discriminator: {
        propertyName: 'type',
        mapping: { delivery: '#/components/schemas/DeliveryEntry', event: '#/components/schemas/EventEntry', migration: '#/components/schemas/MigrationEntry' },
      } }), description: 'oldest first' },
    }, ['currentState']),
    DeliveryEntry: deliveryEntry,
    EventEntry: eventEntry,
    FunnelStats: obj({
      funnelId: str, model: { type: 'string', enum: [...ATTRIBUTION_MODELS] }, from: ntime, to: ntime,
      enrolled: int, active: int, converted: int, conversionRate: num, revenue: { ...num, description: 'revenue of first conversions (see money.revenue for every order)' },
      touches: arr(ref('TouchStats')), money: { ...ref('FunnelMoney'), description: 'with ?money=true' }, groups: { ...arr(ref('MoneyGroup')), description: 'with ?groupBy=, largest revenue first' },
      touchesBeforePurchase: { ...ref('TouchesBeforePurchase'), description: 'with ?journeys=true' },
    }, ['model', 'from', 'to', 'conversionRate', 'money', 'groups', 'touchesBeforePurchase']),
    TouchStats: touchStats,
    ExperimentStats: experimentStats,
    TestSendRequest: fromZod(TestSendRequest),
    TestSendResult: obj({
      funnelId: str, touchId: str, channel: { type: 'string', enum: ['email', 'sms', 'telegram'] }, to: { ...str, description: 'the address, normalised' },
      subject: { ...nstr, description: 'the rendered subject of an email, «[Тест]» first' }, text: { ...nstr, description: 'the rendered text, «[Тест]» first' },
      status: { type: 'string', enum: ['delivered', 'sent', 'outbox'], description: '`outbox` when the channel is in dev-outbox mode' }, providerMessageId: str,
    }),
    OutboxMessage: obj({
      id: str, createdAt: time, localTime: { ...str, description: 'the same instant as ISO 8601 with the offset of `timezone`' },
      timezone: { ...str, description: "the contact's zone, else the funnel's, else UTC" }, channel: str, recipient: str,
      recipientName: nstr, contactId: nstr, funnelId: nstr, touchId: nstr,
      test: { ...bool, description: 'a test send: in no ledger and no stats' }, subject: nstr, text: nstr, html: nstr,
    }),
    ContactExport: contactExport,
    ...versionOpenApiSchemas,
    ...moneySchemas(),
  };
}
