import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Plan, Step } from '../../src/dsl/plan';
import type { VersionedPlan } from '../../src/db/funnels';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { withHarness, type Harness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { recordingSms, recordingTelegram } from '../helpers/recording-channels';
import { loadExampleFunnel } from '../helpers/example-funnel';
import { recordHistory } from '../helpers/histories';
import { upsertContact } from '../../src/db/contacts';
import { recordConsent } from '../../src/consent/record-consent';
import { enroll } from '../../src/engine/enroll';
import { ingestEvent } from '../../src/engine/ingest-event';
import { email, waitUntil, webinarInvite } from '../../src/dsl/steps';
import { syncWebinars } from '../../src/webinars/sync-webinars';
import { localParts, localToInstant } from '../../src/time/local-time';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
const ZONE = 'Europe/Moscow';

/** The next Monday at HH:MM Moscow time, more than an hour after `now`. */
function nextMondayAt(now: number, hh: number, mm: number): number {
  const p = localParts(now, ZONE);
  for (let d = 0; d < 15; d++) {
    const day = new Date(Date.UTC(p.year, p.month - 1, p.day) + d * D);
    const at = localToInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), hh, mm, ZONE);
    if (day.getUTCDay() === 1 && at > now + H) return at;
  }
  throw new Error('no Monday found');
}

/** `d<days since the start day> HH:MM` in Moscow. */
function stamp(ms: number, start: number): string {
  const [a, b] = [localParts(start, ZONE), localParts(ms, ZONE)];
  const days = Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / D);
  return `d${days} ${String(b.hour).padStart(2, '0')}:${String(b.minute).padStart(2, '0')}`;
}

describe('late sign-ups get no burst of webinar reminders (virtual time)', () => {
  let env: TestWorkflowEnvironment;
  let shipped: VersionedPlan;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    shipped = await loadExampleFunnel('webinar-autofunnel');
  });
  afterAll(async () => { await env?.teardown(); });

  /**
   * Runs one Moscow test contact (email, phone, consent to both) who signs up on a Monday at `start` through the funnel's
   * entry event (or the API for a funnel without one), plays `script` (clock moves with `at('HH:MM', day)`), and answers
   * every ledger row as `<touch> <channel> <status>[ <reason>] <local day and time>`.
   */
  async function lateContact(
    funnel: VersionedPlan, start: string, script: (h: Harness, c: { id: string; at: (hhmm: string, day?: number) => Promise<void> }) => Promise<void>,
    prepare: (h: Harness, t0: number) => Promise<unknown> = async () => undefined,
  ) {
    const mail = recordingEmail();
    let clock = () => Date.now();
    const sms = recordingSms(() => clock());
    const telegram = recordingTelegram(() => clock());
    return withHarness(env, [funnel], mail.channel, async (h) => {
      clock = h.deps.now;
      await syncWebinars(h.db, [funnel.plan], h.deps.now());
      const [hh, mm] = start.split(':').map(Number) as [number, number];
      const t0 = nextMondayAt(h.deps.now(), hh, mm);
      await h.advance(t0 - h.deps.now());
      await prepare(h, t0);
      const { contact } = await upsertContact(h.db, {
        email: 'late@example.test', phone: '+79161234567', name: 'Ольга', timezone: ZONE, consent: { email: true, sms: true }, test: true,
      }, 'test');
      if (funnel.plan.entry) await ingestEvent(h.deps, { contactId: contact.id, name: funnel.plan.entry });
      else await enroll(h.deps, funnel.plan.id, contact.id);
      const at = async (hhmm: string, day = 0) => {
        const [H2, M2] = hhmm.split(':').map(Number) as [number, number];
        const p = localParts(t0, ZONE);
        const date = new Date(Date.UTC(p.year, p.month - 1, p.day) + day * D);
        await h.advance(localToInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), H2, M2, ZONE) - h.deps.now());
      };
      await script(h, { id: contact.id, at });
      const workflowId = `funnel:${funnel.plan.id}:${contact.id}`;
      const result = await env.client.workflow.getHandle(workflowId).result();
      await recordHistory(env, workflowId);
      const rows = await h.db.selectFrom('deliveries').selectAll().where('contact_id', '=', contact.id).orderBy('created_at').orderBy('touch_id').execute();
      const ledger = rows.map((r) => `${r.touch_id} ${r.channel} ${r.status}${r.reason ? ` ${r.reason}` : ''} ${stamp(Number(r.sent_at ?? r.scheduled_at), t0)}`);
      const skips = (await h.db.selectFrom('touch_log').selectAll().where('contact_id', '=', contact.id).where('kind', '=', 'skipped').orderBy('at').execute())
        .map((l) => `${l.touch_id} ${l.reason}`);
      return { result, ledger, skips, sms: sms.sent, telegram: telegram.sent, mail: mail.sent };
    }, { sms: sms.channel, telegram: telegram.channel, telegramBot: 'datastart_bot' });
  }

  it('the shipped funnel: a sign-up 20 minutes before the session gets the 15-minute reminder on time and nothing stale', async () => {
    // A session 20 minutes away needs a lead shorter than that: the shipped 4-hour minLead would give tomorrow's.
    const plan: Plan = { ...shipped.plan, webinars: shipped.plan.webinars!.map((w) => ({ ...w, minLeadMs: 0 })) };
    const r = await lateContact({ plan, version: 'late-0' }, '18:40', async (h, c) => {
      await c.at('18:41');
      await h.db.updateTable('contacts').set({ telegram_chat_id: '5001' }).where('id', '=', c.id).execute();
      await recordConsent(h.db, { contactId: c.id, channel: 'telegram', granted: true, source: 'telegram:/start', wording: '/start', at: h.deps.now() });
      await ingestEvent(h.deps, { contactId: c.id, name: 'telegram.subscribed', properties: { chatId: '5001' } });
      await c.at('20:30');
      await ingestEvent(h.deps, { contactId: c.id, name: 'order.paid', value: 39_900 });
    });
    expect(r.result).toEqual({ status: 'converted', reason: 'goal' });
    expect(r.ledger).toEqual([
      'invite email delivered d0 18:40',
      'tg-welcome telegram delivered d0 18:41',
      'warmup email skipped too_late d0 18:41', // late: 'send', but the 3-hour and 1-hour moments have passed too
      'remind-3h email skipped too_late d0 18:41',
      'remind-1h telegram skipped too_late d0 18:41',
      'remind-15m sms sent d0 18:45',
      'live telegram delivered d0 19:05',
    ]);
    expect(r.skips).toEqual(['warmup too_late', 'remind-3h too_late', 'remind-1h too_late']);
    expect(r.sms.map((m) => m.text)).toEqual([expect.stringMatching(/^Датастарт: начинаем через 15 минут!/)]);
  });

  it('the shipped funnel as it is: a sign-up 4 h 05 min before the session without the bot skips the warm-up and the 3-hour reminder', async () => {
    const r = await lateContact(shipped, '14:55', async (h, c) => {
      await c.at('19:30');
      await ingestEvent(h.deps, { contactId: c.id, name: 'order.paid', value: 39_900 });
    });
    expect(r.result).toEqual({ status: 'converted', reason: 'goal' });
    expect(r.ledger).toEqual([
      'invite email delivered d0 14:55',
      'sms-bot sms sent d0 16:55',
      'warmup email skipped too_late d0 16:55',
      'remind-3h email skipped too_late d0 16:55',
      'remind-1h sms sent d0 18:00',
      'remind-15m sms sent d0 18:45',
      'live email delivered d0 19:05',
    ]);
    expect(r.mail.map((m) => m.subject)).toEqual([expect.stringMatching(/вы зарегистрированы: мастер-класс .* в 19:00$/), 'Мы в эфире!']);
  });

  /** A small funnel with a fixed webinar 20 minutes after its start and reminders at −3h, −1h, −15m and the start. */
  const small = (late?: 'send'): VersionedPlan => {
    const remind = (id: string, offset: string): Step[] => [
      waitUntil(`${id}-wait`, { webinar: 'live', offset: offset as '-1h', ...(late && { late }) }),
      email(id, { subject: id, text: 'Эфир: {{ webinars.live.time }}' }),
    ];
    return {
      version: late ?? 'skip',
      plan: {
        id: `late-${late ?? 'skip'}`, name: 'Эфир', entry: null, timezone: ZONE, goal: { event: 'order.paid', withinMs: 7 * D, exit: true },
        attributes: [], events: [],
        webinars: [{ id: 'live', title: 'Эфир', startsAt: '2000-01-01T00:00:00Z', minLeadMs: 0, durationMs: H, joinUrl: 'https://meet.example.test/live' }],
        steps: [webinarInvite('invite', { webinar: 'live', via: 'email', subject: 'Вы записаны', text: '{{ webinar.time }}' }), ...remind('r3h', '-3h'), ...remind('r1h', '-1h'), ...remind('r15m', '-15m'), ...remind('live-now', '0')],
      },
    };
  };
  /** Puts the small funnel's webinar 20 minutes after the sign-up. */
  const in20Minutes = (h: Harness, t0: number) => h.db.updateTable('webinars').set({ starts_at: t0 + 20 * MIN }).where('id', '=', 'live').execute();

  it("a funnel that says late: 'send' gets only the latest passed reminder at once, then the rest on time", async () => {
    const f = small('send');
    const r = await lateContact(f, '18:40', async () => undefined, in20Minutes);
    expect(r.ledger).toEqual([
      'invite email delivered d0 18:40',
      'r3h email skipped too_late d0 18:40',
      'r1h email delivered d0 18:40',
      'r15m email delivered d0 18:45',
      'live-now email delivered d0 19:00',
    ]);
  });

  it('the default skips every passed reminder', async () => {
    const f = small();
    const r = await lateContact(f, '18:40', async () => undefined, in20Minutes);
    expect(r.ledger).toEqual([
      'invite email delivered d0 18:40',
      'r3h email skipped too_late d0 18:40',
      'r1h email skipped too_late d0 18:40',
      'r15m email delivered d0 18:45',
      'live-now email delivered d0 19:00',
    ]);
  });
});
