/*
 * SMSC.ru (https://smsc.ru/api/http/, English mirror smscentre.com), `SMS_PROVIDER=smsc`.
 *
 * What the documentation shows (HTTP API pages "Отправка SMS", "Статусы сообщений", "Передача статусов и сообщений
 * на обработчик Клиента", and SMSC's own PHP/Python libraries):
 * - Send: `GET|POST https://smsc.ru/sys/send.php` with `login`, `psw`, `phones`, `mes`; we add `fmt=3` (JSON answer),
 *   `charset=utf-8` (the default is windows-1251), `cost=3` (send and report the cost) and optional `sender`.
 *   A number passed with "+" is not "auto-corrected" by SMSC, so we pass E.164 as it is.
 *   Answer: `{"id": 1234, "cnt": 1, "cost": "2.5", "balance": "120.5"}`, or `{"error": "…", "error_code": N}` with
 *   N = 1 bad parameters, 2 bad login/password (or IP not allowed), 3 no money, 4 IP temporarily blocked, 5 bad date,
 *   6 message forbidden (text or sender name), 7 invalid number, 8 cannot be delivered to the number, 9 too many
 *   identical requests (within a minute).
 *   We leave `id` to SMSC: message ids are only unique together with the phone (status.php takes both), so the
 *   ledger keeps `<id>:<digits of phone>`, which the status callback (it carries both) matches exactly.
 * - Status callbacks: the URL set under "Настройки" is called with form fields `id`, `phone`, `status`, `err`, and
 *   a time (`ts`/`time`). Status 1 delivered, 2 read, 4 link opened; 3 expired, 20 cannot be delivered, 22 invalid
 *   number, 23 forbidden, 24 no money, 25 number unavailable — final failures; -3/-1/0 not final.
 * - Inbound SMS to a dedicated number reach the same URL with `phone` (sender), `mes` (text), `to`, `sms_id`.
 *   The handler's answer body is not read; any 200 will do.
 */
import type { SendResult, SmsMessage } from '../channel';
import type { ParsedWebhook, SmsProvider, SmsProviderOptions, SmsWebhookParser, WebhookRequest } from './provider';
import { httpFailure, isFailure, joinUrl, numeric, postForm } from './http';

const API_ROOT = 'https://smsc.ru';

/** SMSC.ru credentials and sender. */
export interface SmscConfig extends SmsProviderOptions {
  login: string;
  password: string;
  /** An approved sender name (`SMS_SENDER`); the account default when unset. */
  sender?: string | undefined;
}

type Failure = Extract<SendResult, { ok: false }>;

/** What an SMSC.ru `error_code` means for a retry and for the address. */
export function classifySmscError(code: number, text?: string): Failure {
  const reason = `smsc ${code}${text ? `: ${text}` : ''}`;
  switch (code) {
    case 4: case 9: return { ok: false, retryable: true, reason, retryAfterMs: 60_000 };
    case 6: return { ok: false, retryable: false, reason, code: 'rejected' };
    case 7: case 8: return { ok: false, retryable: false, reason, code: 'invalid_address' };
    default: return { ok: false, retryable: false, reason }; // 1 params, 2 auth, 3 balance, 5 date
  }
}

/** The ledger's id for an SMSC message: SMSC's id with the recipient's digits. */
export function smscMessageId(id: string | number, phone: string): string {
  return `${id}:${phone.replace(/\D/g, '')}`;
}

/** Sends through SMSC.ru's `send.php` with JSON answers. */
export function createSmscProvider(config: SmscConfig): SmsProvider {
  const url = joinUrl(config.apiRoot ?? API_ROOT, '/sys/send.php');
  return {
    name: 'smsc',
    webhook: smscWebhook,
    async send(message: SmsMessage): Promise<SendResult> {
      const form = new URLSearchParams({
        login: config.login, psw: config.password, phones: message.to, mes: message.text, fmt: '3', charset: 'utf-8', cost: '3',
      });
      if (config.sender) form.set('sender', config.sender);
      const res = await postForm(url, form, { timeoutMs: config.timeoutMs });
      if (isFailure(res)) return res;
      const body = res.json as SmscAnswer | undefined;
      if (res.status !== 200 || !body || typeof body !== 'object') return httpFailure('smsc', res);
      if (body.error !== undefined || body.error_code !== undefined) return classifySmscError(Number(body.error_code), body.error);
      if (body.id === undefined || body.id === null) return { ok: false, retryable: true, reason: 'smsc: answer without a message id' };
      const cost = numeric(body.cost);
      const segments = numeric(body.cnt);
      return {
        ok: true, providerMessageId: smscMessageId(body.id, message.to), status: 'sent',
        ...(segments !== undefined && { segments }), ...(cost !== undefined && { cost }),
      };
    },
  };
}

interface SmscAnswer { id?: string | number; cnt?: unknown; cost?: unknown; balance?: unknown; error?: string; error_code?: number | string }

const DELIVERED = new Set([1, 2, 4]);
const FAILED: Record<number, string> = {
  3: 'expired', 20: 'cannot be delivered', 22: 'invalid number', 23: 'forbidden', 24: 'insufficient funds', 25: 'number unavailable',
};

function seconds(v: string | null): number | undefined {
  return v && /^\d{9,}$/.test(v) ? Number(v) * 1000 : undefined;
}

/** Reads SMSC.ru status callbacks and inbound SMS (form or query fields). */
export const smscWebhook: SmsWebhookParser = {
  name: 'smsc',
  methods: ['POST', 'GET'],
  ack: { body: 'OK', contentType: 'text/plain; charset=utf-8' },
  parse(req: WebhookRequest): ParsedWebhook | { error: string } {
    const f = req.form;
    const text = f.get('mes') ?? f.get('message');
    const phone = f.get('phone');
    if (f.get('status') === null && text !== null) {
      if (!phone) return { error: 'inbound message without phone' };
      return { receipts: [], inbound: [{ from: phone, text, at: seconds(f.get('ts')) ?? seconds(f.get('time')), providerMessageId: f.get('sms_id') ?? f.get('id') ?? undefined }] };
    }
    const id = f.get('id');
    const statusText = f.get('status');
    const status = Number(statusText);
    if (!id || !phone || statusText === null || statusText.trim() === '' || !Number.isInteger(status)) return { error: 'status callback needs id, phone and a numeric status' };
    const err = f.get('err');
    const state = DELIVERED.has(status) ? 'delivered' : FAILED[status] ? 'failed' : 'pending';
    const reason = `status ${status}${FAILED[status] ? ` ${FAILED[status]}` : ''}${err && err !== '0' ? `, err ${err}` : ''}`;
    return { receipts: [{ providerMessageId: smscMessageId(id, phone), state, at: seconds(f.get('ts')) ?? seconds(f.get('time')), reason }], inbound: [] };
  },
};
