import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received, its urlencoded body decoded. */
export interface RecordedSmsRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  form: Record<string, string>;
}

/** What the next send answers instead of success. */
export type SmsRuScript =
  | { kind: 'invalid_number' } // per-number ERROR 202
  | { kind: 'no_balance' } // request-level ERROR 201
  | { kind: 'stop_list' } // per-number ERROR 209
  | { kind: 'unavailable' } // request-level ERROR 220
  | { kind: 'server_error' } // HTTP 500, HTML body
  | { kind: 'hang' }; // never answers (timeouts)

/**
 * A loopback stand-in for SMS.ru's `POST /sms/send?json=1`: checks `api_id`, records every request, answers the
 * documented JSON (`{status, status_code, sms: {<number>: {status, status_code, sms_id, cost, sms}}, balance}`) with
 * scriptable failures.
 */
export async function startFakeSmsRu(opts: { apiId: string; cost?: string; parts?: number }) {
  const requests: RecordedSmsRequest[] = [];
  const sent: Array<{ to: string; text: string; smsId: string; at: number }> = [];
  const queue: SmsRuScript[] = [];
  let seq = 0;
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { raw += c; });
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(raw));
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, form });
      const json = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
      if (req.method !== 'POST' || req.url !== '/sms/send') return json(404, { status: 'ERROR', status_code: 211, status_text: 'Метод не найден' });
      if (form.api_id !== opts.apiId) return json(200, { status: 'ERROR', status_code: 200, status_text: 'Неправильный api_id' });
      const script = queue.shift();
      const to = form.to ?? '';
      switch (script?.kind) {
        case 'hang': hanging.add(res); return;
        case 'server_error': res.writeHead(500, { 'content-type': 'text/html' }); return res.end('<html>502 Bad Gateway</html>');
        case 'no_balance': return json(200, { status: 'ERROR', status_code: 201, status_text: 'Не хватает средств на лицевом счету' });
        case 'unavailable': return json(200, { status: 'ERROR', status_code: 220, status_text: 'Сервис временно недоступен' });
        case 'invalid_number':
          return json(200, { status: 'OK', status_code: 100, sms: { [to]: { status: 'ERROR', status_code: 202, status_text: 'Неправильно указан номер телефона получателя' } }, balance: 100 });
        case 'stop_list':
          return json(200, { status: 'OK', status_code: 100, sms: { [to]: { status: 'ERROR', status_code: 209, status_text: 'Номер в стоп-листе' } }, balance: 100 });
        default: {
          seq += 1;
          const smsId = `202503-${String(1000000 + seq)}`;
          sent.push({ to, text: form.msg ?? '', smsId, at: Date.now() });
          return json(200, { status: 'OK', status_code: 100, sms: { [to]: { status: 'OK', status_code: 100, sms_id: smsId, cost: opts.cost ?? '3.49', sms: opts.parts ?? 1 } }, balance: 4122.56 });
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** Use as `SMS_API_ROOT`. */
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Messages accepted (answered OK): what the phones would have received. */
    sent,
    /** Makes the next send answer with this failure. */
    script(s: SmsRuScript) { queue.push(s); },
    async close() {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
