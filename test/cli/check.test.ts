import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

async function check(funnelsDir: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { TELEGRAM_BOT_TOKEN: _, ...rest } = process.env;
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', resolve('src/cli/check.ts')], { env: { ...rest, FUNNELS_DIR: funnelsDir, ...env } });
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
    expect(r.stdout).toMatch(/^ok: 4 funnel\(s\) — after-purchase@[0-9a-f]{12} \(5 touches\), bot-quiz@[0-9a-f]{12} \(14 touches\), course-welcome@[0-9a-f]{12} \(8 touches\), webinar-autofunnel@[0-9a-f]{12} \(23 touches\)/);
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

describe('npm run check finds everything in one run', () => {
  /** A temp funnels folder with the shipped webinar funnel copied in under the given names, each edited by `edit`. */
  function folder(files: Record<string, (src: string) => string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'autofunnel-check-'));
    const source = readFileSync('funnels/webinar-autofunnel.ts', 'utf8').replace("'../src/dsl'", JSON.stringify(resolve('src/dsl')));
    for (const [name, edit] of Object.entries(files)) writeFileSync(join(dir, name), edit(source));
    return dir;
  }

  it('reports a broken step together with the mistakes in other steps of the same file', async () => {
    const dir = folder({
      'webinar-autofunnel.ts': (s) => s
        .replace("wait('offer-pause', '1d')", "wait('offer-pause', 'soon')")
        .replace("72 часа: {{ links.pages.offer }}')", "72 часа: {{ links.pages.ofer }}')")
        .replace("Эфир: {{ webinars.masterclass.joinUrl }}'", "Эфир: {{ webinars.masterklass.joinUrl }}'"),
    });
    const r = await check(dir);
    expect(r.code).toBe(1);
    const file = join(dir, 'webinar-autofunnel.ts');
    const lines = r.stderr.split('\n').filter((l) => l.startsWith(file) && !l.includes(': warning: '));
    expect(lines).toEqual([
      `${file}: webinar-autofunnel/offer-pause: 'soon' is not a duration — write it like '30m', '2h', '3d' or '1d12h'`,
      `${file}: webinar-autofunnel/remind-15m: text uses {{ webinars.masterklass.joinUrl }}, but 'masterklass' is not a webinar of this funnel — did you mean {{ webinars.masterclass.joinUrl }}?`,
      `${file}: webinar-autofunnel/offer-tg: fallback[0] (sms) text uses {{ links.pages.ofer }}, but 'ofer' is not a page of this funnel (the link would be empty) — did you mean {{ links.pages.offer }}?`,
    ]);
    expect(r.stderr).toContain('3 problem(s)');
  }, 30_000);

  it('prints warnings labelled as warnings and exits 0; a configured bot silences the Telegram ones', async () => {
    const dir = folder({ 'webinar-autofunnel.ts': (s) => s });
    const file = join(dir, 'webinar-autofunnel.ts');
    const bare = await check(dir);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toMatch(/^ok: 1 funnel\(s\) — webinar-autofunnel@[0-9a-f]{12} \(23 touches\) — draft\(s\), enrolling only test contacts: webinar-autofunnel — 2 warning\(s\), see above\n$/);
    expect(bare.stderr.split('\n').filter(Boolean)).toEqual([
      `${file}: warning: webinar-autofunnel/sms-bot: text uses {{ links.telegram }}, but no Telegram bot is configured (TELEGRAM_BOT_TOKEN is unset): it renders empty — set TELEGRAM_BOT_TOKEN, or show it only with one: {% if links.telegram %}…{% endif %}`,
      `${file}: warning: webinar-autofunnel/sms-bot: fallback[0] (email) html uses {{ links.telegram }}, but no Telegram bot is configured (TELEGRAM_BOT_TOKEN is unset): it renders empty — set TELEGRAM_BOT_TOKEN, or show it only with one: {% if links.telegram %}…{% endif %}`,
    ]);
    const withBot = await check(dir, { TELEGRAM_BOT_TOKEN: '123:abc' });
    expect(withBot).toMatchObject({ code: 0, stderr: '' });
    expect(withBot.stdout).toMatch(/^ok: 1 funnel\(s\) — webinar-autofunnel@[0-9a-f]{12} \(23 touches\) — draft\(s\), enrolling only test contacts: webinar-autofunnel\n$/);
  }, 30_000);

  it('refuses a second funnel declaring the same webinar id, naming both files', async () => {
    const dir = folder({
      'a-test-copy.ts': (s) => s.replace("id: 'webinar-autofunnel'", "id: 'webinar-test-copy'"),
      'webinar-autofunnel.ts': (s) => s,
    });
    const r = await check(dir);
    expect(r.code).toBe(1);
    const [copy, real] = [join(dir, 'a-test-copy.ts'), join(dir, 'webinar-autofunnel.ts')];
    expect(r.stderr).toContain(`${real}: webinar-autofunnel/webinars: webinar 'masterclass' is also declared by ${copy} (funnel 'webinar-test-copy'); both funnels would share one webinar and its sessions — webinar ids are global: give this webinar its own id (e.g. 'webinar-autofunnel-masterclass'), or remove one of the files`);
  }, 30_000);
});

describe('npm run check knows push() touches', () => {
  const source = (title: string) => `import { defineFunnel, email, push, asPush, asEmail, telegram } from ${JSON.stringify(resolve('src/dsl'))};
export default defineFunnel({
  id: 'live-push', name: 'Эфир', goal: { event: 'order.paid', within: '7d' },
  steps: [
    email('welcome', { subject: 'Вы записаны', text: 'Ждём вас' }),
    push('reminder', { title: ${JSON.stringify(title)}, body: 'Начинаем в 19:00', url: 'https://school.example.test/live', fallback: [asEmail({ subject: 'Эфир', text: 'Начинаем' })] }),
    telegram('offer', { text: 'Скидка', fallback: [asPush({ title: 'Скидка', body: 'До полуночи' })] }),
  ],
});
`;

  it('accepts a funnel with push touches and asPush fallbacks, and checks their templates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autofunnel-check-'));
    writeFileSync(join(dir, 'live-push.ts'), source('{{ contact.firstName }}, эфир через час'));
    const ok = await check(dir);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/^ok: 1 funnel\(s\) — live-push@[0-9a-f]{12} \(3 touches\)/);
    writeFileSync(join(dir, 'live-push.ts'), source('{{ contact.frstName }}, эфир через час'));
    const bad = await check(dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('live-push/reminder: title uses {{ contact.frstName }}, which is not a known variable — did you mean {{ contact.firstName }}?');
  }, 30_000);
});
