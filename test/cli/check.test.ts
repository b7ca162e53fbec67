import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

async function check(funnelsDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', resolve('src/cli/check.ts')], { env: { ...process.env, FUNNELS_DIR: funnelsDir } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run check', () => {
  it('passes on the example funnels', async () => {
    const r = await check(resolve('funnels'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok: 3 funnel\(s\) — after-purchase@[0-9a-f]{12} \(5 touches\), course-welcome@[0-9a-f]{12} \(8 touches\), webinar-autofunnel@[0-9a-f]{12} \(23 touches\)/);
  });

  it('prints precise messages and exits non-zero on a deliberately broken copy of the example', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autofunnel-check-'));
    const broken = readFileSync('funnels/course-welcome.ts', 'utf8')
      .replace("'../src/dsl'", JSON.stringify(resolve('src/dsl')))
      .replace("event: 'lesson-1.clicked'", "event: 'lesson-1.clikced'")
      .replace("{{ contact.firstName | default: 'друг' }}", '{{ contact.frstName }}');
    writeFileSync(join(dir, 'course-welcome.ts'), broken);
    const r = await check(dir);
    expect(r.code).toBe(1);
    const file = join(dir, 'course-welcome.ts');
    expect(r.stderr).toContain(`${file}: course-welcome/clicked-lesson: event 'lesson-1.clikced' is not known to this funnel — did you mean 'lesson-1.clicked'?`);
    expect(r.stderr).toContain(`${file}: course-welcome/welcome: subject uses {{ contact.frstName }}, which is not a known variable — did you mean {{ contact.firstName }}?`);
  }, 30_000);
});
