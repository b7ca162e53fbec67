import type { SendResult } from '../channel';

/** Default time a gateway gets to answer one send. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** A gateway's HTTP answer: status, body text and the body parsed as JSON when it is JSON. */
export interface GatewayResponse {
  status: number;
  text: string;
  json: unknown;
  retryAfterMs?: number | undefined;
}

/**
 * POSTs an urlencoded form with a timeout. Answers the response, or a retryable failure when the gateway could not be
 * reached or did not answer in time (the message may or may not have gone out; a retry is the lesser evil).
 */
export async function postForm(url: string, form: URLSearchParams, opts: { timeoutMs?: number | undefined; headers?: Record<string, string> } = {}): Promise<GatewayResponse | Extract<SendResult, { ok: false }>> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'application/json', ...opts.headers },
      body: form.toString(),
      signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      redirect: 'error',
    });
    text = await res.text();
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${opts.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms` : (e.cause?.code ?? e.message);
    return { ok: false, retryable: true, reason: `gateway unreachable: ${why}` };
  }
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) };
}

/** `Retry-After` (seconds or an HTTP date) in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Whether a value is the failure branch `postForm` returns instead of a response. */
export function isFailure(r: GatewayResponse | Extract<SendResult, { ok: false }>): r is Extract<SendResult, { ok: false }> {
  return 'ok' in r;
}

/** The answer for an HTTP status the provider's own error body did not explain: 5xx and 429 can pass, other 4xx will not. */
export function httpFailure(provider: string, r: GatewayResponse): Extract<SendResult, { ok: false }> {
  const snippet = r.text.slice(0, 200).replace(/\s+/g, ' ').trim();
  const reason = `${provider}: HTTP ${r.status}${snippet ? ` ${snippet}` : ''}`;
  if (r.status === 429) return { ok: false, retryable: true, reason, ...(r.retryAfterMs !== undefined && { retryAfterMs: r.retryAfterMs }) };
  return { ok: false, retryable: r.status >= 500 || r.status === 408, reason };
}

/** A number from a JSON field that gateways send as a number or a numeric string; undefined otherwise. */
export function numeric(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** The URL for `path` under `root` (the provider's, or `SMS_API_ROOT`), without doubled slashes. */
export function joinUrl(root: string, path: string): string {
  return `${root.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
