import type { EmailChannel, EmailMessage, SendResult } from '../../src/channels/channel';

/** A test email channel: records every message and answers with scripted failures first. */
export function recordingEmail(script: SendResult[] = []) {
  const sent: Array<EmailMessage & { deliveryId: string }> = [];
  let n = 0;
  const channel: EmailChannel = {
    name: 'recording',
    async send(message, ctx) {
      const scripted = script.shift();
      if (scripted) return scripted;
      sent.push({ ...message, deliveryId: ctx.deliveryId });
      return { ok: true, providerMessageId: `rec-${++n}`, status: 'delivered' };
    },
  };
  return { channel, sent };
}
