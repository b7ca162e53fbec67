/** What a channel answers for one send: accepted with the provider's id, or a failure that says whether a retry can help. */
export type SendResult =
  | { ok: true; providerMessageId: string; status: 'delivered' | 'sent' | 'outbox' }
  | { ok: false; retryable: boolean; reason: string };

/** One outgoing message on some channel. */
export interface Channel<M> {
  readonly name: string;
  /** Sends one message; never throws for provider-side failures, it returns them. */
  send(message: M, ctx: { deliveryId: string }): Promise<SendResult>;
  close?(): Promise<void> | void;
}

/** An email ready to go out. */
export interface EmailMessage {
  to: string;
  from: string;
  subject: string;
  html?: string | undefined;
  text?: string | undefined;
  headers?: Record<string, string>;
}

/** The email channel every touch uses. */
export type EmailChannel = Channel<EmailMessage>;
