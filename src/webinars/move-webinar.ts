import type { EngineDeps } from '../engine/deps';
import type { WebinarRow } from '../db/schema';
import { ingestEvent } from '../engine/ingest-event';
import { ValidationError } from '../errors';
import { isAutoWebinar, requireWebinar } from './webinar-rows';

/** What a move did: the updated webinar, the sessions shifted to the new start, the active enrollments signalled. */
export interface MoveResult {
  webinar: WebinarRow;
  sessionsMoved: number;
  enrollmentsSignalled: number;
}

/**
 * Moves a fixed webinar to a new start: the webinar row (with `moved_at`, so the file's old start no longer
 * overrides it), every session assigned the old start, then a `webinar.moved` event for each contact holding a
 * session, which signals their active enrollments. 404 for an unknown webinar, 422 for an auto-webinar or a start in
 * the past. Moving to the current start changes nothing and signals nobody.
 */
export async function moveWebinar(deps: EngineDeps, webinarId: string, newStartsAt: number): Promise<MoveResult> {
  if (!Number.isFinite(newStartsAt)) throw new ValidationError('startsAt is not a valid date-time', [{ path: 'startsAt', message: 'not a date-time' }]);
  const webinar = await requireWebinar(deps.db, webinarId);
  if (isAutoWebinar(webinar) || webinar.starts_at === null) {
    throw new ValidationError(`webinar "${webinarId}" is an auto-webinar: each contact's session follows its schedule, so it cannot be moved`,
      [{ path: 'startsAt', message: 'only a fixed webinar can be moved' }]);
  }
  const now = deps.now();
  if (newStartsAt <= now) {
    throw new ValidationError(`startsAt ${new Date(newStartsAt).toISOString()} is in the past`, [{ path: 'startsAt', message: 'must be in the future' }]);
  }
  if (newStartsAt === webinar.starts_at) return { webinar, sessionsMoved: 0, enrollmentsSignalled: 0 };

  const oldStart = webinar.starts_at;
  const { moved, sessionsMoved } = await deps.db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('webinars').set({ starts_at: newStartsAt, moved_at: now, updated_at: now })
      .where('id', '=', webinarId).returningAll().executeTakeFirstOrThrow();
    const shifted = await trx.updateTable('webinar_sessions').set({ starts_at: newStartsAt })
      .where('webinar_id', '=', webinarId).where('starts_at', '=', oldStart).executeTakeFirst();
    return { moved: row, sessionsMoved: Number(shifted.numUpdatedRows) };
  });
  deps.log.info('webinar moved', { webinar: webinarId, from: new Date(oldStart).toISOString(), to: new Date(newStartsAt).toISOString(), sessions: sessionsMoved });
  const { enrollmentsSignalled } = await notifyWebinarMoved(deps, webinarId, newStartsAt);
  return { webinar: moved, sessionsMoved, enrollmentsSignalled };
}

/**
 * Stores `webinar.moved` `{webinarId, startsAt}` for every contact holding a session of the webinar (idempotency key
 * `webinar-moved:<webinarId>:<startsAt ISO>:<contactId>`); ingestion signals each contact's active enrollments, so
 * their webinar waits ask for the new delay. When a webinar moves back to a start it had before, the key is suffixed
 * with `:<now>` so the workflows hear about it again. A contact that fails is logged and the others still get theirs.
 */
export async function notifyWebinarMoved(deps: EngineDeps, webinarId: string, startsAt: number): Promise<{ contacts: number; enrollmentsSignalled: number }> {
  // Erased contacts keep their session row for the counts, but nobody is there to tell.
  const sessions = await deps.db.selectFrom('webinar_sessions').innerJoin('contacts', 'contacts.id', 'webinar_sessions.contact_id')
    .select('webinar_sessions.contact_id').where('webinar_sessions.webinar_id', '=', webinarId).where('contacts.erased_at', 'is', null)
    .orderBy('webinar_sessions.created_at').execute();
  const iso = new Date(startsAt).toISOString();
  let enrollmentsSignalled = 0;
  for (const { contact_id: contactId } of sessions) {
    try {
      const active = await deps.db.selectFrom('enrollments').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('contact_id', '=', contactId).where('status', '=', 'active').executeTakeFirstOrThrow();
      const event = { contactId, name: 'webinar.moved', properties: { webinarId, startsAt: iso } };
      const key = `webinar-moved:${webinarId}:${iso}:${contactId}`;
      let result = await ingestEvent(deps, { ...event, idempotencyKey: key });
      if (result.duplicate) result = await ingestEvent(deps, { ...event, idempotencyKey: `${key}:${deps.now()}` });
      if (result.dispatched) enrollmentsSignalled += Number(active.n);
    } catch (err) {
      deps.log.error('webinar.moved not stored for a contact', { webinar: webinarId, contact: contactId, error: err });
    }
  }
  return { contacts: sessions.length, enrollmentsSignalled };
}
