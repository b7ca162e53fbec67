import { Hono, type Context } from 'hono';
import type { EngineDeps } from '../engine/deps';
import type { ContactRow, WebinarRow } from '../db/schema';
import { ingestEvent } from '../engine/ingest-event';
import { verifyToken } from '../security/signed-token';
import { assignSession } from './assign-session';
import { invalidLinkPage, registerPage } from './register-page';
import { publicHeaders } from '../http/public-headers';
import { sessionZone } from './session-slots';
import { googleCalendarUrl, localDateParts, webinarIcsUrl } from './template-vars';
import { webinarIcs } from './ics';
import { findWebinar } from './webinar-rows';

/** The public webinar pages need the engine, the HMAC key of the links and the public base URL. */
export type WebinarPublicDeps = EngineDeps & { secretKey: string; publicUrl: string };

/**
 * The public webinar links, mounted at `/w`: `GET /:webinarId/register?t=` registers the contact the signed token
 * names (session assigned if needed, `registered_at`, the `webinar.registered` event once) and shows a Russian
 * confirmation page; `GET /:webinarId/calendar.ics?t=` serves the contact's calendar file. A forged token, an
 * unknown webinar or contact answers a 404 page and stores nothing.
 */
export function webinarPublicRoutes(deps: WebinarPublicDeps): Hono {
  return new Hono()
    .use('*', ...publicHeaders({ styles: 'inline' }))
    .get('/:webinarId/register', async (c) => {
      const found = await resolve(deps, c.req.param('webinarId'), c.req.query('t'));
      if (!found) return notFound(c);
      const { webinar, contact, zone } = found;
      const now = deps.now();
      const session = await assignSession(deps.db, { webinarId: webinar.id, contactId: contact.id, contactTimezone: contact.timezone, fallbackTimezone: zone, now });
      if (session.registered_at === null) {
        await deps.db.updateTable('webinar_sessions').set({ registered_at: now }).where('id', '=', session.id).where('registered_at', 'is', null).execute();
      }
      await ingestEvent(deps, {
        contactId: contact.id, name: 'webinar.registered',
        properties: { webinarId: webinar.id, startsAt: new Date(session.starts_at).toISOString() },
        idempotencyKey: `webinar-registered:${webinar.id}:${contact.id}`,
      });
      const local = localDateParts(session.starts_at, zone, 'ru');
      return c.html(registerPage({
        title: webinar.title, ...local, timezone: zone, joinUrl: webinar.join_url, replayUrl: webinar.replay_url,
        googleUrl: googleCalendarUrl(webinar, session.starts_at),
        icsUrl: webinarIcsUrl(deps.publicUrl, deps.secretKey, webinar.id, contact.id),
        over: session.starts_at + webinar.duration_ms <= now,
      }));
    })
    .get('/:webinarId/calendar.ics', async (c) => {
      const found = await resolve(deps, c.req.param('webinarId'), c.req.query('t'));
      if (!found) return notFound(c);
      const { webinar, contact, zone } = found;
      const session = await assignSession(deps.db, { webinarId: webinar.id, contactId: contact.id, contactTimezone: contact.timezone, fallbackTimezone: zone, now: deps.now() });
      return c.body(webinarIcs(webinar, session, { url: webinar.join_url }), 200, {
        'content-type': 'text/calendar; charset=utf-8; method=PUBLISH',
        'content-disposition': `attachment; filename="${webinar.id}.ics"`,
      });
    });
}

/** The webinar and contact a link names, when its token is genuine and both exist; the zone is the contact's (else the funnel's). */
async function resolve(deps: WebinarPublicDeps, webinarId: string, token: string | undefined): Promise<{ webinar: WebinarRow; contact: ContactRow; zone: string } | null> {
  const contactId = verifyToken(deps.secretKey, 'webinar-register', token);
  if (!contactId) return null;
  const webinar = await findWebinar(deps.db, webinarId);
  if (!webinar) return null;
  const contact = await deps.db.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirst();
  if (!contact) return null;
  return { webinar, contact, zone: sessionZone(contact.timezone, deps.funnels.get(webinar.funnel_id)?.plan.timezone) };
}

function notFound(c: Context) {
  return c.html(invalidLinkPage(), 404);
}
