import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One VK API request the fake received: the method and its form-encoded parameters. */
export interface VkCall {
  method: string;
  params: Record<string, string>;
  contentType: string;
  at: number;
}

/** A scripted VK error: `{error: {error_code, error_msg, request_params}}`. */
export type VkScriptedError = { error_code: number; error_msg: string };

/** The loopback VK API: where it listens, what it was asked and delivered, how to script failures. */
export interface FakeVk {
  /** Pass as `apiUrl` (VK_API_URL). */
  apiUrl: string;
  token: string;
  readonly calls: VkCall[];
  /** Messages the fake accepted and delivered: what a VK user would have received (a repeated random_id is not delivered twice). */
  readonly sent: Array<{ peerId: string; text: string; keyboard?: unknown; attachment?: string; randomId: string; messageId: number; at: number }>;
  /** Makes the next call of `method` answer this error (queued). */
  failNext(method: string, error: VkScriptedError): void;
  /** Every messages.send to this user answers 901 "Can't send messages for users without permission" until allowed. */
  blockUser(peerId: string | number): void;
  close(): Promise<void>;
}

/**
 * A loopback server speaking the VK API's documented shapes: form-encoded POSTs to `/method/<name>` with
 * `access_token` and `v`; answers `{response: …}` or `{error: {error_code, error_msg, request_params}}` with HTTP 200,
 * as VK does. `messages.send` returns the new message id; the same `random_id` to the same peer returns the first
 * message's id without delivering again (VK's idempotency).
 */
export async function startFakeVk(opts: { token?: string } = {}): Promise<FakeVk> {
  const token = opts.token ?? 'vk1.a.test-community-token-0123456789';
  const calls: VkCall[] = [];
  const sent: FakeVk['sent'] = [];
  const failures = new Map<string, VkScriptedError[]>();
  const blocked = new Set<string>();
  const byRandomId = new Map<string, number>();
  let nextMessageId = 100;

  const answer = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, e: VkScriptedError, params: Record<string, string>, method: string) => answer(res, {
    error: { ...e, request_params: [{ key: 'method', value: method }, ...Object.entries(params).filter(([k]) => k !== 'access_token').map(([key, value]) => ({ key, value }))] },
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/method\/([\w.]+)$/.exec(url.pathname);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const contentType = req.headers['content-type'] ?? '';
    if (!m || req.method !== 'POST') return answer(res, { error: { error_code: 3, error_msg: 'Unknown method passed', request_params: [] } });
    const method = m[1]!;
    const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    calls.push({ method, params, contentType, at: Date.now() });
    if (params.access_token !== token) return error(res, { error_code: 5, error_msg: 'User authorization failed: invalid access_token (4).' }, params, method);
    if (!params.v) return error(res, { error_code: 8, error_msg: 'Invalid request: v (version) is required' }, params, method);
    const scripted = failures.get(method)?.shift();
    if (scripted) return error(res, scripted, params, method);
    if (method !== 'messages.send') return answer(res, { response: 1 });
    const peer = params.peer_id;
    if (!peer || !params.random_id) return error(res, { error_code: 100, error_msg: 'One of the parameters specified was missing or invalid: peer_id and random_id are required' }, params, method);
    if (!params.message && !params.attachment) return error(res, { error_code: 100, error_msg: 'One of the parameters specified was missing or invalid: message is empty or invalid' }, params, method);
    if (blocked.has(peer)) return error(res, { error_code: 901, error_msg: "Can't send messages for users without permission" }, params, method);
    const key = `${peer}:${params.random_id}`;
    const known = byRandomId.get(key);
    if (known !== undefined) return answer(res, { response: known });
    const messageId = nextMessageId++;
    byRandomId.set(key, messageId);
    sent.push({
      peerId: peer, text: params.message ?? '', randomId: params.random_id, messageId, at: Date.now(),
      ...(params.keyboard && { keyboard: JSON.parse(params.keyboard) as unknown }), ...(params.attachment && { attachment: params.attachment }),
    });
    return answer(res, { response: messageId });
  };

  const server = createServer((req, res) => { handle(req, res).catch(() => { res.writeHead(500); res.end(); }); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}`, token, calls, sent,
    failNext: (method, e) => { failures.set(method, [...(failures.get(method) ?? []), e]); },
    blockUser: (peerId) => { blocked.add(String(peerId)); },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A Callback API event body as VK posts it to the community's server. */
export function vkEvent(type: string, object: Record<string, unknown>, o: { groupId: string; secret?: string; eventId: string }): Record<string, unknown> {
  return { type, event_id: o.eventId, v: '5.199', object, group_id: Number(o.groupId), ...(o.secret !== undefined && { secret: o.secret }) };
}
