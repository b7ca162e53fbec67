import type { Db } from '../db/database';
import type { WebinarRow, WebinarSessionRow } from '../db/schema';
import { NotFoundError } from '../errors';

/** An auto-webinar's recurring slots: local times of day on weekdays (1 = Monday … 7 = Sunday; every day when absent). */
export interface WebinarSchedule {
  times: string[];
  weekdays?: number[] | undefined;
}

/** The schedule stored in a webinar row, or null for a fixed webinar (a corrupt value reads as null). */
export function scheduleOf(row: Pick<WebinarRow, 'schedule'>): WebinarSchedule | null {
  if (!row.schedule) return null;
  try {
    const value = JSON.parse(row.schedule) as Partial<WebinarSchedule>;
    if (!Array.isArray(value.times) || value.times.length === 0) return null;
    return { times: value.times.map(String), ...(Array.isArray(value.weekdays) && { weekdays: value.weekdays.map(Number) }) };
  } catch {
    return null;
  }
}

/** True for an auto-webinar (recurring schedule), false for a fixed start. */
export function isAutoWebinar(row: Pick<WebinarRow, 'schedule'>): boolean {
  return scheduleOf(row) !== null;
}

/** The webinar row, or undefined. */
export function findWebinar(db: Db, webinarId: string): Promise<WebinarRow | undefined> {
  return db.selectFrom('webinars').selectAll().where('id', '=', webinarId).executeTakeFirst();
}

/** The webinar row; throws NotFoundError (404) when no funnel declares it. */
export async function requireWebinar(db: Db, webinarId: string): Promise<WebinarRow> {
  const row = await findWebinar(db, webinarId);
  if (!row) throw new NotFoundError('webinar', webinarId);
  return row;
}

/** Every webinar, by id. */
export function listWebinars(db: Db): Promise<WebinarRow[]> {
  return db.selectFrom('webinars').selectAll().orderBy('id').execute();
}

/** The contact's session of a webinar, or undefined when none was assigned yet. */
export function sessionFor(db: Db, webinarId: string, contactId: string): Promise<WebinarSessionRow | undefined> {
  return db.selectFrom('webinar_sessions').selectAll().where('webinar_id', '=', webinarId).where('contact_id', '=', contactId).executeTakeFirst();
}

/** How many sessions of a webinar are assigned, registered, attended and missed. */
export interface SessionCounts {
  assigned: number;
  registered: number;
  attended: number;
  missed: number;
}

/** Session counts of one webinar (every assigned session counts as assigned, whatever happened next). */
export async function sessionCounts(db: Db, webinarId: string): Promise<SessionCounts> {
  const row = await db.selectFrom('webinar_sessions')
    .select((eb) => [
      eb.fn.countAll<number>().as('assigned'),
      eb.fn.count<number>('registered_at').as('registered'),
      eb.fn.sum<number>(eb.case().when('outcome', '=', 'attended').then(1).else(0).end()).as('attended'),
      eb.fn.sum<number>(eb.case().when('outcome', '=', 'missed').then(1).else(0).end()).as('missed'),
    ])
    .where('webinar_id', '=', webinarId).executeTakeFirstOrThrow();
  return { assigned: Number(row.assigned), registered: Number(row.registered), attended: Number(row.attended ?? 0), missed: Number(row.missed ?? 0) };
}

/** A webinar as the API answers it. */
export interface WebinarView {
  id: string;
  funnelId: string;
  title: string;
  kind: 'fixed' | 'auto';
  startsAt: string | null;
  durationMinutes: number;
  joinUrl: string;
  replayUrl: string | null;
  schedule: WebinarSchedule | null;
  minLeadMinutes: number;
  movedAt: string | null;
  updatedAt: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The API shape of a webinar row. */
export function webinarView(row: WebinarRow): WebinarView {
  const schedule = scheduleOf(row);
  return {
    id: row.id, funnelId: row.funnel_id, title: row.title, kind: schedule ? 'auto' : 'fixed', startsAt: iso(row.starts_at),
    durationMinutes: Math.round(row.duration_ms / 60_000), joinUrl: row.join_url, replayUrl: row.replay_url, schedule,
    minLeadMinutes: Math.round(row.min_lead_ms / 60_000), movedAt: iso(row.moved_at), updatedAt: new Date(row.updated_at).toISOString(),
  };
}
