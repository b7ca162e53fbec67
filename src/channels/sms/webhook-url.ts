import { mac } from '../../security/signed-token';

/** The path the SMS webhooks are mounted under (`/webhooks/sms/:provider`). */
export const SMS_WEBHOOK_PATH = '/webhooks/sms';

/** The secret a provider's webhook URL carries in `?token=`; derived from SECRET_KEY, so it survives restarts and differs per provider. */
export function smsWebhookToken(secretKey: string, provider: string): string {
  return mac(secretKey, 'sms-webhook', provider);
}

/** The URL to give a provider for delivery reports and inbound SMS: `<PUBLIC_URL>/webhooks/sms/<provider>?token=…`. */
export function smsWebhookUrl(publicUrl: string, secretKey: string, provider: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${SMS_WEBHOOK_PATH}/${encodeURIComponent(provider)}?token=${smsWebhookToken(secretKey, provider)}`;
}
