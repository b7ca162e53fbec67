import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createSmsChannelFromEnv, createSmsProviderFromEnv, requireSmsCredentials, SmsEnv, smsEnvShape } from '../../../src/channels/sms/env';

describe('sms env', () => {
  it('gives no channel when SMS_PROVIDER is unset (the caller uses the dev outbox)', () => {
    expect(createSmsChannelFromEnv({})).toBeNull();
    expect(createSmsChannelFromEnv({ SMS_PROVIDER: '' })).toBeNull();
  });

  it('builds the named provider', () => {
    expect(createSmsProviderFromEnv({ SMS_PROVIDER: 'smsru', SMSRU_API_ID: 'k' })?.name).toBe('smsru');
    expect(createSmsProviderFromEnv({ SMS_PROVIDER: 'smsc', SMSC_LOGIN: 'l', SMSC_PASSWORD: 'p' })?.name).toBe('smsc');
    expect(createSmsChannelFromEnv({ SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+15005550006' })?.name).toBe('twilio');
  });

  it('names every missing credential of the chosen provider', () => {
    expect(() => createSmsChannelFromEnv({ SMS_PROVIDER: 'smsru' })).toThrow(/SMSRU_API_ID: SMS_PROVIDER=smsru needs SMSRU_API_ID/);
    expect(() => createSmsChannelFromEnv({ SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: 'AC1' })).toThrow(/TWILIO_AUTH_TOKEN[\s\S]*TWILIO_FROM/);
    expect(() => createSmsChannelFromEnv({ SMS_PROVIDER: 'smsc', SMSC_LOGIN: 'l' })).toThrow(/SMSC_PASSWORD/);
  });

  it('refuses an unknown provider, a bad API root and a bad price', () => {
    expect(() => createSmsChannelFromEnv({ SMS_PROVIDER: 'mts' })).toThrow(/SMS_PROVIDER must be one of smsru, smsc, twilio/);
    expect(SmsEnv.safeParse({ SMS_API_ROOT: 'not a url' }).success).toBe(false);
    expect(SmsEnv.safeParse({ SMS_PRICE_PER_SEGMENT: 'cheap' }).success).toBe(false);
    expect(SmsEnv.parse({ SMS_PRICE_PER_SEGMENT: '4.5' }).SMS_PRICE_PER_SEGMENT).toBe(4.5);
    expect(SmsEnv.parse({}).SMS_PRICE_PER_SEGMENT).toBe(0);
  });

  it('merges into a larger environment schema', () => {
    const Env = z.object({ PORT: z.string().optional(), ...smsEnvShape }).superRefine(requireSmsCredentials);
    expect(Env.safeParse({ PORT: '3000', SMS_PROVIDER: 'smsru' }).error?.issues[0]?.path).toEqual(['SMSRU_API_ID']);
    expect(Env.parse({ PORT: '3000', SMS_PROVIDER: 'smsru', SMSRU_API_ID: 'k' }).SMS_PROVIDER).toBe('smsru');
  });
});
