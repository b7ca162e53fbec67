import type { Ctx, DashboardApp, RouteKit } from '../context';
import { csvResponse } from '../csv';
import { contactZone, loadContactCard, searchContacts, type ContactCard } from '../data/contact-data';
import { contactTimeline } from '../data/timeline-data';
import { consentLogSpec, consentSpec, contactListSpec, enrollmentSpec, timelineSpec } from '../components/contact-tables';
import { ContactsPage } from '../pages/contacts';
import { ContactPage } from '../pages/contact';
import { MessagePage } from '../pages/message';
import { EraseContactPage } from '../pages/erase-contact';
import { formCsrfOk } from '../session';
import { eraseContact } from '../../../contacts/erase-contact';
import { fill } from '../i18n';
import { contactHref, hrefWith } from '../query';
import { touchFromForm } from '../data/touch-form';
import { logTouches } from '../../../staff/log-touches';

/** Contact search, a contact's card and timeline, the CSV of each of their tables, and erasure behind a confirmation. */
export function contactRoutes(app: DashboardApp, kit: RouteKit): void {
  const { deps } = kit;
  const funnelZone = (id: string) => deps.funnels.get(id)?.plan.timezone;

  /** The contact named in the path and its display zone, or a 404 page. */
  const withContact = async (c: Ctx, then: (card: ContactCard, zone: string) => Promise<Response>) => {
    const card = await loadContactCard(deps.db, c.req.param('id') ?? '');
    if (!card) {
      const ctx = kit.page(c, true);
      return c.html(<MessagePage ctx={ctx} title={ctx.m.contactNotFound} />, 404);
    }
    return then(card, contactZone(card, funnelZone));
  };

  app.get('/dashboard/contacts', async (c) => {
    const q = c.req.query('q') ?? '';
    return c.html(<ContactsPage ctx={kit.page(c, true)} q={q} results={await searchContacts(deps.db, q)} />);
  });

  app.get('/dashboard/contacts.csv', async (c) =>
    csvResponse(c, 'contacts.csv', contactListSpec(kit.lang(c)), await searchContacts(deps.db, c.req.query('q') ?? '')));

  app.get('/dashboard/contacts/:id', (c) => withContact(c, async (card, zone) => {
    const timeline = await contactTimeline(deps.db, card.contact.id);
    const { m } = kit.lang(c);
    const error = c.req.query('touchError');
    const notice = error !== undefined ? { ok: false, text: fill(m.touchNotLogged, { reason: error }) }
      : c.req.query('touchLogged') !== undefined ? { ok: true, text: m.touchLogged } : undefined;
    return c.html(<ContactPage ctx={kit.page(c, true)} card={card} zone={zone} timeline={timeline} canErase={deps.engine !== undefined} notice={notice} />);
  }));

  // The same as POST /api/touches for one touch, from the contact page (session + CSRF); back to the page either way.
  app.post('/dashboard/contacts/:id/touches', (c) => withContact(c, async (card, zone) => {
    const form = await c.req.parseBody();
    if (!formCsrfOk(c, deps.secretKey, form.csrf)) {
      const ctx = kit.page(c, true);
      return c.html(<MessagePage ctx={ctx} title={ctx.m.staleForm} />, 403);
    }
    const back = (query: Record<string, string>) => c.redirect(`${hrefWith(contactHref(card.contact.id), query)}#log-touch`, 303);
    try {
      await logTouches({ ...deps, engine: deps.engine }, [touchFromForm(form, card.contact.id, zone)], { source: 'dashboard', single: true });
      return back({ touchLogged: '1' });
    } catch (err) {
      return back({ touchError: (err as Error).message });
    }
  }));

  app.get('/dashboard/contacts/:id/timeline.csv', (c) => withContact(c, async (card, zone) =>
    csvResponse(c, `${card.contact.id}-timeline.csv`, timelineSpec(kit.lang(c), zone), await contactTimeline(deps.db, card.contact.id))));

  app.get('/dashboard/contacts/:id/enrollments.csv', (c) => withContact(c, async (card, zone) =>
    csvResponse(c, `${card.contact.id}-enrollments.csv`, enrollmentSpec(kit.lang(c), zone), card.enrollments)));

  app.get('/dashboard/contacts/:id/consents.csv', (c) => withContact(c, async (card, zone) =>
    csvResponse(c, `${card.contact.id}-consents.csv`, consentSpec(kit.lang(c), zone), card.consents)));

  app.get('/dashboard/contacts/:id/consent-log.csv', (c) => withContact(c, async (card, zone) =>
    csvResponse(c, `${card.contact.id}-consent-log.csv`, consentLogSpec(kit.lang(c), zone), card.consentLog)));

  const engine = deps.engine;
  if (!engine) return; // a read-only dashboard (no engine to end workflows with) offers no erasure
  const titleOf = (card: ContactCard) => card.contact.name ?? card.contact.email ?? card.contact.phone ?? card.contact.id;

  app.get('/dashboard/contacts/:id/erase', (c) => withContact(c, async (card) => {
    return c.html(<EraseContactPage ctx={kit.page(c, true)} contactId={card.contact.id} title={titleOf(card)} />);
  }));

  // The session guard runs first; the form's CSRF token and the ticked box are checked before anything changes.
  app.post('/dashboard/contacts/:id/erase', (c) => withContact(c, async (card) => {
    const form = await c.req.parseBody();
    if (!formCsrfOk(c, deps.secretKey, form.csrf)) {
      const ctx = kit.page(c, true);
      return c.html(<MessagePage ctx={ctx} title={ctx.m.staleForm} />, 403);
    }
    if (form.confirm !== 'yes') {
      const ctx = kit.page(c, true);
      return c.html(<EraseContactPage ctx={ctx} contactId={card.contact.id} title={titleOf(card)} error={ctx.m.eraseNotConfirmed} />, 422);
    }
    await eraseContact({ ...engine, secretKey: deps.secretKey }, card.contact.id);
    const ctx = kit.page(c, true);
    return c.html(<MessagePage ctx={ctx} title={ctx.m.erasedTitle} message={ctx.m.erasedText} />);
  }));
}
