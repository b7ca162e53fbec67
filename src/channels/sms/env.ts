import { z } from 'zod';
import type { SmsChannel } from '../channel';
import type { SmsProvider, SmsProviderName } from './provider';
import { SMS_PROVIDERS } from './provider';
import { createSmsChannel } from './sms-channel';
import { createSmsRuProvider } from './smsru';
import { createSmscProvider } from './smsc';
import { createTwilioProvider } from './twilio';
import { smsWebhookUrl } from './webhook-url';

const Empty = (v: unknown) => (v === '' ? undefined : v);
const opt = <T extends z.ZodTypeAny>(t: T) => z.preprocess(Empty, t.optional());

/** The SMS variables as a plain object shape, for merging into the app's `Env` (`z.object({...Env.shape, ...smsEnvShape})`). */
export const smsEnvShape = {
  SMS_PROVIDER: opt(z.enum(SMS_PROVIDERS, { message: `SMS_PROVIDER must be one of ${SMS_PROVIDERS.join(', ')}` })),
  SMS_API_ROOT: opt(z.url({ message: 'SMS_API_ROOT must be a URL, e.g. http://127.0.0.1:9000' })),
  SMS_SENDER: opt(z.string().max(64)),
  SMS_PRICE_PER_SEGMENT: z.preprocess(Empty, z.coerce.number({ message: 'SMS_PRICE_PER_SEGMENT must be a number, e.g. 4.5' }).min(0).default(0)),
  SMSRU_API_ID: opt(z.string()),
  SMSC_LOGIN: opt(z.string()),
  SMSC_PASSWORD: opt(z.string()),
  TWILIO_ACCOUNT_SID: opt(z.string()),
  TWILIO_AUTH_TOKEN: opt(z.string()),
  TWILIO_FROM: opt(z.string()),
};

type SmsEnvValues = z.infer<z.ZodObject<typeof smsEnvShape>>;

const NEEDS: Record<SmsProviderName, Array<[keyof SmsEnvValues, string]>> = {
  smsru: [['SMSRU_API_ID', 'the api_id from sms.ru → API']],
  smsc: [['SMSC_LOGIN', 'the SMSC.ru login'], ['SMSC_PASSWORD', 'the SMSC.ru password or API key']],
  twilio: [['TWILIO_ACCOUNT_SID', 'AC…'], ['TWILIO_AUTH_TOKEN', 'the auth token'], ['TWILIO_FROM', 'a Twilio number in E.164 or a Messaging Service SID MG…']],
};

/** Refinement for a schema holding the SMS variables: a chosen provider must have its credentials. */
export function requireSmsCredentials(env: SmsEnvValues, ctx: z.RefinementCtx): void {
  if (!env.SMS_PROVIDER) return;
  for (const [key, what] of NEEDS[env.SMS_PROVIDER]) {
    if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: `SMS_PROVIDER=${env.SMS_PROVIDER} needs ${key} (${what})` });
  }
}

/** The SMS channel's environment: provider, credentials, API root override, sender, price per part. */
export const SmsEnv = z.object(smsEnvShape).superRefine(requireSmsCredentials);
export type SmsEnv = z.infer<typeof SmsEnv>;

/** Where the provider is reached and how this server is reached back (for per-message status callbacks). */
export interface SmsFromEnvOptions {
  publicUrl?: string | undefined;
  secretKey?: string | undefined;
  timeoutMs?: number | undefined;
}

/** The provider `SMS_PROVIDER` names, or null when it is unset. Throws a clear message when credentials are missing. */
export function createSmsProviderFromEnv(env: Record<string, string | undefined>, options: SmsFromEnvOptions = {}): SmsProvider | null {
  const parsed = SmsEnv.safeParse(env);
  if (!parsed.success) {
    throw new Error(`invalid SMS settings:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const e = parsed.data;
  if (!e.SMS_PROVIDER) return null;
  const common = {
    apiRoot: e.SMS_API_ROOT, timeoutMs: options.timeoutMs,
    statusCallbackUrl: options.publicUrl && options.secretKey ? smsWebhookUrl(options.publicUrl, options.secretKey, e.SMS_PROVIDER) : undefined,
  };
  switch (e.SMS_PROVIDER) {
    case 'smsru': return createSmsRuProvider({ ...common, apiId: e.SMSRU_API_ID!, from: e.SMS_SENDER });
    case 'smsc': return createSmscProvider({ ...common, login: e.SMSC_LOGIN!, password: e.SMSC_PASSWORD!, sender: e.SMS_SENDER });
    case 'twilio': return createTwilioProvider({ ...common, accountSid: e.TWILIO_ACCOUNT_SID!, authToken: e.TWILIO_AUTH_TOKEN!, from: e.TWILIO_FROM! });
  }
}

/** The SMS channel the environment configures, or null when `SMS_PROVIDER` is unset (the caller uses the dev outbox). */
export function createSmsChannelFromEnv(env: Record<string, string | undefined>, options: SmsFromEnvOptions = {}): SmsChannel | null {
  const provider = createSmsProviderFromEnv(env, options);
  if (!provider) return null;
  const price = SmsEnv.parse(env).SMS_PRICE_PER_SEGMENT;
  return createSmsChannel(provider, { pricePerSegment: price });
}
