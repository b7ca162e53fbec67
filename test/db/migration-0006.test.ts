import { describe, expect, it } from 'vitest';
import { Migrator } from 'kysely';
import { freshDatabase } from '../helpers/test-db';
import { migrations } from '../../migrations/index';
import * as m0006 from '../../migrations/0006_add_test_contacts_and_sends';

describe('migration 0006_add_test_contacts_and_sends', () => {
  it('adds contacts.test, keeps the outbox rows, lets a test send in without a ledger row, and goes back down', async () => {
    const { db, close } = await freshDatabase({ migrated: false });
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0006'));
    expect((await new Migrator({ db, provider: { getMigrations: async () => before } }).migrateToLatest()).error).toBeUndefined();
    const base = { external_id: null, phone: null, telegram_chat_id: null, name: null, timezone: null, locale: null, attributes: '{}', created_at: 1, updated_at: 1 };
    await db.insertInto('contacts').values({ id: 'ct_1', email: 'a@example.test', ...base } as never).execute();
    await db.insertInto('enrollments').values({ id: 'en_1', funnel_id: 'f', contact_id: 'ct_1', version: 'v', workflow_id: 'w', status: 'active', current_step: null, exit_reason: null, trigger_event_id: null, enrolled_at: 1, finished_at: null, converted_at: null }).execute();
    await db.insertInto('deliveries').values({ id: 'dl_1', enrollment_id: 'en_1', funnel_id: 'f', contact_id: 'ct_1', touch_id: 't', channel: 'email', status: 'outbox', reason: null, recipient: 'a@example.test', subject: 's', provider_message_id: null, attempts: 1, scheduled_at: 1, created_at: 1, sent_at: 1, delivered_at: null, opened_at: null, clicked_at: null, replied_at: null, failed_at: null } as never).execute();
    await db.insertInto('outbox').values({ id: 'ob_1', delivery_id: 'dl_1', channel: 'email', recipient: 'a@example.test', subject: 's', html: '<p>x</p>', text: null, created_at: 1 }).execute();

    expect((await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateToLatest()).error).toBeUndefined();
    expect(await db.selectFrom('contacts').select(['id', 'test']).execute()).toEqual([{ id: 'ct_1', test: 0 }]);
    await db.insertInto('outbox').values({ id: 'ob_2', delivery_id: 'test:f:t:abc', channel: 'email', recipient: 'm@example.test', subject: '[Тест] s', html: null, text: 'x', created_at: 2 }).execute();
    expect((await db.selectFrom('outbox').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual(['ob_1', 'ob_2']);
    await expect(db.insertInto('outbox').values({ id: 'ob_3', delivery_id: 'dl_1', channel: 'email', recipient: 'x', subject: null, html: null, text: null, created_at: 3 }).execute()).rejects.toThrow(/UNIQUE|unique/);

    await m0006.down(db);
    expect((await db.selectFrom('outbox').select('id').execute()).map((r) => r.id)).toEqual(['ob_1']);
    await expect(db.insertInto('outbox').values({ id: 'ob_4', delivery_id: 'test:f:t:def', channel: 'email', recipient: 'x', subject: null, html: null, text: null, created_at: 4 }).execute()).rejects.toThrow(/FOREIGN KEY|foreign key/);
    await close();
  });
});
