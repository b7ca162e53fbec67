/** The SMS channel: providers (SMS.ru, SMSC.ru, Twilio), segment counting, configuration from the environment. */
export { createSmsChannel, type SmsChannelOptions } from './sms-channel';
export { createSmsChannelFromEnv, createSmsProviderFromEnv, SmsEnv, smsEnvShape, requireSmsCredentials, type SmsFromEnvOptions } from './env';
export { smsSegments, isGsm7, type SmsEncoding, type SmsLength } from './segments';
export { smsWebhookUrl, smsWebhookToken, SMS_WEBHOOK_PATH } from './webhook-url';
export { smsWebhookParsers } from './webhook-parsers';
export { createSmsRuProvider, type SmsRuConfig } from './smsru';
export { createSmscProvider, type SmscConfig } from './smsc';
export { createTwilioProvider, type TwilioConfig } from './twilio';
export type { SmsProvider, SmsProviderName, SmsWebhookParser, WebhookRequest, ReceiptUpdate, InboundSms, ParsedWebhook } from './provider';
export { isStopReply } from './stop-reply';
