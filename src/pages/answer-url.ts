import { signToken, verifyToken } from '../security/signed-token';

/** The signing purpose of an answer page link: a token for one funnel's ask never opens another ask's page. */
function answerTokenPurpose(funnelId: string, askId: string): string {
  return `answer:${funnelId}:${askId}`;
}

/** The personal link to an ask's answer page for one contact: `<publicUrl>/a/<funnelId>/<askId>?t=<signed contact id>`. */
export function answerPageUrl(publicUrl: string, secretKey: string, funnelId: string, askId: string, contactId: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  const token = signToken(secretKey, answerTokenPurpose(funnelId, askId), contactId);
  return `${base}/a/${encodeURIComponent(funnelId)}/${encodeURIComponent(askId)}?t=${encodeURIComponent(token)}`;
}

/** The contact id an answer page token carries when it was signed for exactly this ask; null for anything else. */
export function verifyAnswerToken(secretKey: string, funnelId: string, askId: string, token: string | undefined | null): string | null {
  return verifyToken(secretKey, answerTokenPurpose(funnelId, askId), token);
}

/** `links.asks` of a contact: the answer page of each of the funnel's asks. */
export function answerPageLinks(publicUrl: string, secretKey: string, funnelId: string, askIds: string[], contactId: string): Record<string, string> {
  return Object.fromEntries(askIds.map((id) => [id, answerPageUrl(publicUrl, secretKey, funnelId, id, contactId)]));
}
