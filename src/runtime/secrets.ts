import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webpush from 'web-push';
import type { Config } from '../config';

/** The credentials the process runs with, and which of them were generated (to print once at start). */
export interface Secrets {
  apiToken: string;
  secretKey: string;
  adminPassword: string;
  /** The VAPID key pair of web push (base64url): browsers subscribe with the public key, every push is signed with the private one. */
  vapid: { publicKey: string; privateKey: string };
  generated: Array<'apiToken' | 'adminPassword' | 'secretKey'>;
}

/**
 * Takes API_TOKEN, SECRET_KEY, ADMIN_PASSWORD and the VAPID pair (VAPID_PUBLIC_KEY + VAPID_PRIVATE_KEY) from the
 * environment; any that is unset is generated once and kept in `DATA_DIR/secrets.json` (mode 600), so restarts keep
 * links, sessions, integrations and browsers' push subscriptions valid.
 */
export function loadSecrets(config: Config): Secrets {
  mkdirSync(config.DATA_DIR, { recursive: true });
  const file = join(config.DATA_DIR, 'secrets.json');
  const stored: Partial<Record<'apiToken' | 'secretKey' | 'adminPassword' | 'vapidPublicKey' | 'vapidPrivateKey', string>> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const generated: Secrets['generated'] = [];
  const pick = (key: 'apiToken' | 'secretKey' | 'adminPassword', fromEnv: string | undefined, make: () => string) => {
    if (fromEnv) return fromEnv;
    if (!stored[key]) {
      stored[key] = make();
      generated.push(key);
    }
    return stored[key]!;
  };
  let vapidGenerated = false;
  const vapid = (() => {
    if (config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY) return { publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY };
    if (!stored.vapidPublicKey || !stored.vapidPrivateKey) {
      const keys = webpush.generateVAPIDKeys();
      stored.vapidPublicKey = keys.publicKey;
      stored.vapidPrivateKey = keys.privateKey;
      vapidGenerated = true; // kept, not printed: the public half is served to browsers, the private one never leaves
    }
    return { publicKey: stored.vapidPublicKey, privateKey: stored.vapidPrivateKey };
  })();
  const secrets: Secrets = {
    apiToken: pick('apiToken', config.API_TOKEN, () => `af_${randomBytes(24).toString('base64url')}`),
    secretKey: pick('secretKey', config.SECRET_KEY, () => randomBytes(32).toString('base64url')),
    adminPassword: pick('adminPassword', config.ADMIN_PASSWORD, () => randomBytes(9).toString('base64url')),
    vapid,
    generated,
  };
  if (generated.length > 0 || vapidGenerated) {
    try {
      // 'wx' when the file is new: a server and a worker starting together must agree on one set of secrets.
      writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600, flag: existsSync(file) ? 'w' : 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      return loadSecrets(config);
    }
  }
  return secrets;
}
