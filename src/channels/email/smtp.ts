import nodemailer from 'nodemailer';
import type { EmailChannel, EmailMessage, SendResult } from '../channel';

interface SmtpError { responseCode?: number; code?: string; message?: string; rejected?: string[] }

/** Whether an SMTP failure is worth retrying: 4xx answers and connection trouble are; 5xx and bad addresses are not. */
export function classifySmtpError(err: unknown): { retryable: boolean; reason: string } {
  const e = (err ?? {}) as SmtpError;
  const reason = e.message ?? String(err);
  if (typeof e.responseCode === 'number') return { retryable: e.responseCode < 500, reason };
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') return { retryable: false, reason };
  return { retryable: true, reason };
}

/** Email through an SMTP relay (`SMTP_URL`), pooled; "delivered" means the relay accepted it. */
export function createSmtpChannel(url: string): EmailChannel {
  const transport = nodemailer.createTransport(url.includes('?') || url.includes('pool=') ? url : `${url}?pool=true`);
  return {
    name: 'smtp',
    async send(message: EmailMessage): Promise<SendResult> {
      try {
        const info = await transport.sendMail({ ...message, headers: message.headers });
        if (info.rejected.length > 0) return { ok: false, retryable: false, reason: `rejected: ${info.rejected.join(', ')}` };
        return { ok: true, providerMessageId: info.messageId, status: 'delivered' };
      } catch (err) {
        return { ok: false, ...classifySmtpError(err) };
      }
    },
    close: () => transport.close(),
  };
}
