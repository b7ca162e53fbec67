import type { Db } from '../../src/db/database';
import type { Plan, Webinar } from '../../src/dsl/plan';
import { freshDatabase } from '../helpers/test-db';
import { upsertContact } from '../../src/db/contacts';

/** A funnel plan declaring the given webinars (everything else minimal). */
export function planWith(id: string, webinars: Array<Partial<Webinar> & Pick<Webinar, 'id'>>, timezone = 'Europe/Moscow'): Plan {
  return {
    id, name: id, entry: null, timezone, attributes: [], events: [],
    goal: { event: 'order.paid', withinMs: 86_400_000, exit: true },
    steps: [{ type: 'wait', id: 'pause', ms: 60_000 }],
    webinars: webinars.map((w) => ({
      title: `Вебинар ${w.id}`, minLeadMs: 0, durationMs: 2 * 3_600_000, joinUrl: `https://meet.example.test/${w.id}`, ...w,
    }) as Webinar),
  };
}

/** A fresh migrated database (the run's: SQLite or PostgreSQL), with its cleanup. */
export async function tempDb(): Promise<{ db: Db; close(): Promise<void> }> {
  return freshDatabase();
}

/** Creates a contact and returns its id. */
export async function contact(db: Db, email: string, timezone?: string): Promise<string> {
  return (await upsertContact(db, { email, ...(timezone && { timezone }) }, 'test')).contact.id;
}

/** Row count of a table. */
export async function rows(db: Db, table: 'webinar_sessions' | 'events' | 'webinars'): Promise<number> {
  return Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
}
