import { describe, expect, it } from 'vitest';
import { Migrator, sql, type Kysely } from 'kysely';
import { freshDatabase, TEST_DB } from '../helpers/test-db';
import { migrations } from '../../migrations/index';
import * as m0014 from '../../migrations/0014_add_logged_touches';
import { openDelivery, recordLoggedTouch } from '../../src/db/deliveries';
import type { Db } from '../../src/db/database';

const base = { external_id: null, phone: null, telegram_chat_id: null, name: null, timezone: null, locale: null, attributes: '{}', created_at: 1, updated_at: 1 };
const row = (id: string, touch: string, extra: Record<string, unknown> = {}) => ({
  id, enrollment_id: 'en_1', funnel_id: 'f', contact_id: 'ct_1', touch_id: touch, channel: 'email', status: 'sent', reason: null, recipient: null,
  subject: null, provider_message_id: null, attempts: 1, scheduled_at: 3_600_000, created_at: 1, sent_at: 3_600_000, delivered_at: null,
  opened_at: null, clicked_at: null, replied_at: null, failed_at: null, ...extra,
});

async function touchRollup(db: Kysely<any>): Promise<Record<string, { sent: number; reached_converted: number }>> {
  const rows = await db.selectFrom('rollup_touch_hours').select(['touch_id', 'sent', 'reached_converted']).execute();
  return Object.fromEntries(rows.map((r) => [r.touch_id, { sent: Number(r.sent), reached_converted: Number(r.reached_converted) }]));
}

async function schemaText(db: Kysely<any>): Promise<string[]> {
  const rows = await sql<{ type: string; name: string; sql: string | null }>`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'kysely_%' ORDER BY type, name`.execute(db);
  return rows.rows.map((r) => `${r.type} ${r.name}: ${r.sql}`);
}

async function conversionFunctions(db: Kysely<any>): Promise<string[]> {
  const rows = await sql<{ prosrc: string }>`SELECT prosrc FROM pg_proc WHERE proname LIKE 'rollup_conversions_%' ORDER BY proname`.execute(db);
  return rows.rows.map((r) => r.prosrc);
}

describe('migration 0014_add_logged_touches', () => {
  it('keeps the ledger, its indexes and rollup triggers, lets logged touches repeat per enrollment, keeps the engine\'s own once, and goes back down', async () => {
    const { db, close } = await freshDatabase({ migrated: false });
    try {
      const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0014'));
      expect((await new Migrator({ db, provider: { getMigrations: async () => before } }).migrateToLatest()).error).toBeUndefined();
      const schemaBefore = TEST_DB === 'sqlite' ? await schemaText(db) : await conversionFunctions(db);
      await db.insertInto('contacts').values({ id: 'ct_1', email: 'a@example.test', ...base } as never).execute();
      await db.insertInto('enrollments').values({ id: 'en_1', funnel_id: 'f', contact_id: 'ct_1', version: 'v', workflow_id: 'w', status: 'active', current_step: null, exit_reason: null, trigger_event_id: null, enrolled_at: 1, finished_at: null, converted_at: null } as never).execute();
      await db.insertInto('deliveries').values(row('dl_1', 'hello') as never).execute();
      expect(await touchRollup(db)).toEqual({ hello: { sent: 1, reached_converted: 0 } });

      // Up to 0014 only: the later migrations are not 0014's to take back down.
      const through = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0015'));
      expect((await new Migrator({ db, provider: { getMigrations: async () => through } }).migrateToLatest()).error).toBeUndefined();
      expect((await db.selectFrom('deliveries').select(['id', 'touch_id', 'logged_touch_id']).execute())).toEqual([{ id: 'dl_1', touch_id: 'hello', logged_touch_id: null }]);
      expect(await touchRollup(db)).toEqual({ hello: { sent: 1, reached_converted: 0 } });
      // the engine's own touches stay once per enrollment
      await expect(db.insertInto('deliveries').values(row('dl_2', 'hello') as never).execute()).rejects.toThrow(/UNIQUE|unique/);
      // logged touches repeat; an engine touch of the same id is still its own row
      await db.insertInto('logged_touches').values(['lt_1', 'lt_2'].map((id) => ({ id, contact_id: 'ct_1', funnel_id: null, kind: 'call' as const, by: 'Ivan', at: 3_600_000, outcome: null, notes: null, value: null, source: 'api', created_at: 1 }))).execute();
      await recordLoggedTouch(db as Db, ['lt_1', 'lt_2'].map((id) => ({ loggedTouchId: id, enrollmentId: 'en_1', funnelId: 'f', contactId: 'ct_1', kind: 'call', subject: 'Ivan', at: 3_600_000, createdAt: 1 })));
      const engineCall = await openDelivery(db as Db, { enrollmentId: 'en_1', funnelId: 'f', contactId: 'ct_1', touchId: 'call', channel: 'sms', scheduledAt: 3_600_000, createdAt: 2, priority: 0, variant: null });
      expect(engineCall).toMatchObject({ touch_id: 'call', channel: 'sms', status: 'pending', logged_touch_id: null });
      expect((await openDelivery(db as Db, { enrollmentId: 'en_1', funnelId: 'f', contactId: 'ct_1', touchId: 'call', channel: 'sms', scheduledAt: 9, createdAt: 9, priority: 0, variant: null })).id).toBe(engineCall.id);
      // the triggers of the copied table (and those of other tables reading it) still count
      await db.insertInto('conversions').values({ id: 'cv_1', enrollment_id: 'en_1', funnel_id: 'f', contact_id: 'ct_1', event_id: 'ev_1', value: 10, occurred_at: 7_200_000 }).execute();
      expect(await touchRollup(db)).toEqual({ hello: { sent: 1, reached_converted: 1 }, call: { sent: 2, reached_converted: 2 } });

      await m0014.down(db);
      expect((await db.selectFrom('deliveries').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual(['dl_1', engineCall.id].sort());
      expect((await touchRollup(db)).call).toEqual({ sent: 0, reached_converted: 0 });
      await expect(db.insertInto('deliveries').values(row('dl_3', 'hello') as never).execute()).rejects.toThrow(/UNIQUE|unique/);
      expect(TEST_DB === 'sqlite' ? await schemaText(db) : await conversionFunctions(db)).toEqual(schemaBefore);
    } finally {
      await close();
    }
  });
});
