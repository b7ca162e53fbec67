import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database';
import type { Plan } from '../../src/dsl/plan';
import { upsertContact } from '../../src/db/contacts';
import { storeFunnelVersions } from '../../src/db/funnels';
import { createActivities } from '../../src/activities/index';
import { recordingEmail } from '../helpers/recording-email';
import { freshDatabase, type TestDatabase } from '../helpers/test-db';

const T0 = Date.parse('2030-03-12T12:00:00+03:00');
const D = 86_400_000;
const plan = (subject: string): Plan => ({
  id: 'f', name: 'Воронка', entry: 'lead.created', timezone: 'Europe/Moscow', goal: { event: 'order.paid', withinMs: D, exit: true }, attributes: [], events: [],
  steps: [{ type: 'email', id: 'hello', subject, text: 'Курс: {{ event.properties.course }}' }],
});

describe('a named touch (the lean sendTouch input)', () => {
  let fresh: TestDatabase;
  let db: Db;
  let mail: ReturnType<typeof recordingEmail>;
  beforeEach(async () => {
    fresh = await freshDatabase();
    db = fresh.db;
    mail = recordingEmail();
    await storeFunnelVersions(db, [{ plan: plan('Версия 1 для {{ contact.name }}'), version: 'v1' }]);
    await storeFunnelVersions(db, [{ plan: plan('Версия 2 для {{ contact.name }}'), version: 'v2' }]);
  });
  afterEach(async () => { await fresh.close(); });

  async function enrollment(version: string) {
    const { contact } = await upsertContact(db, { email: `${version}@example.test`, name: 'Анна', consent: { email: true } }, 'test');
    await db.insertInto('events').values({ id: `ev_${version}`, contact_id: contact.id, name: 'lead.created', properties: JSON.stringify({ course: 'Python', big: { nested: true } }), value: null, idempotency_key: null, occurred_at: T0, received_at: T0, dispatched_at: T0 }).execute();
    await db.insertInto('enrollments').values({ id: `en_${version}`, funnel_id: 'f', contact_id: contact.id, version, workflow_id: `wf_${version}`, status: 'active', current_step: null, exit_reason: null, trigger_event_id: `ev_${version}`, enrolled_at: T0, finished_at: null, converted_at: null }).execute();
    return { enrollmentId: `en_${version}`, funnelId: 'f', contactId: contact.id, version, touchId: 'hello', scheduledAt: T0 };
  }

  it('is sent with the content of the version it names and the trigger read from the database, each version read once', async () => {
    let reads = 0;
    const acts = createActivities({ db, email: mail.channel, mailFrom: 'S <s@example.test>', publicUrl: 'https://x.test', secretKey: 'k'.repeat(32) });
    const spy = db.selectFrom.bind(db);
    (db as { selectFrom: typeof db.selectFrom }).selectFrom = ((table: never) => { if (table === 'funnel_versions') reads++; return spy(table); }) as typeof db.selectFrom;
    const one = await enrollment('v1');
    const two = await enrollment('v2');
    expect((await acts.sendTouch(one)).status).toBe('delivered');
    expect((await acts.sendTouch(two)).status).toBe('delivered');
    expect((await acts.sendTouch({ ...two, touchId: 'hello' })).status).toBe('delivered'); // the ledger's answer: not sent twice
    expect(mail.sent.map((m) => `${m.subject} | ${m.text?.trim()}`)).toEqual(['Версия 1 для Анна | Курс: Python', 'Версия 2 для Анна | Курс: Python']);
    expect(reads).toBe(2);
    expect(JSON.stringify(one).length).toBeLessThan(600);
  });

  it('fails for good when the version has no such touch (a broken pin no retry can mend)', async () => {
    const acts = createActivities({ db, email: mail.channel, mailFrom: 'S <s@example.test>', publicUrl: 'https://x.test', secretKey: 'k'.repeat(32) });
    const ref = await enrollment('v1');
    await expect(acts.sendTouch({ ...ref, touchId: 'nope' })).rejects.toMatchObject({ type: 'UnknownTouch', nonRetryable: true });
    expect(mail.sent).toEqual([]);
  });
});
