import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received, its urlencoded body decoded. */
export interface RecordedTwilioRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  form: Record<string, string>;
}

/** What the next send answers instead of success. */
export type TwilioScript =
  | { kind: 'invalid_number' } // 400, code 21211
  | { kind: 'unsubscribed' } // 400, code 21610
  | { kind: 'rate_limited'; retryAfterSeconds: number } // 429, code 20429, Retry-After
  | { kind: 'server_error' }; // 500, code 20500

/**
 * A loopback stand-in for Twilio's `POST /2010-04-01/Accounts/{sid}/Messages.json`: checks HTTP basic auth, records
 * every request, answers 201 with the Message resource (`sid`, `status: queued`, `num_segments` as a string, `price`)
 * or the documented error body `{code, message, more_info, status}`.
 */
export async function startFakeTwilio(opts: { accountSid: string; authToken: string; numSegments?: string; price?: string | null }) {
  const requests: RecordedTwilioRequest[] = [];
  const queue: TwilioScript[] = [];
  const path = `/2010-04-01/Accounts/${opts.accountSid}/Messages.json`;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { raw += c; });
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(raw));
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, form });
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      const error = (status: number, code: number, message: string, headers?: Record<string, string>) =>
        json(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);
      if (req.method !== 'POST' || req.url !== path) return error(404, 20404, 'The requested resource was not found');
      const expected = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return error(401, 20003, 'Authenticate');
      if (!form.To || !form.Body || !(form.From || form.MessagingServiceSid)) return error(400, 21604, "A 'To' phone number is required.");
      const script = queue.shift();
      switch (script?.kind) {
        case 'invalid_number': return error(400, 21211, `The 'To' number ${form.To} is not a valid phone number.`);
        case 'unsubscribed': return error(400, 21610, 'Attempt to send to unsubscribed recipient');
        case 'rate_limited': return error(429, 20429, 'Too Many Requests', { 'retry-after': String(script.retryAfterSeconds) });
        case 'server_error': return error(500, 20500, 'Internal Server Error');
        default: {
          const sid = `SM${randomBytes(16).toString('hex')}`;
          return json(201, {
            sid, account_sid: opts.accountSid, to: form.To, from: form.From ?? null, messaging_service_sid: form.MessagingServiceSid ?? null,
            body: form.Body, status: 'queued', num_segments: opts.numSegments ?? '1', num_media: '0', direction: 'outbound-api',
            price: opts.price ?? null, price_unit: 'USD', error_code: null, error_message: null, api_version: '2010-04-01',
            uri: `${path.replace('.json', '')}/${sid}.json`,
          });
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
    /** Makes the next send answer with this failure. */
    script(s: TwilioScript) { queue.push(s); },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
