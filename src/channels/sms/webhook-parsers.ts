import type { SmsProviderName, SmsWebhookParser } from './provider';
import { smsRuWebhook } from './smsru';
import { smscWebhook } from './smsc';
import { twilioWebhook } from './twilio';

/** How each known provider's webhooks are read, by provider name (the `:provider` of `/webhooks/sms/:provider`). */
export const smsWebhookParsers: Readonly<Record<SmsProviderName, SmsWebhookParser>> = {
  smsru: smsRuWebhook,
  smsc: smscWebhook,
  twilio: twilioWebhook,
};
