/** The VK API version every call asks for. */
export const VK_API_VERSION = '5.199';

/** Where and as whom VK API calls go. */
export interface VkApiOptions {
  /** The community access token (`VK_GROUP_TOKEN`). */
  token: string;
  /** Root of the API (`VK_API_URL`), default `https://api.vk.com`. */
  apiUrl?: string | undefined;
  /** Longest wait for one answer; default 30 s. */
  timeoutMs?: number | undefined;
}

/** An error VK answered with (`{error: {error_code, error_msg}}`). */
export class VkApiError extends Error {
  override readonly name = 'VkApiError';
  constructor(readonly code: number, readonly description: string) {
    super(`${code}: ${description}`);
  }
}

/** The request never got a VK answer (network trouble, a timeout, a body that is not VK's JSON). */
export class VkNetworkError extends Error {
  override readonly name = 'VkNetworkError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Calls one VK API method as VK documents it: a form-encoded POST to `<root>/method/<name>` with `access_token` and
 * `v`. Resolves with `response`; throws VkApiError for VK's error envelope and VkNetworkError when no answer came.
 */
export async function callVk(opts: VkApiOptions, method: string, params: Record<string, string | number | undefined>): Promise<unknown> {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) form.set(k, String(v));
  form.set('access_token', opts.token);
  form.set('v', VK_API_VERSION);
  const root = (opts.apiUrl ?? 'https://api.vk.com').replace(/\/+$/, '');
  let body: unknown;
  try {
    const res = await fetch(`${root}/method/${method}`, {
      method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' },
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    try {
      body = JSON.parse(text);
    } catch {
      throw new VkNetworkError(`VK answered HTTP ${res.status} with a body that is not JSON`);
    }
  } catch (err) {
    if (err instanceof VkNetworkError) throw err;
    throw new VkNetworkError(`network: ${(err as Error).message}`, { cause: err });
  }
  const envelope = body as { response?: unknown; error?: { error_code?: unknown; error_msg?: unknown } };
  if (envelope && typeof envelope === 'object' && envelope.error) {
    throw new VkApiError(Number(envelope.error.error_code), String(envelope.error.error_msg ?? 'unknown error'));
  }
  if (!envelope || typeof envelope !== 'object' || !('response' in envelope)) throw new VkNetworkError('VK answered without response or error');
  return envelope.response;
}
