import type { Db } from '../db/database';
import type { EmailChannel, SendResult, SmsChannel, TelegramChannel, VkChannel } from './channel';
import { newId } from '../db/ids';

async function store(db: Db, deliveryId: string, row: { channel: string; recipient: string; subject?: string | null; html?: string | null; text?: string | null }): Promise<SendResult> {
  const id = newId('ob');
  await db.insertInto('outbox').values({
    id, delivery_id: deliveryId, channel: row.channel, recipient: row.recipient,
    subject: row.subject ?? null, html: row.html ?? null, text: row.text ?? null, created_at: Date.now(),
  }).onConflict((oc) => oc.column('delivery_id').doNothing()).execute();
  return { ok: true, providerMessageId: `outbox:${id}`, status: 'outbox' };
}

/** The dev outbox for email: with no SMTP_URL, emails are stored and shown on the dashboard, never sent; the ledger says `outbox`. */
export function createEmailOutbox(db: Db): EmailChannel {
  return {
    name: 'outbox',
    send: (m, ctx) => store(db, ctx.deliveryId, { channel: 'email', recipient: m.to, subject: m.subject, html: m.html ?? null, text: m.text ?? null }),
  };
}

/** The dev outbox for SMS: with no SMS_PROVIDER, messages are stored and shown on the dashboard, never sent. */
export function createSmsOutbox(db: Db): SmsChannel {
  return { name: 'outbox', send: (m, ctx) => store(db, ctx.deliveryId, { channel: 'sms', recipient: m.to, text: m.text }) };
}

/** The dev outbox for Telegram: with no TELEGRAM_BOT_TOKEN, messages are stored and shown on the dashboard, never sent. */
export function createTelegramOutbox(db: Db): TelegramChannel {
  return {
    name: 'outbox',
    send: (m, ctx) => store(db, ctx.deliveryId, {
      channel: 'telegram', recipient: m.chatId, text: m.text,
      html: m.buttons ? JSON.stringify({ buttons: m.buttons, photo: m.photo, document: m.document }) : null,
    }),
  };
}

/** The dev outbox for VK: with no VK_GROUP_TOKEN, messages are stored and shown on the dashboard, never sent. */
export function createVkOutbox(db: Db): VkChannel {
  return {
    name: 'outbox',
    send: (m, ctx) => store(db, ctx.deliveryId, {
      channel: 'vk', recipient: m.peerId, text: m.text,
      html: m.buttons || m.attachments ? JSON.stringify({ buttons: m.buttons, attachments: m.attachments }) : null,
    }),
  };
}
