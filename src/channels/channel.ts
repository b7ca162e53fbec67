import type { ReachedStatus } from '../../workflows/statuses';

/** Why a send failed for good, when the engine should react beyond "failed": suppress the address, mark the contact unreachable. */
export type FailureCode = 'blocked' | 'invalid_address' | 'bounced' | 'rejected';

/** What a channel answers for one send: accepted with the provider's id, or a failure that says whether a retry can help. */
export type SendResult =
  | {
      ok: true;
      providerMessageId: string;
      status: ReachedStatus;
      /** SMS: message parts billed; cost in the provider's currency when it reports one. */
      segments?: number;
      cost?: number;
    }
  | {
      ok: false;
      retryable: boolean;
      reason: string;
      code?: FailureCode;
      /** Provider asked us to wait this long before trying again (Telegram 429 `retry_after`). */
      retryAfterMs?: number;
    };

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
  attachments?: Array<{ filename: string; content: string; contentType: string }>;
}

/** The email channel every touch uses. */
export type EmailChannel = Channel<EmailMessage>;

/** An SMS ready to go out: an E.164 number and plain text. */
export interface SmsMessage {
  to: string;
  text: string;
}

/** The SMS channel (a provider, or the dev outbox). */
export type SmsChannel = Channel<SmsMessage>;

/** One inline keyboard button: a URL button, or a callback button whose press becomes `<touchId>.clicked`. */
export interface TelegramButton {
  text: string;
  url?: string | undefined;
  callbackData?: string | undefined;
}

/** A Telegram message ready to go out; `text` is already escaped for `parseMode`. */
export interface TelegramMessage {
  chatId: string;
  text: string;
  parseMode?: 'HTML' | 'MarkdownV2' | undefined;
  photo?: string | undefined;
  document?: string | undefined;
  /** Rows of buttons. */
  buttons?: TelegramButton[][] | undefined;
  /**
   * The bot's own replies only: a one-button keyboard under the input field whose press shares the user's own phone
   * number (Telegram's `request_contact`), labelled with this text. Ignored when `buttons` are given.
   */
  requestContact?: string | undefined;
  /** The bot's own replies only: takes such a keyboard away again. */
  removeKeyboard?: boolean | undefined;
}

/** The Telegram channel (the Bot API, or the dev outbox). */
export type TelegramChannel = Channel<TelegramMessage>;

/** A VK community message ready to go out: plain text to a VK user (`peer_id`), inline buttons, VK media attachments. */
export interface VkMessage {
  peerId: string;
  text: string;
  /** Rows of buttons: a URL opens a link, `callbackData` presses back as `<touchId>.clicked`. */
  buttons?: TelegramButton[][] | undefined;
  /** VK media ids (`photo-1_456239017`). */
  attachments?: string[] | undefined;
}

/** The VK channel (a community's `messages.send`, or the dev outbox). */
export type VkChannel = Channel<VkMessage>;

/** Every channel a touch can go out on, as the send activity gets them. */
export interface Channels {
  email: EmailChannel;
  sms: SmsChannel;
  telegram: TelegramChannel;
  vk?: VkChannel;
}
