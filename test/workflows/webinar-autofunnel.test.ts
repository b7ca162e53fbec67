import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { TEST_PUBLIC_URL, TEST_SECRET_KEY, withHarness, type Harness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { recordingSms, recordingTelegram } from '../helpers/recording-channels';
import { loadExampleFunnel } from '../helpers/example-funnel';
import { upsertContact } from '../../src/db/contacts';
import { ingestEvent } from '../../src/engine/ingest-event';
import { syncWebinars } from '../../src/webinars/sync-webinars';
import { localParts, localToInstant } from '../../src/time/local-time';
import { trackingRoutes } from '../../src/http/tracking/index';
import { recordConsent } from '../../src/consent/record-consent';
import type { VersionedPlan } from '../../src/db/funnels';
import { recordHistory } from '../helpers/histories';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

/** The next Monday at a local time in a zone, strictly after `now`. */
function nextMondayAt(now: number, zone: string, hh: number, mm: number): number {
  const p = localParts(now, zone);
  for (let d = 0; d < 15; d++) {
    const day = new Date(Date.UTC(p.year, p.month - 1, p.day) + d * D);
    if (day.getUTCDay() !== 1) continue;
    const at = localToInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), hh, mm, zone);
    if (at > now + H) return at;
  }
  throw new Error('no Monday found');
}

/** `d<days since enrollment day> HH:MM` in the contact's zone. */
function localStamp(ms: number, start: number, zone: string): string {
  const a = localParts(start, zone);
  const b = localParts(ms, zone);
  const days = Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / D);
  return `d${days} ${String(b.hour).padStart(2, '0')}:${String(b.minute).padStart(2, '0')}`;
}

describe('funnels/webinar-autofunnel.ts in virtual time', () => {
  let env: TestWorkflowEnvironment;
  let funnel: VersionedPlan;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    funnel = await loadExampleFunnel('webinar-autofunnel');
  });
  afterAll(async () => { await env?.teardown(); });

  type Script = (h: Harness, c: { id: string; at: (day: number, hhmm: string) => Promise<void> }, channels: { telegram: ReturnType<typeof recordingTelegram>; mail: ReturnType<typeof recordingEmail> }) => Promise<void>;

  /**
   * Enrols one contact on a Monday at `start` local time in `zone` (email and SMS consent, a phone), plays the script
   * (which moves the clock with `at(day, 'HH:MM')` in the contact's zone), waits for the workflow to end, and returns
   * every ledger row as `<touch> <channel> <status>[ <reason>] <local day and time>`, plus the touch log.
   */
  async function customer(zone: string, start: string, script: Script) {
    const mail = recordingEmail();
    let clock = () => Date.now();
    const sms = recordingSms(() => clock());
    const telegram = recordingTelegram(() => clock());
    return await withHarness(env, [funnel], mail.channel, async (h) => {
      clock = h.deps.now;
      await syncWebinars(h.db, [funnel.plan], h.deps.now());
      const [hh, mm] = start.split(':').map(Number) as [number, number];
      const t0 = nextMondayAt(h.deps.now(), zone, hh, mm);
      await h.advance(t0 - h.deps.now());
      const { contact } = await upsertContact(h.db, {
        email: `${zone.split('/')[1]!.toLowerCase()}@example.test`, phone: '+79161234567', name: 'Ольга Смирнова', timezone: zone,
        consent: { email: true, sms: true }, test: true, // the shipped funnel is a draft: only test contacts enter it from its entry event
      }, 'form:webinar-autofunnel');
      await ingestEvent(h.deps, { contactId: contact.id, name: 'lead.webinar' });
      const at = async (day: number, hhmm: string) => {
        const [H2, M2] = hhmm.split(':').map(Number) as [number, number];
        const p = localParts(t0, zone);
        const d = new Date(Date.UTC(p.year, p.month - 1, p.day) + day * D);
        const target = localToInstant(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), H2, M2, zone);
        expect(target).toBeGreaterThan(h.deps.now());
        await h.advance(target - h.deps.now());
      };
      await script(h, { id: contact.id, at }, { telegram, mail });
      const result = await env.client.workflow.getHandle(`funnel:webinar-autofunnel:${contact.id}`).result();
      await recordHistory(env, `funnel:webinar-autofunnel:${contact.id}`);
      const rows = await h.db.selectFrom('deliveries').selectAll().where('contact_id', '=', contact.id).orderBy('created_at').orderBy('touch_id').execute();
      const ledger = rows.map((r) => `${r.touch_id} ${r.channel} ${r.status}${r.reason ? ` ${r.reason}` : ''} ${localStamp(Number(r.sent_at ?? r.scheduled_at), t0, zone)}`);
      const log = (await h.db.selectFrom('touch_log').selectAll().where('contact_id', '=', contact.id).orderBy('at').execute())
        .map((l) => `${l.touch_id} ${l.kind} ${l.reason}${l.until ? ` until ${localStamp(Number(l.until), t0, zone)}` : ''}`);
      const conversion = await h.db.selectFrom('attributions').select(['touch_id', 'model']).where('model', '=', 'last_touch').execute();
      return { result, ledger, log, conversion: conversion.map((c) => c.touch_id), sms: sms.sent, telegram: telegram.sent, mail: mail.sent, contactId: contact.id };
    }, { sms: sms.channel, telegram: telegram.channel, telegramBot: 'datastart_bot' });
  }

  /** Binds the contact's Telegram chat the way `/start <payload>` does, and emits `telegram.subscribed`. */
  async function bindTelegram(h: Harness, contactId: string, chatId: string) {
    await h.db.updateTable('contacts').set({ telegram_chat_id: chatId }).where('id', '=', contactId).execute();
    await recordConsent(h.db, { contactId, channel: 'telegram', granted: true, source: 'telegram:/start', wording: '/start', at: h.deps.now() });
    await ingestEvent(h.deps, { contactId, name: 'telegram.subscribed', properties: { chatId } });
  }

  it('a Moscow customer who binds the bot, watches 75 minutes and buys from the offer', async () => {
    const r = await customer('Europe/Moscow', '10:00', async (h, c) => {
      await c.at(0, '10:30');
      await bindTelegram(h, c.id, '5001');
      await c.at(0, '21:10');
      await ingestEvent(h.deps, { contactId: c.id, name: 'webinar.attended', properties: { webinarId: 'masterclass', minutes: 75 } });
      await c.at(3, '14:00');
      await ingestEvent(h.deps, { contactId: c.id, name: 'order.paid', value: 39_900 });
    });
    expect(r.result).toEqual({ status: 'converted', reason: 'goal' });
    expect(r.ledger).toEqual([
      'invite email delivered d0 10:00',
      'tg-welcome telegram delivered d0 10:30',
      'warmup email delivered d0 10:30',
      'remind-3h email delivered d0 16:00',
      'remind-1h telegram delivered d0 18:00',
      'remind-15m sms sent d0 18:45',
      'live telegram delivered d0 19:05',
      'offer-email email delivered d1 09:00',
      'offer-tg telegram delivered d1 09:00',
      'cases email delivered d2 09:00',
      'faq telegram delivered d3 09:00',
      'last-call sms sent d3 12:00',
    ]);
    expect(r.log).toEqual(['offer-email deferred send_window until d1 09:00']);
    expect(r.conversion).toEqual(['last-call']);
    // The invite carries the contact's own session and a calendar file; the bot buttons are wired.
    const invite = r.mail[0]!;
    expect(invite.subject).toMatch(/мастер-класс .* в 19:00$/);
    expect(invite.attachments?.[0]?.content).toContain('BEGIN:VCALENDAR');
    expect(r.telegram[0]!.buttons?.[0]?.[0]?.callbackData).toBeTruthy();
    expect(r.telegram[0]!.buttons?.[1]?.[0]?.url).toMatch(new RegExp(`^${TEST_PUBLIC_URL}/t/c/`));
  });

  it('a no-show in Asia/Vladivostok gets the night touch at 09:00 local, the replay series by SMS, and buys from the replay', async () => {
    const r = await customer('Asia/Vladivostok', '16:30', async (h, c) => {
      await c.at(1, '21:30');
      await ingestEvent(h.deps, { contactId: c.id, name: 'webinar.missed', properties: { webinarId: 'masterclass' } });
      await c.at(2, '12:00');
      await ingestEvent(h.deps, { contactId: c.id, name: 'replay.clicked' });
      await c.at(2, '13:00');
      await ingestEvent(h.deps, { contactId: c.id, name: 'order.paid', value: 39_900 });
    });
    expect(r.result).toEqual({ status: 'converted', reason: 'goal' });
    expect(r.ledger).toEqual([
      'invite email delivered d0 16:30',
      'sms-bot sms sent d0 18:30',
      'warmup email delivered d1 09:00',
      'remind-3h email delivered d1 16:00',
      'remind-1h sms sent d1 18:00',
      'remind-15m sms sent d1 18:45',
      'live email delivered d1 19:05',
      'replay email delivered d2 09:00',
      'replay-tg sms sent d2 09:00',
      'replay-reminder email delivered d2 10:00',
      'replay-offer email delivered d2 12:00',
    ]);
    expect(r.log).toEqual([
      'warmup deferred send_window until d1 09:00',
      'remind-1h fallback telegram: no_address',
      'live fallback telegram: no_address',
      'replay deferred send_window until d2 09:00',
      'replay-tg fallback telegram: no_address',
    ]);
    expect(r.conversion).toEqual(['replay-offer']);
    expect(r.sms[0]!.text).toContain('https://t.me/datastart_bot?start=');
  });

  it('a Kaliningrad customer who blocks the bot gets every later Telegram touch by SMS or email and finishes the funnel', async () => {
    const r = await customer('Europe/Kaliningrad', '20:30', async (h, c, ch) => {
      await c.at(0, '20:40');
      await bindTelegram(h, c.id, '7001');
      await c.at(1, '17:00');
      ch.telegram.blocked.add('7001');
      await c.at(1, '21:15');
      await ingestEvent(h.deps, { contactId: c.id, name: 'webinar.attended', properties: { webinarId: 'masterclass', minutes: 20 } });
    });
    expect(r.result).toEqual({ status: 'exited', reason: 'exit:done' });
    expect(r.ledger).toEqual([
      'invite email delivered d0 20:30',
      'tg-welcome telegram delivered d0 20:40',
      'warmup email delivered d1 09:00',
      'remind-3h email delivered d1 16:00',
      'remind-1h sms sent d1 18:00',
      'remind-15m sms sent d1 18:45',
      'live email delivered d1 19:05',
      'replay email delivered d2 09:00',
      'replay-tg sms sent d2 09:00',
      'replay-reminder email delivered d2 10:00',
      'replay-last email delivered d3 10:00',
      'cases email delivered d4 10:00',
      'faq email delivered d5 10:00',
      'last-call sms sent d5 12:00',
      'deadline email delivered d5 19:00',
      'installments email delivered d7 19:00',
      'feedback email delivered d7 19:00',
    ]);
    expect(r.log).toEqual([
      'warmup deferred send_window until d1 09:00',
      'remind-1h fallback telegram: Forbidden: bot was blocked by the user',
      'live fallback telegram: suppressed:blocked',
      'replay deferred send_window until d2 09:00',
      'replay-tg fallback telegram: suppressed:blocked',
      'faq fallback telegram: suppressed:blocked',
      'feedback fallback telegram: suppressed:blocked',
    ]);
    expect(r.telegram.map((m) => m.chatId)).toEqual(['7001']);
  });

  it('a customer who unsubscribes from email by one click keeps getting only SMS; skipped emails say why', async () => {
    const r = await customer('Europe/Moscow', '10:00', async (h, c, ch) => {
      await c.at(0, '13:00');
      const warmup = ch.mail.sent.find((m) => m.subject.startsWith('3 мифа'))!;
      const target = /<([^>]+)>/.exec(warmup.headers!['List-Unsubscribe']!)![1]!;
      expect(warmup.headers!['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
      const app = trackingRoutes({ ...h.deps, secretKey: TEST_SECRET_KEY, publicUrl: TEST_PUBLIC_URL });
      const res = await app.request(target.replace(TEST_PUBLIC_URL, ''), {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click',
      });
      expect(res.status).toBe(200);
    });
    expect(r.result).toEqual({ status: 'exited', reason: 'exit:done' });
    expect(r.ledger).toEqual([
      'invite email delivered d0 10:00',
      'sms-bot sms sent d0 12:00',
      'warmup email delivered d0 12:00',
      'remind-3h email skipped no_consent d0 16:00',
      'remind-1h sms sent d0 18:00',
      'remind-15m sms sent d0 18:45',
      'live telegram skipped no_address d0 19:05',
      'replay email skipped no_consent d1 00:00',
      'replay-tg sms sent d1 09:00',
      'replay-reminder email skipped no_consent d1 10:00',
      'replay-last email skipped no_consent d2 10:00',
      'cases email skipped no_consent d3 10:00',
      'faq telegram skipped no_address d4 10:00',
      'last-call sms sent d4 12:00',
      'deadline email skipped no_consent d4 19:00',
      'installments email skipped no_consent d6 19:00',
      'feedback telegram skipped no_address d6 19:00',
    ]);
    expect(r.sms).toHaveLength(5);
    expect(r.mail.map((m) => m.subject.slice(0, 12))).toHaveLength(2);
  });
});
