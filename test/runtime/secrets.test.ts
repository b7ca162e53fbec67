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
