import type { SendResult, SmsMessage } from '../channel';

/** The SMS gateways autofunnel speaks to (`SMS_PROVIDER`). */
export const SMS_PROVIDERS = ['smsru', 'smsc', 'twilio'] as const;
/** One of {@link SMS_PROVIDERS}. */
export type SmsProviderName = (typeof SMS_PROVIDERS)[number];

/** Whether `name` is a provider this build knows. */
export function isSmsProviderName(name: string): name is SmsProviderName {
  return (SMS_PROVIDERS as readonly string[]).includes(name);
}

/** A webhook call from a provider, reduced to what parsers need (the `token` query parameter already removed). */
export interface WebhookRequest {
  method: string;
  /** The URL the provider called, as it saw it (Twilio signs it). */
  url: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  /** Form fields (urlencoded or multipart body; the query for GET); repeated keys keep every value. */
  form: URLSearchParams;
  /** The parsed body when it was JSON. */
  json?: unknown;
}

/** A delivery report: the provider's message id and where the message ended up. */
export interface ReceiptUpdate {
  providerMessageId: string;
  /** `pending` reports (queued, sent to operator) change nothing in the ledger. */
  state: 'delivered' | 'failed' | 'pending';
  /** When the provider says it happened (epoch ms), when it says. */
  at?: number | undefined;
  /** The provider's status in words, e.g. `104 expired`, `undelivered (30003)`. */
  reason: string;
}

/** A text a customer sent to our number. */
export interface InboundSms {
  /** The sender as the provider gave it (normalised to E.164 by the webhook). */
  from: string;
  text: string;
  at?: number | undefined;
  providerMessageId?: string | undefined;
}

/** What one webhook call carried. */
export interface ParsedWebhook {
  receipts: ReceiptUpdate[];
  inbound: InboundSms[];
}

/** How a provider's webhooks are read and answered; pure (no credentials), so the HTTP layer needs no provider instance. */
export interface SmsWebhookParser {
  readonly name: SmsProviderName;
  /** HTTP methods the provider calls us with. */
  readonly methods: ReadonlyArray<'GET' | 'POST'>;
  /** The call's content, or `{ error }` when it is not a call this provider makes (answered 400, nothing stored). */
  parse(req: WebhookRequest): ParsedWebhook | { error: string };
  /** The body the provider expects back (SMS.ru wants `100`, Twilio TwiML). */
  readonly ack: { body: string; contentType: string };
}

/** One SMS gateway: sends a message and reports its own segments/cost when it knows them. */
export interface SmsProvider {
  readonly name: SmsProviderName;
  /** Sends one SMS to an E.164 number; never throws for gateway-side failures, it returns them. */
  send(message: SmsMessage, ctx: { deliveryId: string }): Promise<SendResult>;
  /** How this provider's delivery reports and inbound messages are read. */
  readonly webhook: SmsWebhookParser;
}

/** Settings every provider shares. */
export interface SmsProviderOptions {
  /** Base URL instead of the provider's (`SMS_API_ROOT`; tests point it at a loopback fake). */
  apiRoot?: string | undefined;
  /** Request timeout (ms); default 15 s. */
  timeoutMs?: number | undefined;
  /** Where the provider should post delivery reports for this message, for providers that take it per message. */
  statusCallbackUrl?: string | undefined;
}
