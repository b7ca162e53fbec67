import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports';

/** `npm run funnels -- …` as a child process; the server it would talk to is not running. */
async function funnels(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const port = await freePort();
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', resolve('src/cli/funnels.ts'), ...args], {
      env: { ...process.env, PORT: String(port), API_TOKEN: 'cli-test-token-0123456789', DATA_DIR: mkdtempSync(join(tmpdir(), 'autofunnel-cli-')), ...env },
    }, (err, stdout, stderr) => done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe('npm run funnels', () => {
  it('refuses a funnel whose file does not pass the check, naming the problem, before anything else', async () => {
    const r = await funnels(['migrate', 'broken-promo', '--from', 'all'], { FUNNELS_DIR: resolve('test/e2e/funnels') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('funnels: broken-promo does not pass npm run check:');
    expect(r.stderr).toContain("broken-promo/used: event 'promo.usd' is not known to this funnel");
  });

  it('says when the server cannot be reached, and what to check', async () => {
    const r = await funnels(['versions', 'quick-welcome']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/funnels: the server at http:\/\/127\.0\.0\.1:\d+ cannot be reached .*: is `npm start` running\? \(AUTOFUNNEL_URL, PORT\)/);
  });

  it('gives up on a server that takes the connection and never answers, naming the call, instead of waiting for ever', async () => {
    const sockets: import('node:net').Socket[] = [];
    const silent = createServer((socket) => { sockets.push(socket); }); // accepts, reads nothing, answers nothing
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
      const started = Date.now();
      const r = await funnels(['versions', 'quick-welcome'], { AUTOFUNNEL_URL: url });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`funnels: the server at ${url} did not answer GET /api/funnels/quick-welcome/versions within 30 s`);
      expect(Date.now() - started).toBeLessThan(55_000);
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => silent.close(r));
    }
  }, 70_000);

  it('explains its usage on a bad command, a missing --from and a bad --map', async () => {
    expect((await funnels(['move', 'x'])).stderr).toContain('usage: npm run funnels -- versions <funnel>');
    const quick = { FUNNELS_DIR: resolve('test/e2e/funnels') };
    expect((await funnels(['migrate', 'quick-welcome', '--map', 'a=b'], quick)).stderr).toContain('funnels: migrate needs --from <version|all>');
    expect((await funnels(['migrate', 'quick-welcome', '--from', 'all', '--map', 'a-b'], quick)).stderr).toContain('funnels: --map takes old-step=new-step (got "a-b")');
    const noToken = await funnels(['versions', 'quick-welcome'], { API_TOKEN: '' });
    expect(noToken.stderr).toContain('no API token: set API_TOKEN');
  });
});
