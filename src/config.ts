import { z } from 'zod';
import { resolve } from 'node:path';
import { requireSmsCredentials, smsEnvShape } from './channels/sms/env';
import { parseFrequencyCap } from './policy/frequency-cap';
import { parseDuration } from './dsl/duration';

const Port = z.coerce.number().int().min(0).max(65535);
const Empty = (v: unknown) => (v === '' ? undefined : v);
const opt = <T extends z.ZodTypeAny>(t: T) => z.preprocess(Empty, t.optional());

/** The environment as the contract documents it, parsed once. */
export const Env = z.object({
  PORT: z.preprocess(Empty, Port.default(3000)),
  HOST: z.preprocess(Empty, z.string().default('127.0.0.1')),
  PUBLIC_URL: opt(z.url()),
  DATA_DIR: z.preprocess(Empty, z.string().default('./data')),
  DATABASE_URL: opt(z.string()),
  FUNNELS_DIR: z.preprocess(Empty, z.string().default('./funnels')),
  TEMPORAL_ADDRESS: opt(z.string()),
  TEMPORAL_NAMESPACE: z.preprocess(Empty, z.string().default('default')),
  TEMPORAL_TASK_QUEUE: z.preprocess(Empty, z.string().default('autofunnel')),
  TEMPORAL_CLI_PATH: opt(z.string()),
  TEMPORAL_DEV_PORT: z.preprocess(Empty, Port.default(7233)),
  TEMPORAL_UI_PORT: z.preprocess(Empty, Port.default(8233)),
  SMTP_URL: opt(z.string().regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://')),
  MAIL_FROM: z.preprocess(Empty, z.string().default('autofunnel <noreply@localhost>')),
  API_TOKEN: opt(z.string().min(16, 'API_TOKEN must be at least 16 characters')),
  SECRET_KEY: opt(z.string().min(16, 'SECRET_KEY must be at least 16 characters')),
  ADMIN_PASSWORD: opt(z.string().min(8, 'ADMIN_PASSWORD must be at least 8 characters')),
  LOG_LEVEL: z.preprocess(Empty, z.enum(['debug', 'info', 'warn', 'error']).default('info')),
  TELEGRAM_BOT_TOKEN: opt(z.string().regex(/^\d+:[\w-]+$/, 'TELEGRAM_BOT_TOKEN looks like 123456:ABC-DEF… (from @BotFather)')),
  TELEGRAM_API_ROOT: opt(z.url()),
  TELEGRAM_UPDATES: opt(z.enum(['webhook', 'polling', 'off'])),
  TELEGRAM_START_REPLY: opt(z.string().max(4096, 'TELEGRAM_START_REPLY is at most 4096 characters (a Telegram message)')),
  TELEGRAM_ASK_PHONE: z.preprocess(Empty, z.enum(['true', 'false', '1', '0']).default('false')),
  VK_GROUP_TOKEN: opt(z.string().min(20, 'VK_GROUP_TOKEN is the community access token (Manage community → API usage → Access tokens)')),
  VK_GROUP_ID: opt(z.string().regex(/^\d{1,15}$/, 'VK_GROUP_ID is the community\'s numeric id, without a minus')),
  VK_COMMUNITY: opt(z.string().regex(/^[A-Za-z0-9_.]{2,64}$/, 'VK_COMMUNITY is the community\'s short name as in vk.com/<name>')),
  VK_CALLBACK_SECRET: opt(z.string().min(1).max(50, 'VK_CALLBACK_SECRET is at most 50 characters (VK\'s limit)')),
  VK_CONFIRMATION: opt(z.string().min(1).max(64)),
  VK_API_URL: opt(z.url()),
  TEAM_EMAIL: opt(z.email({ message: 'TEAM_EMAIL must be an email address' })),
  TEAM_TELEGRAM_CHAT_ID: opt(z.string().regex(/^-?\d{1,20}$/, 'TEAM_TELEGRAM_CHAT_ID is a numeric chat id (a group is negative, e.g. -1001234567890)')),
  WEBHOOK_SECRET: opt(z.string().min(16, 'WEBHOOK_SECRET must be at least 16 characters')),
  FREQUENCY_CAP: opt(z.string().refine((v) => {
    try { parseFrequencyCap(v, (d) => parseDuration(d) ?? null); return true; } catch { return false; }
  }, 'FREQUENCY_CAP looks like 3/24h: at most 3 messages per contact in any 24 hours')),
  VAPID_PUBLIC_KEY: opt(z.string().regex(/^[A-Za-z0-9_-]{80,90}$/, 'VAPID_PUBLIC_KEY is the base64url P-256 public key (npx web-push generate-vapid-keys)')),
  VAPID_PRIVATE_KEY: opt(z.string().regex(/^[A-Za-z0-9_-]{40,45}$/, 'VAPID_PRIVATE_KEY is the base64url P-256 private key (npx web-push generate-vapid-keys)')),
  VAPID_SUBJECT: opt(z.string().regex(/^(mailto:|https:\/\/)\S+$/, 'VAPID_SUBJECT is a mailto: address or an https: URL the push services can reach you at')),
  STAFF_TASK_WEBHOOK_URL: opt(z.url({ protocol: /^https?$/, message: 'STAFF_TASK_WEBHOOK_URL must be an http(s) URL' })),
  EMAIL_MESSAGE_COST: z.preprocess(Empty, z.string().regex(/^\d+(\.\d{1,4})?$/, 'EMAIL_MESSAGE_COST is what one email costs in major units (rubles), e.g. 0.05').default('0')),
  TELEGRAM_MESSAGE_COST: z.preprocess(Empty, z.string().regex(/^\d+(\.\d{1,4})?$/, 'TELEGRAM_MESSAGE_COST is what one Telegram message costs in major units (rubles), e.g. 0.1').default('0')),
  TRUST_PROXY: z.preprocess(Empty, z.enum(['true', 'false', '1', '0']).default('false')),
  WORKER_CACHED_WORKFLOWS: opt(z.coerce.number().int().min(2).max(100_000)),
  /** How long the leader's lease lasts unrenewed: another server takes over this long after the leader died. */
  LEADER_LEASE_MS: opt(z.coerce.number().int().min(300).max(600_000)),
  ...smsEnvShape,
}).superRefine(requireSmsCredentials).superRefine((env, ctx) => {
  if (env.VK_GROUP_TOKEN && !env.VK_GROUP_ID) ctx.addIssue({ code: 'custom', path: ['VK_GROUP_ID'], message: 'VK_GROUP_TOKEN needs VK_GROUP_ID (the community\'s numeric id)' });
  if (env.VK_CONFIRMATION && !env.VK_GROUP_ID) ctx.addIssue({ code: 'custom', path: ['VK_GROUP_ID'], message: 'VK_CONFIRMATION needs VK_GROUP_ID (the Callback API checks the community)' });
});
export type Env = z.infer<typeof Env>;

/** Resolved configuration: defaults applied, paths absolute. */
export type Config = Omit<Env, 'PUBLIC_URL' | 'DATA_DIR' | 'FUNNELS_DIR'> & {
  PUBLIC_URL: string;
  DATA_DIR: string;
  FUNNELS_DIR: string;
};

/** A configuration error, with every offending variable named. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.DATABASE_URL && !/^(sqlite|file|postgres|postgresql):/i.test(e.DATABASE_URL)) {
    throw new ConfigError(`DATABASE_URL: postgres://user:pass@host:port/db (PostgreSQL) or sqlite:/path/file.sqlite (got ${e.DATABASE_URL.split(':')[0]}:)`);
  }
  if (Boolean(e.VAPID_PUBLIC_KEY) !== Boolean(e.VAPID_PRIVATE_KEY)) {
    throw new ConfigError('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together: set both (one key pair) or neither (generated once and kept in DATA_DIR/secrets.json)');
  }
  return {
    ...e,
    DATA_DIR: resolve(e.DATA_DIR),
    FUNNELS_DIR: resolve(e.FUNNELS_DIR),
    PUBLIC_URL: (e.PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`).replace(/\/$/, ''),
  };
}
