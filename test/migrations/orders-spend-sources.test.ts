import { Migrator, sql, type Migration } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index';
import { freshDatabase } from '../helpers/test-db';

const NAME = '0013_add_orders_spend_sources';
const before = Object.keys(migrations).filter((n) => n < NAME);
const migratorOf = (db: any, names: string[]) =>
  new Migrator({ db, provider: { getMigrations: async () => Object.fromEntries(names.map((n) => [n, migrations[n]!] as [string, Migration])) } });

describe('migration 0013 (orders, repeat credits, spend, contact sources)', () => {
  it('turns the conversions already recorded into first orders in kopecks, and goes down and up again', async () => {
    const { db, close } = await freshDatabase({ migrated: false });
    try {
      expect((await migratorOf(db, before).migrateToLatest()).error).toBeUndefined();
      await db.insertInto('contacts').values({ id: 'ct_1', attributes: '{}', created_at: 0, updated_at: 0 } as any).execute();
      await db.insertInto('enrollments').values({
        id: 'en_1', funnel_id: 'f', contact_id: 'ct_1', version: 'v', workflow_id: 'funnel:f:ct_1', status: 'converted', current_step: null,
        exit_reason: null, trigger_event_id: null, enrolled_at: 0, finished_at: null, converted_at: 5,
      } as any).execute();
      await db.insertInto('conversions').values({ id: 'cv_1', enrollment_id: 'en_1', funnel_id: 'f', contact_id: 'ct_1', event_id: 'ev_1', value: 19.99, occurred_at: 5 }).execute();

      const all = Object.keys(migrations).filter((n) => n <= NAME);
      expect((await migratorOf(db, all).migrateToLatest()).error).toBeUndefined();
      expect(await db.selectFrom('orders').selectAll().execute()).toEqual([{
        id: 'or_1', enrollment_id: 'en_1', funnel_id: 'f', contact_id: 'ct_1', event_id: 'ev_1', is_first: 1, amount_minor: 1999, currency: 'RUB', occurred_at: 5,
      }]);
      const contact = await db.selectFrom('contacts').select(['source', 'campaign', 'source_first', 'source_latest']).executeTakeFirstOrThrow();
      expect(contact).toEqual({ source: null, campaign: null, source_first: null, source_latest: null });

      expect((await migratorOf(db, all).migrateTo(before[before.length - 1]!)).error).toBeUndefined();
      const tables = await sql<{ n: number }>`SELECT count(*) AS n FROM contacts`.execute(db);
      expect(Number(tables.rows[0]!.n)).toBe(1);
      await expect(db.selectFrom('orders').selectAll().execute()).rejects.toThrow();
      expect((await migratorOf(db, all).migrateToLatest()).error).toBeUndefined();
      expect(await db.selectFrom('orders').select('amount_minor').execute()).toEqual([{ amount_minor: 1999 }]);
    } finally {
      await close();
    }
  });
});
