import { signToken, verifyToken } from '../security/signed-token';

/** The signing purpose of a page link: a token for one funnel's page never opens another page. */
export function pageTokenPurpose(funnelId: string, pageId: string): string {
  return `page:${funnelId}:${pageId}`;
}

/** The personal link to a funnel's page for one contact: `<publicUrl>/p/<funnelId>/<pageId>?t=<signed contact id>`. */
export function pageUrl(publicUrl: string, secretKey: string, funnelId: string, pageId: string, contactId: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  const token = signToken(secretKey, pageTokenPurpose(funnelId, pageId), contactId);
  return `${base}/p/${encodeURIComponent(funnelId)}/${encodeURIComponent(pageId)}?t=${encodeURIComponent(token)}`;
}

/** The contact id a page token carries when it was signed for exactly this page; null for anything else. */
export function verifyPageToken(secretKey: string, funnelId: string, pageId: string, token: string | undefined | null): string | null {
  return verifyToken(secretKey, pageTokenPurpose(funnelId, pageId), token);
}
