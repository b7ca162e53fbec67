import type { Db } from '../db/database';
import type { Utm } from '../dsl/plan';
import { htmlLinks, insertBeforeBodyEnd, rewriteHtmlLinks } from './html-links';
import { textLinks, rewriteTextLinks } from './text-links';
import { storeLinks } from './links';
import { openToken, trimBase, unsubscribeUrl } from './tokens';
import { withUtm } from './utm';

export { unsubscribeUrl } from './tokens';

/** What tracking needs: where links are stored, the public base URL they point at, the key that signs tokens. */
export interface TrackingDeps {
  db: Db;
  publicUrl: string;
  secretKey: string;
}

/** One rendered email about to be sent for a delivery. */
export interface TrackedEmailInput {
  deliveryId: string;
  contactId: string;
  funnelId: string;
  touchId: string;
  html?: string | undefined;
  text?: string | undefined;
  /** Tags merged into every tracked link; false or undefined adds none. */
  utm?: Utm | false | undefined;
  now: number;
}

/** The email with tracked links, the open pixel and the RFC 8058 unsubscribe headers. */
export interface TrackedEmail {
  html?: string;
  text?: string;
  headers: Record<string, string>;
}

/** True for an absolute http(s) URL that does not already point at our own public URL (unsubscribe, pages, tracking). */
function isTrackable(url: string, base: URL): boolean {
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return false;
  const u = new URL(url);
  if (u.origin !== base.origin) return true;
  const prefix = base.pathname.replace(/\/+$/, '');
  return !(u.pathname === prefix || u.pathname.startsWith(`${prefix}/`));
}

/**
 * Makes a rendered email trackable: every external http(s) link in the HTML and every bare URL in the text is stored
 * (with the UTM tags merged) and replaced by `<publicUrl>/t/c/<linkId>`, so the target never appears in the message
 * and the click endpoint can only redirect to stored URLs; the HTML gets an open pixel before `</body>`; the headers
 * carry a signed one-click unsubscribe (RFC 2369 / RFC 8058). mailto:, tel:, anchors and our own URLs are left alone.
 */
export async function prepareTrackedEmail(deps: TrackingDeps, input: TrackedEmailInput): Promise<TrackedEmail> {
  const base = trimBase(deps.publicUrl);
  const baseUrl = new URL(base);
  const trackable = (url: string) => isTrackable(url, baseUrl);
  const found = [
    ...(input.html !== undefined ? htmlLinks(input.html) : []),
    ...(input.text !== undefined ? textLinks(input.text) : []),
  ].filter(trackable);
  const targets = new Map(found.map((url) => [url, withUtm(url, input.utm)]));
  const ids = await storeLinks(deps.db, input.deliveryId, [...new Set(targets.values())], input.now);
  const replace = (url: string): string | undefined => {
    const target = trackable(url) ? targets.get(url) : undefined;
    const id = target === undefined ? undefined : ids.get(target);
    return id === undefined ? undefined : `${base}/t/c/${id}`;
  };

  const out: TrackedEmail = {
    headers: {
      'List-Unsubscribe': `<${unsubscribeUrl(base, deps.secretKey, input.contactId, input.deliveryId)}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
  if (input.html !== undefined) {
    const pixel = `<img src="${base}/t/o/${openToken(deps.secretKey, input.deliveryId)}" width="1" height="1" alt="">`;
    out.html = insertBeforeBodyEnd(rewriteHtmlLinks(input.html, replace), pixel);
  }
  if (input.text !== undefined) out.text = rewriteTextLinks(input.text, replace);
  return out;
}
