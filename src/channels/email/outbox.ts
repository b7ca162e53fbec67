import type { Db } from '../../db/database';
import type { EmailChannel, EmailMessage, SendResult } from '../channel';
import { newId } from '../../db/ids';

/** The dev outbox: with no SMTP_URL, emails are stored and shown on the dashboard, never sent; the ledger says `outbox`. */
export function createOutboxChannel(db: Db): EmailChannel {
  return {
    name: 'outbox',
    async send(message: EmailMessage, ctx: { deliveryId: string }): Promise<SendResult> {
      const id = newId('ob');
      await db.insertInto('outbox').values({
        id, delivery_id: ctx.deliveryId, channel: 'email', recipient: message.to,
        subject: message.subject, html: message.html ?? null, text: message.text ?? null, created_at: Date.now(),
      }).onConflict((oc) => oc.column('delivery_id').doNothing()).execute();
      return { ok: true, providerMessageId: `outbox:${id}`, status: 'outbox' };
    },
  };
}
