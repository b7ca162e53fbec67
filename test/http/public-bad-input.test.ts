import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTelegramChannel } from '../../src/channels/telegram/channel';
import { webhookSecretFor } from '../../src/channels/telegram/webhook';
import { smsWebhookRoutes } from '../../src/http/webhooks/sms';
import { smsWebhookToken } from '../../src/channels/sms/webhook-url';
import { bounceWebhookToken, unsubscribeToken } from '../../src/tracking/tokens';
import { webinarWebhookToken } from '../../src/http/api/webinars';
import { webinarContactToken } from '../../src/webinars/template-vars';
import { pageUrl } from '../../src/pages/page-url';
import { welcomePlan } from './test-app';
import { leadPlan } from './pages/page-app';
import { planWith } from '../webinars/fixtures';
import { SERVED, startServedApp, type ServedTestApp } from '../helpers/served-app';
import { tableNames } from '../helpers/db-tools';

type Body = string | URLSearchParams | Record<string, unknown> | unknown[];
interface Case { name: string; method: 'GET' | 'POST'; path: (k: Known) => string; body?: Body; type?: string; status: number }
interface Known { anna: string; bounce: string; attendance: string; sms: string; page: string; webinar: string; unsubscribe: string }

const big = (n: number) => 'x'.repeat(n);
const form = (fields: Record<string, string>) => new URLSearchParams(fields);

// Every customer- and provider-facing route, fed what a broken client, a scanner or an attacker sends: each answers
// a 4xx (the open pixel always answers its GIF) and no table of the database changes.
const CASES: Case[] = [
  // lead forms
  { name: 'form: oversized', method: 'POST', path: () => '/f/lead', body: form({ name: big(70_000) }), status: 413 },
  { name: 'form: malformed JSON', method: 'POST', path: () => '/f/lead', body: '{"name": ', type: 'application/json', status: 400 },
  { name: 'form: wrong content type', method: 'POST', path: () => '/f/lead', body: 'name=Anna', type: 'text/plain', status: 415 },
  { name: 'form: invalid fields', method: 'POST', path: () => '/f/lead', body: form({ name: 'Анна', email: 'not-an-email' }), status: 422 },
  { name: 'form: unknown funnel', method: 'POST', path: () => '/f/nope', body: form({ name: 'Анна', email: 'a@example.ru' }), status: 404 },
  // the sixth submission from one address within ten minutes (the five above count)
  { name: 'form: too many submissions', method: 'POST', path: () => '/f/lead', body: '[1,2]', type: 'application/json', status: 429 },
  // pages
  { name: 'page: forged token', method: 'GET', path: (k) => `/p/lead/thanks?t=${k.anna}.forgedforgedforgedforg`, status: 404 },
  { name: 'page: truncated token', method: 'GET', path: (k) => `/p/lead/thanks?t=${k.page.slice(0, -3)}`, status: 404 },
  { name: 'page: another page\'s token', method: 'GET', path: (k) => `/p/lead/bonus?t=${k.page}`, status: 404 },
  { name: 'page: no token', method: 'GET', path: () => '/p/lead/thanks', status: 404 },
  // tracking and unsubscribe
  { name: 'open pixel: forged token (still the GIF)', method: 'GET', path: (k) => `/t/o/${k.anna}.forged`, status: 200 },
  { name: 'click: unknown link', method: 'GET', path: () => '/t/c/lk_unknown', status: 404 },
  { name: 'unsubscribe page: forged token', method: 'GET', path: (k) => `/u/${k.anna}.forgedforgedforgedforg`, status: 404 },
  { name: 'one-click unsubscribe: forged token', method: 'POST', path: (k) => `/u/${k.anna}.forgedforgedforgedforg`, body: form({ 'List-Unsubscribe': 'One-Click' }), status: 404 },
  { name: 'unsubscribe: a form that names no action', method: 'POST', path: (k) => `/u/${k.unsubscribe}`, body: form({ action: 'explode' }), status: 400 },
  // webinar links
  { name: 'webinar page: forged token', method: 'GET', path: (k) => `/w/live/register?t=${k.anna}.forgedforgedforgedforg`, status: 404 },
  { name: 'webinar registration: forged token', method: 'POST', path: () => '/w/live/register', body: form({ t: 'ct_x.forgedforgedforgedforg' }), status: 404 },
  { name: 'webinar registration: wrong content type', method: 'POST', path: () => '/w/live/register', body: '{"t": "x"}', type: 'application/json', status: 415 },
  { name: 'webinar registration: oversized', method: 'POST', path: () => '/w/live/register', body: form({ t: 'x', pad: big(10_000) }), status: 413 },
  { name: 'webinar registration: unknown webinar', method: 'POST', path: () => '/w/nope/register', body: form({ t: 'x' }), status: 404 },
  { name: 'calendar file: forged token', method: 'GET', path: (k) => `/w/live/calendar.ics?t=${k.anna}.forgedforgedforgedforg`, status: 404 },
  // bounce webhook
  { name: 'bounces: wrong token', method: 'POST', path: () => '/webhooks/email/bounce?token=nope', body: { email: 'anna@example.ru', reason: 'x' }, status: 401 },
  { name: 'bounces: malformed JSON', method: 'POST', path: (k) => `/webhooks/email/bounce?token=${k.bounce}`, body: '{"email"', type: 'application/json', status: 400 },
  { name: 'bounces: invalid address', method: 'POST', path: (k) => `/webhooks/email/bounce?token=${k.bounce}`, body: [{ email: 'ß£@v', reason: 'x' }], status: 422 },
  { name: 'bounces: a report without its reason in a batch', method: 'POST', path: (k) => `/webhooks/email/bounce?token=${k.bounce}`, body: [{ email: 'anna@example.ru', reason: 'x' }, { email: 'b@example.ru' }], status: 400 },
  { name: 'bounces: oversized', method: 'POST', path: (k) => `/webhooks/email/bounce?token=${k.bounce}`, body: { email: 'anna@example.ru', reason: big(300_000) }, status: 413 },
  // webinar attendance webhook
  { name: 'attendance: wrong token', method: 'POST', path: () => '/webhooks/webinar/live?token=nope', body: { records: [{ email: 'anna@example.ru', joined: true }] }, status: 401 },
  { name: 'attendance: malformed JSON', method: 'POST', path: (k) => `/webhooks/webinar/live?token=${k.attendance}`, body: '{"records": [', type: 'application/json', status: 400 },
  { name: 'attendance: a bad row', method: 'POST', path: (k) => `/webhooks/webinar/live?token=${k.attendance}`, body: { records: [{ email: 'anna@example.ru', joined: true }, { email: 'x@example.ru', joined: 'maybe' }] }, status: 422 },
  { name: 'attendance: unknown webinar', method: 'POST', path: (k) => `/webhooks/webinar/nope?token=${k.attendance}`, body: { records: [{ email: 'anna@example.ru', joined: true }] }, status: 401 },
  // Telegram webhook
  { name: 'telegram: wrong secret', method: 'POST', path: () => '/webhooks/telegram', body: { update_id: 1, message: { message_id: 1, date: 0, chat: { id: 1, type: 'private' }, text: '/start' } }, status: 401 },
  { name: 'telegram: not an update', method: 'POST', path: () => '/webhooks/telegram#secret', body: '{"update_id": "x"', type: 'application/json', status: 400 },
  { name: 'telegram: oversized', method: 'POST', path: () => '/webhooks/telegram#secret', body: { update_id: 1, pad: big(2_000_000) }, status: 413 },
  // SMS webhooks
  { name: 'sms: unknown provider', method: 'POST', path: () => '/webhooks/sms/nope?token=x', body: form({ a: 'b' }), status: 404 },
  { name: 'sms: wrong token', method: 'POST', path: () => '/webhooks/sms/smsru?token=nope', body: form({ 'data[0]': 'sms_status\n1\n103' }), status: 401 },
  { name: 'sms: oversized', method: 'POST', path: (k) => `/webhooks/sms/smsc?token=${k.sms}`, body: form({ mes: big(300_000) }), status: 413 },
];

describe('public routes refuse bad input and store nothing', () => {
  let s: ServedTestApp;
  let known: Known;
  beforeAll(async () => {
    s = await startServedApp({
      plans: [welcomePlan, leadPlan, planWith('webinars', [{ id: 'live', startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString() }])],
      extra: (deps) => ({
        telegram: { channel: createTelegramChannel({ token: '123:abc', apiRoot: 'http://127.0.0.1:9' }), username: 'school_bot', webhook: true },
        smsWebhooks: smsWebhookRoutes({ db: deps.db, secretKey: SERVED.secretKey, log: deps.log, now: deps.now, onInbound: async () => undefined }),
      }),
    });
    const anna = (await s.api('POST', '/api/contacts', { email: 'anna@example.ru', phone: '+79161234567', consent: { email: true, sms: true } })).json.id as string;
    known = {
      anna, bounce: bounceWebhookToken(SERVED.secretKey), attendance: webinarWebhookToken(SERVED.secretKey, 'live'), sms: smsWebhookToken(SERVED.secretKey, 'smsc'),
      page: new URL(pageUrl(SERVED.publicUrl, SERVED.secretKey, 'lead', 'thanks', anna)).searchParams.get('t')!,
      webinar: webinarContactToken(SERVED.secretKey, anna), unsubscribe: unsubscribeToken(SERVED.secretKey, anna),
    };
  });
  afterAll(() => s?.stop());

  /** Row counts of every table. */
  const everything = async () => {
    const out: Record<string, number> = {};
    for (const name of await tableNames(s.db)) out[name] = Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(s.db)).rows[0]!.n);
    return out;
  };

  for (const c of CASES) {
    it(`${c.name} → ${c.status}`, async () => {
      const before = await everything();
      const [path, secret] = c.path(known).split('#');
      const headers: Record<string, string | null> = { authorization: null, ...(c.type && { 'content-type': c.type }) };
      if (secret) headers['x-telegram-bot-api-secret-token'] = webhookSecretFor(SERVED.secretKey);
      const answer = await s.api(c.method, path!, c.body, headers);
      expect(answer.status, answer.text.slice(0, 300)).toBe(c.status);
      expect(await everything()).toEqual(before);
    });
  }

  it('covers every kind of public route', () => {
    const kinds = new Set(CASES.map((c) => c.name.split(':')[0]!.split(' ')[0]));
    expect([...kinds].sort()).toEqual(['attendance', 'bounces', 'calendar', 'click', 'form', 'one-click', 'open', 'page', 'sms', 'telegram', 'unsubscribe', 'webinar'].sort());
  });
});
