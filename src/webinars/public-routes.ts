import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { EngineDeps } from '../engine/deps';
import type { ContactRow, WebinarRow, WebinarSessionRow } from '../db/schema';
import { findContact } from '../db/contacts';
import { ingestEvent } from '../engine/ingest-event';
import { verifyToken } from '../security/signed-token';
import { assignSession, newSessionStart } from './assign-session';
import { badRequestPage, confirmRegistrationPage, invalidLinkPage, registerPage } from './register-page';
import { publicHeaders } from '../http/public-headers';
import { sessionZone } from './session-slots';
import { googleCalendarUrl, localDateParts, webinarIcsUrl } from './template-vars';
import { webinarIcs } from './ics';
import { findWebinar, sessionFor } from './webinar-rows';

/** The public webinar pages need the engine, the HMAC key of the links and the public base URL. */
export type WebinarPublicDeps = EngineDeps & { secretKey: string; publicUrl: string };

/** A registration form carries one token; anything bigger is not ours. */
const MAX_FORM_BYTES = 8 * 1024;

/**
 * The public webinar links, mounted at `/w`. `GET /:webinarId/register?t=` shows the webinar and a button and stores
 * nothing (mail scanners prefetch links); its form's `POST /:webinarId/register` (the signed token in the form
 * body) registers the contact (session assigned if needed, `registered_at`, the `webinar.registered` event once) and
 * shows the Russian confirmation. `GET /:webinarId/calendar.ics?t=` serves the contact's calendar file. A forged
 * token, an unknown webinar or contact answers a 404 page; a post that is not a small form is a 400/413/415 page;
 * none of them stores anything.
 */
export function webinarPublicRoutes(deps: WebinarPublicDeps): Hono {
  return new Hono()
    .use('*', ...publicHeaders({ styles: 'inline' }))
    .get('/:webinarId/register', async (c) => {
      const token = c.req.query('t');
      const found = await resolve(deps, c.req.param('webinarId'), token);
      if (!found) return notFound(c);
      const { webinar, contact, zone } = found;
      const session = await sessionFor(deps.db, webinar.id, contact.id);
      if (session?.registered_at != null) return registeredPage(c, deps, found, session);
      const start = session?.starts_at ?? newSessionStart(webinar, { contactTimezone: contact.timezone, fallbackTimezone: zone, now: deps.now() });
      return c.html(confirmRegistrationPage({
        title: webinar.title, ...localDateParts(start, zone, 'ru'), timezone: zone,
        action: `/w/${encodeURIComponent(webinar.id)}/register`, token: token ?? '',
      }));
    })
    .post('/:webinarId/register', bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => c.html(badRequestPage(), 413) }), async (c) => {
      const type = (c.req.header('content-type') ?? '').toLowerCase();
      if (!type.includes('application/x-www-form-urlencoded') && !type.includes('multipart/form-data')) return c.html(badRequestPage(), 415);
      const form = await c.req.parseBody().catch(() => null);
      if (!form) return c.html(badRequestPage(), 400);
      const token = typeof form.t === 'string' ? form.t : undefined;
      const found = await resolve(deps, c.req.param('webinarId'), token);
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
      return registeredPage(c, deps, found, session);
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

interface Found { webinar: WebinarRow; contact: ContactRow; zone: string }

/** The webinar and contact a link names, when its token is genuine and both exist; the zone is the contact's (else the funnel's). */
async function resolve(deps: WebinarPublicDeps, webinarId: string, token: string | undefined): Promise<Found | null> {
  const contactId = verifyToken(deps.secretKey, 'webinar-register', token);
  if (!contactId) return null;
  const webinar = await findWebinar(deps.db, webinarId);
  if (!webinar) return null;
  const contact = await findContact(deps.db, { contactId });
  if (!contact) return null;
  return { webinar, contact, zone: sessionZone(contact.timezone, deps.funnels.get(webinar.funnel_id)?.plan.timezone) };
}

function registeredPage(c: Context, deps: WebinarPublicDeps, { webinar, contact, zone }: Found, session: WebinarSessionRow) {
  return c.html(registerPage({
    title: webinar.title, ...localDateParts(session.starts_at, zone, 'ru'), timezone: zone, joinUrl: webinar.join_url, replayUrl: webinar.replay_url,
    googleUrl: googleCalendarUrl(webinar, session.starts_at),
    icsUrl: webinarIcsUrl(deps.publicUrl, deps.secretKey, webinar.id, contact.id),
    over: session.starts_at + webinar.duration_ms <= deps.now(),
  }));
}

function notFound(c: Context) {
  return c.html(invalidLinkPage(), 404);
}
