import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Plan, Step } from '../../src/dsl/plan';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { withHarness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { recordHistory } from '../helpers/histories';
import { upsertContact } from '../../src/db/contacts';
import { ingestEvent } from '../../src/engine/ingest-event';
import { validateFunnel } from '../../src/dsl/check';
import { email, waitUntil } from '../../src/dsl/steps';
import { localParts, localToInstant } from '../../src/time/local-time';
import { isoInZone } from '../../src/time/iso-in-zone';

const H = 3_600_000;
const D = 24 * H;
const KAMCHATKA = 'Asia/Kamchatka';

/** `d<days since the start day> HH:MM` on the contact's clock. */
function stamp(ms: number, start: number, zone: string): string {
  const [a, b] = [localParts(start, zone), localParts(ms, zone)];
  const days = Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / D);
  return `d${days} ${String(b.hour).padStart(2, '0')}:${String(b.minute).padStart(2, '0')}`;
}

/** The local date `days` after `ms` in `zone`, at HH:MM, as the instant. */
function localDay(ms: number, zone: string, days: number, hh: number, mm: number): number {
  const p = localParts(ms, zone);
  const day = new Date(Date.UTC(p.year, p.month - 1, p.day) + days * D);
  return localToInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), hh, mm, zone);
}

const ymd = (ms: number, zone: string) => {
  const p = localParts(ms, zone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
};

function appointmentPlan(id: string, dayBefore: Partial<Parameters<typeof waitUntil>[1]>): Plan {
  const steps: Step[] = [
    waitUntil('day-before', { date: 'contact.attributes.appointmentAt', offset: '-1d', time: '10:00', ...dayBefore }),
    email('reminder', { subject: 'Завтра приём', text: 'Ждём вас завтра' }),
    waitUntil('delivery-day', { date: 'event.properties.deliveryAt', time: '09:00' }),
    email('delivery', { subject: 'Сегодня доставка', text: 'Курьер приедет сегодня' }),
  ];
  return {
    id, name: 'Запись на приём', entry: 'appointment.booked', timezone: 'Europe/Moscow', attributes: ['appointmentAt'], events: ['appointment.booked'],
    goal: { event: 'visit.done', withinMs: 30 * D, exit: true }, steps,
  };
}

describe('waitUntil({ date }): a moment the contact or the event carries, on the contact\'s clock (virtual time)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => { env = await createTimeSkippingEnv(); });
  afterAll(async () => { await env?.teardown(); });

  /** Enrolls a Kamchatka contact with `attributes` through the entry event (with `properties`) at 12:00 local; the ledger rows. */
  async function run(plan: Plan, attributes: (t0: number) => Record<string, string>, properties: (t0: number) => Record<string, string>) {
    const mail = recordingEmail();
    return withHarness(env, [{ plan, version: `${plan.id}-1` }], mail.channel, async (h) => {
      const t0 = localDay(h.deps.now(), KAMCHATKA, 1, 12, 0);
      await h.advance(t0 - h.deps.now());
      const attrs = attributes(t0);
      const { contact } = await upsertContact(h.db, { email: 'anna@example.test', timezone: KAMCHATKA, consent: { email: true }, attributes: attrs }, 'api');
      await ingestEvent(h.deps, { contactId: contact.id, name: 'appointment.booked', properties: properties(t0) });
      const workflowId = `funnel:${plan.id}:${contact.id}`;
      await h.advance(10 * D);
      const result = await env.client.workflow.getHandle(workflowId).result();
      await recordHistory(env, workflowId, `${plan.id}-${attrs.appointmentAt ? 'dated' : 'undated'}`);
      const rows = await h.db.selectFrom('deliveries').selectAll().where('contact_id', '=', contact.id).orderBy('created_at').orderBy('touch_id').execute();
      return { result, ledger: rows.map((r) => `${r.touch_id} ${r.status}${r.reason ? ` ${r.reason}` : ''} ${stamp(Number(r.sent_at ?? r.scheduled_at), t0, KAMCHATKA)}`) };
    });
  }

  it('npm run check accepts a date wait on a declared attribute and names an undeclared one', () => {
    const plan = appointmentPlan('appointment', { else: [email('no-date', { subject: 'Уточните дату', text: 'Когда вам удобно?' })] });
    expect(validateFunnel(plan).problems).toEqual([]);
    const wrong = { ...plan, steps: [waitUntil('w', { date: 'contact.attributes.apointmentAt' }), ...plan.steps.slice(1)] };
    expect(validateFunnel(wrong).problems.map((p) => `${p.step}: ${p.message} — ${p.fix}`)).toEqual([
      "w: waits for the date in attribute 'apointmentAt', which is not declared — did you mean 'appointmentAt'? If not, declare it: attributes: ['apointmentAt']",
    ]);
    const bad = validateFunnel({ ...plan, steps: [{ type: 'waitUntil', id: 'w', date: 'contact.appointmentAt' } as Step] }).problems;
    expect(bad.map((p) => p.message).join('\n')).toMatch(/date is 'contact\.attributes\.<name>' or 'event\.properties\.<name>'/);
    const both = validateFunnel({ ...plan, steps: [{ type: 'waitUntil', id: 'w', date: 'contact.attributes.appointmentAt', weekdays: [1] } as Step] }).problems;
    expect(both.map((p) => p.message).join('\n')).toMatch(/a date wait takes a time of day, not weekdays/);
  });

  it('the day before a local appointment at 10:00 and on the delivery day at 09:00, in Kamchatka', async () => {
    const plan = appointmentPlan('appointment', { else: [email('no-date', { subject: 'Уточните дату', text: 'Когда вам удобно?' })] });
    const r = await run(plan,
      // On the contact's clock, without an offset: 15:00 in Kamchatka three days on.
      (t0) => ({ appointmentAt: `${ymd(localDay(t0, KAMCHATKA, 3, 0, 0), KAMCHATKA)} 15:00` }),
      // With an offset: 12:00 Moscow five days on is 21:00 in Kamchatka that day.
      (t0) => ({ deliveryAt: isoInZone(localDay(t0, 'Europe/Moscow', 5, 12, 0), 'Europe/Moscow') }));
    expect(r.result).toEqual({ status: 'exited', reason: 'completed' });
    expect(r.ledger).toEqual(['reminder delivered d2 10:00', 'delivery delivered d5 09:00']);
  });

  it('a missing date takes the declared else branch instead of the rest of the list', async () => {
    const plan = appointmentPlan('appointment', { else: [email('no-date', { subject: 'Уточните дату', text: 'Когда вам удобно?' })] });
    const r = await run(plan, () => ({}), () => ({}));
    expect(r.ledger).toEqual(['no-date delivered d0 12:00']);
  });

  it('a past date follows the too-late rule: skipped too_late without else, sent at once with late: send', async () => {
    const yesterday = (t0: number) => ({ appointmentAt: isoInZone(t0 - D, KAMCHATKA) });
    const tomorrow = (t0: number) => ({ deliveryAt: `${ymd(localDay(t0, KAMCHATKA, 1, 0, 0), KAMCHATKA)}` });
    const skip = await run(appointmentPlan('appointment-skip', {}), yesterday, tomorrow);
    expect(skip.ledger).toEqual(['reminder skipped too_late d0 12:00', 'delivery delivered d1 09:00']);
    const send = await run(appointmentPlan('appointment-send', { late: 'send' }), yesterday, tomorrow);
    expect(send.ledger).toEqual(['reminder delivered d0 12:00', 'delivery delivered d1 09:00']);
  });
});
