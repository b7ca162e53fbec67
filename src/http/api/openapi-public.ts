import { fromZod, type JsonSchema } from './openapi-schemas';
import { ConsentDecision } from '../tracking/consent-api';
import { BounceReport } from '../tracking/bounce-webhook';
import { PushSubscribeBody } from '../../push/subscribe';

const str: JsonSchema = { type: 'string' };
const nstr: JsonSchema = { type: ['string', 'null'] };
const bool: JsonSchema = { type: 'boolean' };
const time: JsonSchema = { type: 'string', format: 'date-time' };
const arr = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
const obj = (properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema =>
  ({ type: 'object', properties, required: Object.keys(properties).filter((k) => !optional.includes(k)) });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const html = (description: string) => ({ description, content: { 'text/html': { schema: str } } });
const fail = (description: string) => ({ description, content: json({ $ref: '#/components/schemas/Error' }) });
/** An error of a page a browser or a JSON client posts to: the error body for JSON clients, a notice page for browsers. */
const either = (description: string) => ({ description, content: { ...json({ $ref: '#/components/schemas/Error' }), 'text/html': { schema: str } } });
const path = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: str });
const query = (name: string, description: string, required = true) => ({ name, in: 'query', required, description, schema: str });
const common = { 401: fail('missing or wrong bearer token (`unauthorized`)'), 500: fail('unexpected failure (`internal`)') };
const publicOp = { security: [] as unknown[] };

const consentEntry = obj({ id: str, channel: str, granted: bool, source: str, ip: nstr, userAgent: nstr, wording: nstr, at: time });

/** Consent proof under `/api/contacts/{id}/consents` (bearer auth like the rest of `/api`). */
export const consentOpenApiPaths = {
  '/api/contacts/{id}/consents': {
    get: {
      tags: ['contacts'], operationId: 'getContactConsents', summary: 'Current consent per channel and its full history (the proof 38-FZ asks for)',
      parameters: [path('id', 'contact id')],
      responses: {
        200: ok('consents', obj({ contactId: str, current: { type: 'object', additionalProperties: obj({ granted: bool, source: str, at: time }) }, history: arr(consentEntry) })),
        404: fail('unknown contact (`not_found`)'), ...common,
      },
    },
    post: {
      tags: ['contacts'], operationId: 'recordContactConsent', summary: 'Record a consent decision with its source and wording',
      parameters: [path('id', 'contact id')],
      requestBody: { required: true, content: json(fromZod(ConsentDecision)) },
      responses: {
        201: ok('the history entry', consentEntry), 400: fail('malformed JSON or wrong types (`invalid_json`, `bad_request`)'),
        404: fail('unknown contact (`not_found`)'), 422: fail('invalid values (`validation_failed`)'), ...common,
      },
    },
  },
};

/**
 * The customer- and provider-facing routes outside `/api`: authenticated by signed tokens in the link or by the
 * provider's secret, never by the API token. HTML answers are documented as such.
 */
export const publicOpenApiPaths = {
  '/t/o/{token}': { get: { ...publicOp, tags: ['tracking'], operationId: 'openPixel', summary: 'Open pixel: records `<touchId>.opened` once per email', parameters: [path('token', 'signed open token')], responses: { 200: { description: 'a 1×1 GIF, always (a forged token records nothing)', content: { 'image/gif': { schema: str } } } } } },
  '/t/c/{linkId}': { get: { ...publicOp, tags: ['tracking'], operationId: 'trackedClick', summary: 'Tracked link: records `<touchId>.clicked` and redirects to the stored URL', parameters: [path('linkId', 'server-side link id')], responses: { 302: { description: 'to the stored target (never to anything else)' }, 404: html('unknown link') } } },
  '/u/{token}': {
    get: { ...publicOp, tags: ['tracking'], operationId: 'unsubscribePage', summary: 'Unsubscribe page with a choice per channel (ru/en)', parameters: [path('token', 'signed unsubscribe token')], responses: { 200: html('the page'), 404: html('forged or unknown token') } },
    post: { ...publicOp, tags: ['tracking'], operationId: 'unsubscribe', summary: 'RFC 8058 one-click (`List-Unsubscribe=One-Click`) or the page\'s per-channel form', parameters: [path('token', 'signed unsubscribe token')], requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object' } } } }, responses: { 200: html('unsubscribed'), 400: html('a malformed form'), 404: html('forged or unknown token') } },
  },
  '/webhooks/email/bounce': {
    post: {
      ...publicOp, tags: ['webhooks'], operationId: 'emailBounce', summary: 'Hard bounces from your MTA/ESP: the address is suppressed, the delivery failed',
      parameters: [query('token', 'the token printed at start (derived from SECRET_KEY)')],
      requestBody: { required: true, content: json({ oneOf: [fromZod(BounceReport), arr(fromZod(BounceReport))] }) },
      responses: {
        200: ok('what each report did', obj({ results: arr(obj({ email: str, suppressed: bool, deliveryId: nstr, eventId: nstr })) })),
        400: fail('malformed body'), 401: fail('wrong token'), 413: fail('too large'), 422: fail('invalid values'),
      },
    },
  },
  '/p/{funnelId}/{pageId}': { get: { ...publicOp, tags: ['pages'], operationId: 'page', summary: 'A funnel page for one contact; the first visit is `<pageId>.viewed`', parameters: [path('funnelId', 'funnel id'), path('pageId', 'page id'), query('t', 'signed per-contact token')], responses: { 200: html('the page'), 404: html('unknown page or forged token') } } },
  '/a/{funnelId}/{askId}': {
    get: { ...publicOp, tags: ['pages'], operationId: 'answerPage', summary: 'An ask\'s answer page (`{{ links.asks.<askId> }}`): the question and a small form for one contact', parameters: [path('funnelId', 'funnel id'), path('askId', 'ask step id'), query('t', 'signed per-contact token'), query('af_answer', 'preselects this option id or number', false)], responses: { 200: html('the form'), 404: html('unknown ask, contact never enrolled, or forged token'), 410: html('the ask no longer waits for an answer') } },
    post: {
      ...publicOp, tags: ['pages'], operationId: 'submitAnswer',
      summary: 'Answers the waiting ask (HTML form or JSON): `answer` = an option id or a number of the scale, or `text` for a free-text ask; stored as `<askId>.clicked {button}` / `<askId>.replied {text}` with `via: page`, then recorded in the answers like any answer',
      parameters: [path('funnelId', 'funnel id'), path('askId', 'ask step id'), query('t', 'signed per-contact token')],
      requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: obj({ answer: str, text: str }, ['answer', 'text']) }, 'application/json': { schema: obj({ answer: str, text: str }, ['answer', 'text']) } } },
      responses: {
        200: { description: 'JSON: accepted; HTML: a thank-you page', content: { ...json(obj({ accepted: bool, answer: str })), 'text/html': { schema: str } } },
        400: either('malformed JSON'), 404: either('unknown ask, contact never enrolled, or forged token'), 410: either('the ask no longer waits for an answer'),
        413: either('too large'), 415: either('neither a form nor JSON'), 422: either('an answer the ask does not offer, or none; the HTML form is shown again'),
      },
    },
  },
  '/f/{funnelId}': {
    get: { ...publicOp, tags: ['pages'], operationId: 'leadForm', summary: 'The funnel\'s lead form', parameters: [path('funnelId', 'funnel id'), query('ref', 'a referral code (`{{ links.referral }}`): carried in the form, links the new contact to the referrer', false)], responses: { 200: html('the form'), 404: html('no such funnel or form') } },
    post: {
      ...publicOp, tags: ['pages'], operationId: 'submitLeadForm',
      summary: 'Submit the lead form (HTML form or JSON): upserts the contact with consent proof, links a referral (`ref` field or `?ref=`), enrolls, redirects to the thank-you page',
      parameters: [path('funnelId', 'funnel id'), query('ref', 'a referral code, when the form\'s hidden `ref` field does not carry it', false)],
      requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object' } }, 'application/json': { schema: { type: 'object' } } } },
      responses: {
        201: ok('JSON: the contact, the enrollment, where the browser goes; `referral` when the visitor came with a referral code', obj({
          contactId: str, enrollmentId: nstr, redirect: str,
          referral: obj({ linked: bool, reason: { type: 'string', enum: ['unknown_referral_code', 'self_referral', 'referral_loop', 'already_referred'] } }, ['reason']),
        }, ['referral'])),
        303: { description: 'HTML: to the personal thank-you page (also for a filled honeypot, storing nothing)' },
        400: either('malformed JSON'), 404: either('no such funnel or form'), 409: either('email and phone belong to different contacts'),
        413: either('too large'), 415: either('unsupported content type'), 422: either('invalid input; the HTML form is shown again with messages, nothing stored'),
        429: either('too many submissions from this address (`rate_limited`, with Retry-After)'),
      },
    },
  },
  '/push/subscriptions': {
    post: {
      ...publicOp, tags: ['pages'], operationId: 'pushSubscribe',
      summary: 'Store a browser\'s web push subscription for the contact a page token names (the page\'s subscribe script posts it); records `push` consent with its proof and emits `push.subscribed`',
      requestBody: { required: true, content: json(fromZod(PushSubscribeBody)) },
      responses: {
        201: ok('a new subscription', obj({ id: str })), 200: ok('a browser subscribed before: its subscription, keys refreshed', obj({ id: str })),
        400: fail('malformed JSON or wrong types (`invalid_json`, `bad_request`)'), 404: fail('unknown funnel or page, or a forged token (`not_found`); nothing stored'),
        413: fail('too large (`payload_too_large`)'), 422: fail('invalid values, e.g. a non-https endpoint (`validation_failed`)'),
        429: fail('too many subscriptions from this address (`rate_limited`)'),
      },
    },
  },
  '/push/subscribe.js': { get: { ...publicOp, tags: ['pages'], operationId: 'pushSubscribeScript', summary: 'The subscribe script funnel pages load (offers «Получать уведомления» where the browser can push)', responses: { 200: { description: 'JavaScript', content: { 'text/javascript': { schema: str } } } } } },
  '/push/sw.js': { get: { ...publicOp, tags: ['pages'], operationId: 'pushServiceWorker', summary: 'The web push service worker (scope `/push/`): shows notifications, opens their tracked link on a click', responses: { 200: { description: 'JavaScript', content: { 'text/javascript': { schema: str } } } } } },
  '/f/{funnelId}/thanks': { get: { ...publicOp, tags: ['pages'], operationId: 'leadFormThanks', summary: 'A neutral thank-you page', parameters: [path('funnelId', 'funnel id')], responses: { 200: html('the page'), 404: html('no such funnel or form') } } },
  '/w/{webinarId}/register': {
    get: { ...publicOp, tags: ['webinars'], operationId: 'webinarRegistrationPage', summary: 'The registration link: the webinar in the contact\'s local time and a button; stores nothing (mail scanners prefetch links)', parameters: [path('webinarId', 'webinar id'), query('t', 'signed per-contact token')], responses: { 200: html('the page with the button (or the confirmation, once registered)'), 404: html('forged token or unknown webinar') } },
    post: {
      ...publicOp, tags: ['webinars'], operationId: 'registerForWebinar', summary: 'The page\'s button: registers the contact for their session once (`webinar.registered`)',
      parameters: [path('webinarId', 'webinar id')],
      requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: obj({ t: { ...str, description: 'the signed per-contact token (the only authorisation: no cookie, so nothing to forge across sites)' } }) } } },
      responses: { 200: html('confirmation with the local date and calendar links'), 400: html('not a form'), 404: html('forged token or unknown webinar'), 413: html('too large'), 415: html('not a form post') },
    },
  },
  '/w/{webinarId}/calendar.ics': { get: { ...publicOp, tags: ['webinars'], operationId: 'webinarCalendar', summary: 'The contact\'s session as an .ics file', parameters: [path('webinarId', 'webinar id'), query('t', 'signed per-contact token')], responses: { 200: { description: 'text/calendar', content: { 'text/calendar': { schema: str } } }, 404: html('forged token or unknown webinar') } } },
  '/webhooks/telegram': { post: { ...publicOp, tags: ['webhooks'], operationId: 'telegramWebhook', summary: 'Telegram updates (when TELEGRAM_BOT_TOKEN is set and updates come by webhook); checks X-Telegram-Bot-Api-Secret-Token', requestBody: { required: true, content: json({ type: 'object', description: 'a Telegram Update' }) }, responses: { 200: ok('accepted', obj({ ok: bool })), 400: fail('not an update'), 401: fail('wrong secret token'), 413: fail('too large') } } },
  '/webhooks/vk': { post: {
    ...publicOp, tags: ['webhooks'], operationId: 'vkCallback',
    summary: 'VK Callback API (when VK_GROUP_ID and VK_CONFIRMATION are set): `confirmation` is answered with VK_CONFIRMATION; `message_new` (replies, button presses, the `ref` of a `{{ links.vk }}` link), `message_allow` and `message_deny` are handled once per `event_id` and answered `ok`',
    requestBody: { required: true, content: json(obj({
      type: { ...str, description: 'confirmation, message_new, message_allow, message_deny, …' },
      group_id: { type: 'integer', description: 'must be VK_GROUP_ID' },
      event_id: { ...str, description: 'a retried delivery carries the same id and changes nothing' },
      secret: { ...str, description: 'must be VK_CALLBACK_SECRET when that is set' },
      v: str, object: { type: 'object' },
    }, ['event_id', 'secret', 'v', 'object'])) },
    responses: {
      200: { description: 'text/plain: the confirmation string, or `ok`', content: { 'text/plain': { schema: str } } },
      400: fail('not a Callback API event'), 403: fail('another community, or a wrong secret'), 413: fail('too large'),
      500: fail('the event could not be stored; VK delivers it again'),
    },
  } },
  '/webhooks/sms/{provider}': Object.fromEntries(['get', 'post'].map((m) => [m, {
    ...publicOp, tags: ['webhooks'], operationId: `smsWebhook${m === 'get' ? 'Get' : ''}`, summary: 'SMS delivery reports and replies in the provider\'s own format (STOP / СТОП / ОТПИСАТЬСЯ withdraws SMS consent)',
    parameters: [path('provider', 'smsru | smsc | twilio'), query('token', 'derived from SECRET_KEY; the full URL is logged at start')],
    responses: { 200: { description: 'the provider\'s acknowledgement (text/plain or text/xml)' }, 400: fail('a body the provider would not send'), 401: fail('wrong token or Twilio signature'), 404: fail('unknown provider'), 405: fail('a method this provider does not use'), 413: fail('too large') },
  }])),
};
