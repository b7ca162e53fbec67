import { randomUUID } from 'node:crypto';
import type { EmailChannel, TelegramChannel } from '../channels/channel';
import { contactHref } from '../http/dashboard/query';

/** An internal message to the team: «Анна нажала «Позвоните мне»», with the contact's card when there is one. */
export interface TeamNotification {
  subject: string;
  text: string;
  /** The contact it is about: the message carries a link to its card on the dashboard. */
  contactId?: string | undefined;
}

/** What one channel of the team answered. */
export interface TeamDelivery {
  channel: 'email' | 'telegram';
  to: string;
  ok: boolean;
  retryable?: boolean;
  reason?: string;
}

/** Where team notifications go: an address (`TEAM_EMAIL`), a Telegram chat (`TEAM_TELEGRAM_CHAT_ID`), or both. */
export interface TeamNotifierOptions {
  publicUrl: string;
  email?: { channel: EmailChannel; to: string; from: string } | undefined;
  telegram?: { channel: TelegramChannel; chatId: string } | undefined;
}

/** Sends team notifications to every configured destination. */
export interface TeamNotifier {
  /** Where it sends, for logs and the README's "configured" line. */
  readonly destinations: string[];
  /** Sends to each destination; never throws for a channel's refusal, it reports it per destination. */
  notify(n: TeamNotification, deliveryId?: string): Promise<TeamDelivery[]>;
}

/** The team's notifier, or null when neither TEAM_EMAIL nor TEAM_TELEGRAM_CHAT_ID is set. */
export function createTeamNotifier(o: TeamNotifierOptions): TeamNotifier | null {
  if (!o.email && !o.telegram) return null;
  const destinations = [...(o.email ? [`email:${o.email.to}`] : []), ...(o.telegram ? [`telegram:${o.telegram.chatId}`] : [])];
  return {
    destinations,
    async notify(n, deliveryId = `team:${randomUUID()}`) {
      const card = n.contactId ? `${o.publicUrl}${contactHref(n.contactId)}` : null;
      const text = card ? `${n.text}\n\n${card}` : n.text;
      const out: TeamDelivery[] = [];
      if (o.email) {
        const r = await o.email.channel.send({ to: o.email.to, from: o.email.from, subject: n.subject, text }, { deliveryId });
        out.push({ channel: 'email', to: o.email.to, ok: r.ok, ...(!r.ok && { retryable: r.retryable, reason: r.reason }) });
      }
      if (o.telegram) {
        const r = await o.telegram.channel.send({ chatId: o.telegram.chatId, text: `${n.subject}\n${text}` }, { deliveryId });
        out.push({ channel: 'telegram', to: o.telegram.chatId, ok: r.ok, ...(!r.ok && { retryable: r.retryable, reason: r.reason }) });
      }
      return out;
    },
  };
}

/** The team's notifier from the environment and the engine's channels (a chat id with no bot configured goes to the dev outbox). */
export function teamNotifierFromEnv(env: { TEAM_EMAIL?: string | undefined; TEAM_TELEGRAM_CHAT_ID?: string | undefined; MAIL_FROM: string }, channels: { email: EmailChannel; telegram: TelegramChannel }, publicUrl: string): TeamNotifier | null {
  return createTeamNotifier({
    publicUrl,
    email: env.TEAM_EMAIL ? { channel: channels.email, to: env.TEAM_EMAIL, from: env.MAIL_FROM } : undefined,
    telegram: env.TEAM_TELEGRAM_CHAT_ID ? { channel: channels.telegram, chatId: env.TEAM_TELEGRAM_CHAT_ID } : undefined,
  });
}
