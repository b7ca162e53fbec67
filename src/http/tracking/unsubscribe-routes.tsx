import { Hono, type Context } from 'hono';
import type { ContactRow } from '../../db/schema';
import { findContact } from '../../db/contacts';
import { CONSENT_CHANNELS, type ConsentChannel } from '../../consent/record-consent';
import { subscriptionState, withdrawConsents } from '../../consent/unsubscribe';
import { verifyUnsubscribeToken, type UnsubscribeClaim } from '../../tracking/tokens';
import { socketIp, type TrackingRouteDeps } from './deps';
import { notFoundPage, pageMiddleware, pageProps, type TrackingEnv } from './page-context';
import { DonePage, ManagePage, MessagePage } from './pages';

type Ctx = Context<TrackingEnv>;

function values(v: unknown): string[] {
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

/**
 * `GET /u/:token` — the contact's subscription page (ru by default, en by `?lang=en` or Accept-Language): one box per
 * channel showing whether messages still go out there, "save" and "unsubscribe from everything".
 * `POST /u/:token` — RFC 8058 one-click (`List-Unsubscribe=One-Click`) withdraws email; the page's form withdraws each
 * unticked channel (or all). The signed token is the only authorisation (no session, so nothing to forge across sites);
 * a forged or unknown one is a 404 page and changes nothing.
 */
export function unsubscribeRoutes(deps: TrackingRouteDeps): Hono<TrackingEnv> {
  const app = new Hono<TrackingEnv>();
  app.use('/u/*', ...pageMiddleware());

  const resolve = async (c: Ctx): Promise<{ claim: UnsubscribeClaim; contact: ContactRow } | null> => {
    const claim = verifyUnsubscribeToken(deps.secretKey, c.req.param('token'));
    const contact = claim ? await findContact(deps.db, { contactId: claim.contactId }) : undefined;
    return claim && contact ? { claim, contact } : null;
  };
  const selfHref = (c: Ctx) => `/u/${encodeURIComponent(c.req.param('token') ?? '')}?lang=${pageProps(c).lang}`;

  app.get('/u/:token', async (c) => {
    const found = await resolve(c);
    if (!found) return notFoundPage(c);
    const channels = await subscriptionState(deps, found.contact);
    return c.html(<ManagePage {...pageProps(c)} action={selfHref(c)} channels={channels} />);
  });

  app.post('/u/:token', async (c) => {
    const found = await resolve(c);
    if (!found) return notFoundPage(c);
    const props = pageProps(c);
    const { m } = props;
    const body = await c.req.parseBody({ all: true }).catch(() => ({} as Record<string, unknown>));
    let channels: ConsentChannel[];
    let wording: string;
    if (values(body['List-Unsubscribe']).includes('One-Click')) {
      channels = ['email'];
      wording = m.oneClickWording;
    } else {
      const action = values(body['action'])[0];
      const active = (await subscriptionState(deps, found.contact)).filter((s) => s.active).map((s) => s.channel);
      if (action === 'all') {
        channels = active;
        wording = m.allWording;
      } else if (action === 'save') {
        const keep = new Set(values(body['keep']));
        channels = active.filter((ch) => !keep.has(ch));
        wording = m.formWording;
      } else {
        return c.html(<MessagePage {...props} title={m.badRequestTitle} text={m.badRequestText} />, 400);
      }
    }
    const withdrawn = await withdrawConsents(deps, {
      contactId: found.contact.id, deliveryId: found.claim.deliveryId, channels: channels.filter((ch) => CONSENT_CHANNELS.includes(ch)),
      ip: (deps.clientIp ?? socketIp)(c), userAgent: c.req.header('user-agent')?.slice(0, 500) ?? null, wording, at: deps.now(),
    });
    return c.html(<DonePage {...props} withdrawn={withdrawn} backHref={selfHref(c)} />);
  });
  return app;
}
