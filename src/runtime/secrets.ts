import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config';

/** The credentials the process runs with, and which of them were generated (to print once at start). */
export interface Secrets {
  apiToken: string;
  secretKey: string;
  adminPassword: string;
  generated: Array<'apiToken' | 'adminPassword' | 'secretKey'>;
}

/**
 * Takes API_TOKEN, SECRET_KEY and ADMIN_PASSWORD from the environment; any that is unset is generated once and
 * kept in `DATA_DIR/secrets.json` (mode 600), so restarts keep links, sessions and integrations valid.
 */
export function loadSecrets(config: Config): Secrets {
  mkdirSync(config.DATA_DIR, { recursive: true });
  const file = join(config.DATA_DIR, 'secrets.json');
  const stored: Partial<Record<'apiToken' | 'secretKey' | 'adminPassword', string>> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const generated: Secrets['generated'] = [];
  const pick = (key: 'apiToken' | 'secretKey' | 'adminPassword', fromEnv: string | undefined, make: () => string) => {
    if (fromEnv) return fromEnv;
    if (!stored[key]) {
      stored[key] = make();
      generated.push(key);
    }
    return stored[key]!;
  };
  const secrets: Secrets = {
    apiToken: pick('apiToken', config.API_TOKEN, () => `af_${randomBytes(24).toString('base64url')}`),
    secretKey: pick('secretKey', config.SECRET_KEY, () => randomBytes(32).toString('base64url')),
    adminPassword: pick('adminPassword', config.ADMIN_PASSWORD, () => randomBytes(9).toString('base64url')),
    generated,
  };
  if (generated.length > 0) {
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
