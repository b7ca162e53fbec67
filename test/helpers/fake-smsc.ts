import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received, its urlencoded body (or query) decoded. */
export interface RecordedSmscRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  form: Record<string, string>;
}

/** What the next send answers instead of success: an SMSC `error_code`, or HTTP trouble. */
export type SmscScript = { kind: 'error'; code: number; text?: string } | { kind: 'server_error' };

const TEXTS: Record<number, string> = {
  1: 'parameters error', 2: 'authorise error', 3: 'no money', 4: 'IP is blocked', 5: 'incorrect date', 6: 'message is denied',
  7: 'invalid number', 8: "can't send message", 9: 'duplicate request, wait a minute',
};

/**
 * A loopback stand-in for SMSC.ru's `/sys/send.php` with `fmt=3`: checks login/psw, records every request, answers
 * `{"id", "cnt", "cost", "balance"}` (numbers as SMSC sends them: cost and balance as strings) or
 * `{"error", "error_code"}`.
 */
export async function startFakeSmsc(opts: { login: string; password: string; cost?: string; cnt?: number }) {
  const requests: RecordedSmscRequest[] = [];
  const queue: SmscScript[] = [];
  let nextId = 41;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { raw += c; });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const form = { ...Object.fromEntries(url.searchParams), ...Object.fromEntries(new URLSearchParams(raw)) };
      requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, form });
      const json = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }); res.end(JSON.stringify(body)); };
      if (url.pathname !== '/sys/send.php') return json(404, { error: 'not found', error_code: 1 });
      if (form.login !== opts.login || form.psw !== opts.password) return json(200, { error: TEXTS[2], error_code: 2 });
      const script = queue.shift();
      if (script?.kind === 'server_error') { res.writeHead(503, { 'content-type': 'text/plain' }); return res.end('Service Unavailable'); }
      if (script?.kind === 'error') return json(200, { error: script.text ?? TEXTS[script.code] ?? 'error', error_code: script.code });
      nextId += 1;
      return json(200, { id: nextId, cnt: opts.cnt ?? 1, cost: opts.cost ?? '2.9', balance: '1024.5' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** Use as `SMS_API_ROOT`. */
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Makes the next send answer with this failure. */
    script(s: SmscScript) { queue.push(s); },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
