import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update } from 'grammy/types';

/** One Bot API request the fake received. */
export interface TelegramCall {
  method: string;
  /** The parameters, whether sent as JSON, multipart form, urlencoded form or query string (form values stay strings). */
  body: Record<string, unknown>;
  /** How the body came: `json`, `multipart`, `urlencoded` or `none`. */
  encoding: 'json' | 'multipart' | 'urlencoded' | 'none';
  at: number;
}

/** A scripted failure for the next call of a method. */
export type ScriptedFailure = { error_code: number; description: string; retry_after?: number };

/** An update as a test writes it; the fake assigns `update_id` when missing. */
export type UpdateInput = Omit<Update, 'update_id'> & { update_id?: number };

/** The fake Bot API server: where it listens and how to script it. */
export interface FakeTelegram {
  token: string;
  /** Pass as `apiRoot` (no trailing slash). */
  apiRoot: string;
  readonly calls: TelegramCall[];
  /** Messages the fake accepted (answered ok): what a user would have received. */
  readonly sent: Array<{ method: string; chatId: string; text: string; at: number }>;
  /** Every call of `method` in the next `ms` answers `failure` (an outage or a long flood wait). */
  failFor(method: string, ms: number, failure: ScriptedFailure): void;
  /** Calls of one method, in order. */
  callsOf(method: string): TelegramCall[];
  /** Makes the next call of `method` fail with this answer (queued: several calls fail in turn). */
  failNext(method: string, failure: ScriptedFailure): void;
  /** Every send to this chat answers 403 "bot was blocked by the user" until unblocked. */
  blockChat(chatId: string | number): void;
  unblockChat(chatId: string | number): void;
  /** Queues an update for getUpdates; returns its update_id. */
  pushUpdate(update: UpdateInput): number;
  /** Updates not yet confirmed by a getUpdates offset. */
  pendingUpdates(): Update[];
  /** The URL and secret of the last setWebhook, or null after deleteWebhook. */
  webhook: { url: string; secret_token?: string } | null;
  close(): Promise<void>;
}

const SEND_METHODS = new Set(['sendMessage', 'sendPhoto', 'sendDocument']);

async function readBody(req: IncomingMessage, url: URL): Promise<Pick<TelegramCall, 'body' | 'encoding'>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  const query = Object.fromEntries(url.searchParams);
  if (raw.length === 0) return { body: query, encoding: 'none' };
  if (type.startsWith('application/json')) return { body: { ...query, ...(JSON.parse(raw.toString('utf8')) as Record<string, unknown>) }, encoding: 'json' };
  if (type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const body: Record<string, unknown> = { ...query };
    for (const [k, v] of form.entries()) body[k] = typeof v === 'string' ? v : { filename: v.name, size: v.size };
    return { body, encoding: type.startsWith('multipart') ? 'multipart' : 'urlencoded' };
  }
  return { body: query, encoding: 'none' };
}

const num = (v: unknown) => (typeof v === 'number' ? v : /^-?\d+$/.test(String(v)) ? Number(v) : String(v));

/** Starts a loopback server speaking the Bot API shapes grammY uses (`/bot<token>/<method>`, `{ok, result}`). */
export async function startFakeTelegram(opts: { token?: string; username?: string } = {}): Promise<FakeTelegram> {
  const token = opts.token ?? '123456:TEST-token_abc';
  const calls: TelegramCall[] = [];
  const sent: FakeTelegram['sent'] = [];
  const failures = new Map<string, ScriptedFailure[]>();
  const outages = new Map<string, { until: number; failure: ScriptedFailure }>();
  const blocked = new Set<string>();
  let updates: Update[] = [];
  let nextUpdateId = 1000;
  let nextMessageId = 1;
  const waiters = new Set<() => void>();

  const fake: FakeTelegram = {
    token, apiRoot: '', calls, sent, webhook: null,
    failFor: (method, ms, failure) => { outages.set(method, { until: Date.now() + ms, failure }); },
    callsOf: (method) => calls.filter((c) => c.method === method),
    failNext: (method, failure) => { failures.set(method, [...(failures.get(method) ?? []), failure]); },
    blockChat: (chatId) => { blocked.add(String(chatId)); },
    unblockChat: (chatId) => { blocked.delete(String(chatId)); },
    pushUpdate: (u) => {
      const update = { ...u, update_id: u.update_id ?? nextUpdateId++ } as Update;
      updates.push(update);
      for (const wake of [...waiters]) wake();
      return update.update_id;
    },
    pendingUpdates: () => [...updates],
    close: async () => {
      for (const wake of [...waiters]) wake();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  const result = async (method: string, body: Record<string, unknown>, res: ServerResponse): Promise<unknown> => {
    const chat = { id: num(body.chat_id), type: 'private', first_name: 'Test' };
    const message = (extra: Record<string, unknown>) => ({ message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat, ...extra });
    switch (method) {
      case 'getMe': return { id: 424242, is_bot: true, first_name: 'Test Bot', username: opts.username ?? 'autofunnel_test_bot' };
      case 'sendMessage': return message({ text: body.text });
      case 'sendPhoto': return message({ photo: [{ file_id: 'photo-1', file_unique_id: 'p1', width: 1, height: 1 }], caption: body.caption });
      case 'sendDocument': return message({ document: { file_id: 'doc-1', file_unique_id: 'd1' }, caption: body.caption });
      case 'answerCallbackQuery': return true;
      case 'setWebhook': fake.webhook = { url: String(body.url), ...(body.secret_token !== undefined && { secret_token: String(body.secret_token) }) }; return true;
      case 'deleteWebhook': fake.webhook = null; return true;
      case 'getUpdates': {
        const offset = Number(body.offset ?? 0);
        if (offset > 0) updates = updates.filter((u) => u.update_id >= offset);
        const limit = Number(body.limit ?? 100);
        const timeoutMs = Number(body.timeout ?? 0) * 1000;
        const deadline = Date.now() + timeoutMs;
        let gone = false;
        res.once('close', () => { gone = true; });
        while (updates.length === 0 && Date.now() < deadline && !gone && server.listening) {
          await new Promise<void>((resolve) => {
            const wake = () => { clearTimeout(t); waiters.delete(wake); resolve(); };
            const t = setTimeout(wake, Math.max(0, deadline - Date.now()));
            waiters.add(wake);
            res.once('close', wake);
          });
        }
        return updates.slice(0, limit);
      }
      default: return undefined;
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    const send = (status: number, payload: unknown) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    };
    if (!m) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
    if (m[1] !== token) return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = m[2]!;
    const { body, encoding } = await readBody(req, url);
    calls.push({ method, body, encoding, at: Date.now() });
    const outage = outages.get(method);
    const failure = failures.get(method)?.shift() ?? (outage && Date.now() < outage.until ? outage.failure : undefined);
    if (failure) {
      const { retry_after, ...rest } = failure;
      return send(failure.error_code, { ok: false, ...rest, ...(retry_after !== undefined && { parameters: { retry_after } }) });
    }
    if (SEND_METHODS.has(method) && blocked.has(String(body.chat_id))) {
      return send(403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    }
    const value = await result(method, body, res);
    if (value === undefined) return send(404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    if (SEND_METHODS.has(method)) sent.push({ method, chatId: String(body.chat_id), text: String(body.text ?? body.caption ?? ''), at: Date.now() });
    send(200, { ok: true, result: value });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 500, description: String(err) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

const user = (chatId: number, language_code = 'ru') => ({ id: chatId, is_bot: false, first_name: 'Анна', language_code });
const privateChat = (chatId: number) => ({ id: chatId, type: 'private' as const, first_name: 'Анна' });

/** Builders of the updates a real user's actions produce. */
export const tgUpdates = {
  /** A text message (a command when it starts with "/"), optionally replying to one of the bot's messages. */
  text(chatId: number, text: string, opts: { replyTo?: number; updateId?: number; languageCode?: string } = {}): UpdateInput {
    return {
      ...(opts.updateId !== undefined && { update_id: opts.updateId }),
      message: {
        message_id: Math.floor(Math.random() * 1e6), date: Math.floor(Date.now() / 1000), chat: privateChat(chatId), from: user(chatId, opts.languageCode), text,
        ...(text.startsWith('/') && { entities: [{ type: 'bot_command', offset: 0, length: text.split(/\s/)[0]!.length }] }),
        ...(opts.replyTo !== undefined && { reply_to_message: { message_id: opts.replyTo, date: 0, chat: privateChat(chatId), text: '…' } }),
      },
    } as UpdateInput;
  },
  /**
   * A shared contact card: the user's own phone through the "share my phone" button (`user_id` = the sender), or with
   * `userId` someone else's card forwarded from the address book.
   */
  contact(chatId: number, phoneNumber: string, opts: { userId?: number; updateId?: number; languageCode?: string } = {}): UpdateInput {
    return {
      ...(opts.updateId !== undefined && { update_id: opts.updateId }),
      message: {
        message_id: Math.floor(Math.random() * 1e6), date: Math.floor(Date.now() / 1000), chat: privateChat(chatId), from: user(chatId, opts.languageCode),
        contact: { phone_number: phoneNumber, first_name: 'Анна', user_id: opts.userId ?? chatId },
      },
    } as UpdateInput;
  },
  /** A press of a callback button under message `messageId`. */
  callback(chatId: number, data: string, messageId = 1, updateId?: number): UpdateInput {
    return {
      ...(updateId !== undefined && { update_id: updateId }),
      callback_query: {
        id: `cq-${Math.random().toString(36).slice(2)}`, from: user(chatId), chat_instance: 'ci', data,
        message: { message_id: messageId, date: 0, chat: privateChat(chatId), text: '…' },
      },
    } as UpdateInput;
  },
  /** The user blocked the bot (`kicked`) or unblocked it (`member`). */
  member(chatId: number, status: 'kicked' | 'member', updateId?: number): UpdateInput {
    const old = status === 'kicked' ? 'member' : 'kicked';
    const member = (s: string) => (s === 'kicked' ? { status: 'kicked', user: user(chatId), until_date: 0 } : { status: 'member', user: user(chatId) });
    return {
      ...(updateId !== undefined && { update_id: updateId }),
      my_chat_member: { chat: privateChat(chatId), from: user(chatId), date: 0, old_chat_member: member(old), new_chat_member: member(status) },
    } as UpdateInput;
  },
};
