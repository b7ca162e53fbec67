import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database';
import type { ContactInput } from '../../src/contacts/input';
import type { Plan, TouchStep } from '../../src/dsl/plan';
import { upsertContact } from '../../src/db/contacts';
import { asSms, email } from '../../src/dsl/steps';
import { funnelStats, funnelStatsFromRawTables } from '../../src/analytics/funnel-stats';
import { sendTouch, type SendTouchDeps } from '../../src/activities/send-touch';
import { freshDatabase, TEST_DB, type TestDatabase } from '../helpers/test-db';
import { recordingEmail } from '../helpers/recording-email';
import { recordingSms, recordingTelegram } from '../helpers/recording-channels';

/*
 * "The channel shown is the one actually used, with fallbacks counted apart": an email touch with an SMS fallback sends
 * SMS to the contacts without an email address (the real send pipeline writes the ledger), and the stats count those
 * sends under `fallbacks` by the channel used — for the period asked, one source and one version, from the rollup path
 * and the raw path alike.
 */

const H = 3_600_000;
const T0 = Date.parse('2030-03-12T12:00:00+03:00'); // in the future: the ledger's clock is the workflow time
const hello = email('hello', { subject: 'Привет', text: 'Письмо', fallback: [asSms('SMS вместо письма')] });
const plan = { id: 'f', name: 'F', entry: null, timezone: 'Europe/Moscow', attributes: [], events: [], goal: null, steps: [hello] } as unknown as Plan;

let fresh: TestDatabase;
let db: Db;
let deps: SendTouchDeps;
let n = 0;

beforeEach(async () => {
  fresh = await freshDatabase();
  db = fresh.db;
  deps = {
    db, email: recordingEmail().channel, sms: recordingSms(() => 0).channel, telegram: recordingTelegram(() => 0).channel,
    mailFrom: 'School <s@example.test>', publicUrl: 'https://funnels.example.test', secretKey: 'k'.repeat(32),
  };
});
afterEach(async () => { await fresh.close(); });

/** Sends `touch` at `at` to a new contact enrolled on version v1; answers the channel it went out on. */
async function send(touch: TouchStep, c: Partial<ContactInput>, at: number): Promise<string> {
  const { contact } = await upsertContact(db, { name: 'Анна', ...c } as ContactInput, 'test');
  const enrollmentId = `en_${++n}`;
  await db.insertInto('enrollments').values({ id: enrollmentId, funnel_id: 'f', contact_id: contact.id, version: 'v1', workflow_id: `wf${n}`, status: 'active', enrolled_at: at } as never).execute();
  const r = await sendTouch(deps, { enrollmentId, funnelId: 'f', contactId: contact.id, funnelName: 'F', touch, trigger: null, scheduledAt: at });
  expect(['sent', 'delivered']).toContain(r.status);
  return r.channel ?? '';
}

describe('stats: fallbacks counted apart', () => {
  it('count reached sends on another channel than the touch’s, by the channel used, within the period, source and version', async () => {
    const consent = { email: true, sms: true };
    expect(await send(hello, { email: 'a@example.test', consent }, T0)).toBe('email');
    expect(await send(hello, { phone: '+79161234501', consent, source: { utm_source: 'vk' } }, T0 + H)).toBe('sms');
    expect(await send(hello, { phone: '+79161234502', consent }, T0 + 30 * H + 17 * 60_000)).toBe('sms');

    const all = await funnelStats(db, plan, { model: 'last_touch' });
    expect(all.touches).toEqual([expect.objectContaining({ touchId: 'hello', channel: 'email', fallbacks: { sms: 2 } })]);
    expect(all.touches[0]!.sent + all.touches[0]!.outbox).toBe(3); // the fallbacks are reached sends of the touch too
    expect(all).toEqual(await funnelStatsFromRawTables(db, plan, { model: 'last_touch' }));

    // A ragged period: from 12:30 on the first day to the second send's hour, and from then on.
    const first = { model: 'last_touch' as const, from: T0 + H / 2, to: T0 + 30 * H };
    expect((await funnelStats(db, plan, first)).touches[0]!.fallbacks).toEqual({ sms: 1 });
    expect((await funnelStats(db, plan, { model: 'last_touch', from: T0 + 30 * H })).touches[0]!.fallbacks).toEqual({ sms: 1 });
    expect((await funnelStats(db, plan, { model: 'last_touch', to: T0 + H })).touches[0]!.fallbacks).toEqual({});

    expect((await funnelStats(db, plan, { model: 'last_touch', source: 'vk' })).touches[0]!.fallbacks).toEqual({ sms: 1 });
    expect((await funnelStatsFromRawTables(db, plan, { model: 'last_touch', version: 'v1' })).touches[0]!.fallbacks).toEqual({ sms: 2 });
    expect((await funnelStatsFromRawTables(db, plan, { model: 'last_touch', version: 'v2' })).touches[0]!.fallbacks).toEqual({});
  });

  it('answers {} for a touch that never fell back', async () => {
    await send(hello, { email: 'b@example.test', consent: { email: true } }, T0);
    expect((await funnelStats(db, plan, { model: 'linear' })).touches[0]).toMatchObject({ sent: 1, fallbacks: {} });
  });

  it('read the fallbacks through their partial index on SQLite', async () => {
    if (TEST_DB !== 'sqlite') return;
    const plan = await sql<{ detail: string }>`EXPLAIN QUERY PLAN SELECT d.touch_id, d.channel, count(*) FROM deliveries d
      WHERE d.funnel_id = 'f' AND d.scheduled_at >= 0 AND d.scheduled_at < 1 AND d.channel <> d.planned_channel GROUP BY 1, 2`.execute(db);
    expect(plan.rows.map((r) => r.detail).join(' ')).toContain('deliveries_fallbacks');
  });
});
