import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { loadSecrets } from '../../src/runtime/secrets';

describe('loadSecrets', () => {
  it('generates missing secrets once and keeps them across restarts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-secrets-'));
    const config = loadConfig({ DATA_DIR: dir });
    const first = loadSecrets(config);
    expect(first.generated.sort()).toEqual(['adminPassword', 'apiToken', 'secretKey']);
    const again = loadSecrets(config);
    expect(again.generated).toEqual([]);
    expect(again.apiToken).toBe(first.apiToken);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('prefers the environment and never writes what it was given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-secrets-'));
    const s = loadSecrets(loadConfig({ DATA_DIR: dir, API_TOKEN: 'token-from-env-0123456789', ADMIN_PASSWORD: 'password-from-env' }));
    expect(s.apiToken).toBe('token-from-env-0123456789');
    expect(s.generated).toEqual(['secretKey']);
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain('token-from-env');
  });
});

describe('loadConfig', () => {
  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: 'abc', SMTP_URL: 'http://x', API_TOKEN: 'short' })).toThrow(/PORT[\s\S]*SMTP_URL[\s\S]*API_TOKEN/);
  });

  it('derives PUBLIC_URL from HOST and PORT', () => {
    expect(loadConfig({ PORT: '4000' }).PUBLIC_URL).toBe('http://127.0.0.1:4000');
  });
});

describe('loadSecrets: the VAPID key pair of web push', () => {
  it('is generated once, kept in secrets.json, and taken from the environment when both halves are set', async () => {
    const webpush = (await import('web-push')).default;
    const dir = mkdtempSync(join(tmpdir(), 'af-secrets-'));
    const first = loadSecrets(loadConfig({ DATA_DIR: dir }));
    expect(first.vapid.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(first.vapid.privateKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(loadSecrets(loadConfig({ DATA_DIR: dir })).vapid).toEqual(first.vapid);
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'))).toMatchObject({ vapidPublicKey: first.vapid.publicKey });
    const given = webpush.generateVAPIDKeys();
    const env = loadSecrets(loadConfig({ DATA_DIR: dir, VAPID_PUBLIC_KEY: given.publicKey, VAPID_PRIVATE_KEY: given.privateKey }));
    expect(env.vapid).toEqual(given);
    expect(() => loadConfig({ VAPID_PUBLIC_KEY: given.publicKey })).toThrow(/VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together/);
  });
});
