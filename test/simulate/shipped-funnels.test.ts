import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { line, MONDAY, runSimulate } from './run-cli';

interface Json {
  funnelId: string;
  version: string;
  personas: Array<{
    name: string;
    outcome: { status: string; reason: string; touches: number; step?: string };
    timeline: Array<{ at: string; local: string; day: number; step: string; channel: string; status: string; reason?: string; subject?: string }>;
    actions: Array<{ event: string; status: string; local?: string; step?: string }>;
    touchesByChannel: Record<string, number>;
  }>;
}

describe('npm run simulate on the shipped funnels', () => {
  it('runs webinar-autofunnel with the three built-in personas: exact touches in local time, a rendered HTML report, nothing left behind', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'autofunnel-sim-test-'));
    const html = join(scratch, 'report.html');
    const tmp = mkdtempSync(join(scratch, 'tmp-'));
    const dataDir = join(scratch, 'data');
    const r = await runSimulate(['webinar-autofunnel', '--json', '--start', MONDAY, '--html', html], { TMPDIR: tmp, DATA_DIR: dataDir });
    expect(r.stderr).toContain('simulate: done in');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Json;
    expect(out.funnelId).toBe('webinar-autofunnel');
    expect(out.version).toMatch(/^[0-9a-f]{12}$/);
    expect(out.personas.map((p) => p.name)).toEqual(['Молчун', 'Активный', 'Покупатель']);
    const [silent, engaged, buyer] = out.personas;

    expect(silent!.timeline.map(line)).toEqual([
      'invite email outbox d0 10:00',
      'sms-bot sms outbox d0 12:00',
      'warmup email outbox d0 12:00',
      'remind-3h email outbox d0 16:00',
      'remind-1h telegram outbox d0 18:00',
      'remind-15m sms outbox d0 18:45',
      'live telegram outbox d0 19:05',
      'replay email deferred send_window d1 00:00',
      'replay email outbox d1 09:00',
      'replay-tg telegram outbox d1 09:00',
      'replay-reminder email outbox d1 10:00',
      'replay-last email outbox d2 10:00',
      'cases email outbox d3 10:00',
      'faq telegram outbox d4 10:00',
      'last-call sms outbox d4 12:00',
      'deadline email outbox d4 19:00',
      'installments email outbox d6 19:00',
      'feedback telegram outbox d6 19:00',
    ]);
    expect(silent!.outcome).toMatchObject({ status: 'exited', reason: 'exit:done', touches: 17, step: 'done' });
    expect(silent!.touchesByChannel).toEqual({ email: 9, sms: 3, telegram: 5 });
    expect(silent!.timeline[0]!.subject).toBe('Анна, вы зарегистрированы: мастер-класс 3 марта в 19:00');
    expect(silent!.timeline[0]!.at).toMatch(/^2036-03-03T07:00:0/);

    // Attending to the end takes the "attended" branch: the offer, no replay.
    expect(engaged!.timeline.map(line)).toEqual([
      'invite email outbox d0 10:00',
      'sms-bot sms outbox d0 12:00',
      'warmup email outbox d0 12:00',
      'remind-3h email outbox d0 16:00',
      'remind-1h telegram outbox d0 18:00',
      'remind-15m sms outbox d0 18:45',
      'live telegram outbox d0 19:05',
      'offer-email email deferred send_window d0 21:05',
      'offer-email email outbox d1 09:00',
      'offer-tg telegram outbox d1 09:00',
      'cases email outbox d2 09:00',
      'faq telegram outbox d3 09:00',
      'last-call sms outbox d3 12:00',
      'deadline email outbox d3 19:00',
      'installments email outbox d5 19:00',
      'feedback telegram outbox d5 19:00',
    ]);
    expect(engaged!.actions.filter((a) => a.event === 'webinar.attended')).toEqual([
      expect.objectContaining({ status: 'done', local: '2036-03-03 21:05', step: 'attendance' }),
    ]);
    expect(engaged!.actions.find((a) => a.event === 'invite.clicked')).toMatchObject({ status: 'done', local: '2036-03-03 10:10', step: 'bot' });

    expect(buyer!.timeline.map(line)).toEqual(['invite email outbox d0 10:00']);
    expect(buyer!.outcome).toMatchObject({ status: 'converted', reason: 'goal', touches: 1, step: 'bot' });

    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/<iframe class="email" sandbox="" [^>]*srcdoc="[^"]*&lt;div style=/);
    expect(page).toContain('<span class="button" title="');
    expect(page).toContain('Войти в эфир');
    expect(page).toMatch(/\d SMS segments? · UCS-2/);
    expect(page).not.toMatch(/<script/i);

    // The throwaway database was removed and the production data folder never touched.
    expect(readdirSync(tmp).filter((f) => f.startsWith('autofunnel-'))).toEqual([]);
    expect(existsSync(dataDir)).toBe(false);
  }, 120_000);

  it('runs course-welcome with the built-in personas: the documented schedule for the one who ignores everything', async () => {
    const r = await runSimulate(['course-welcome', '--json', '--start', MONDAY]);
    expect(r.code).toBe(0);
    const [silent, engaged, buyer] = (JSON.parse(r.stdout) as Json).personas;
    expect(silent!.timeline.map(line)).toEqual([
      'welcome email outbox d0 10:00',
      'lesson-1 email outbox d1 10:00',
      'reminder email outbox d3 10:00',
      'offer email outbox d4 10:00',
      'stories email outbox d5 10:00',
      'deadline email outbox d6 10:00',
      'last-call email outbox d6 20:00',
    ]);
    expect(silent!.outcome).toMatchObject({ status: 'completed', touches: 7 });
    // A click on lesson 1 takes the lesson-2 branch and moves the rest a day earlier.
    expect(engaged!.timeline.map(line)).toEqual([
      'welcome email outbox d0 10:00',
      'lesson-1 email outbox d1 10:00',
      'lesson-2 email outbox d2 10:00',
      'offer email outbox d3 10:00',
      'stories email outbox d4 10:00',
      'deadline email outbox d5 10:00',
      'last-call email outbox d5 20:00',
    ]);
    expect(buyer!.outcome).toMatchObject({ status: 'converted', touches: 1, step: 'night-1' });
  }, 120_000);

  it('prints the text report by default: each persona in local time, how it ended, touches per channel', async () => {
    const r = await runSimulate(['course-welcome', '--start', MONDAY]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Молчун — ignores everything (Europe/Moscow)');
    expect(r.stdout).toMatch(/d6 Sun 20:00 +last-call +email +outbox +Анна, последний шанс/);
    expect(r.stdout).toContain('→ completed after 7 touches');
    expect(r.stdout).toContain('→ converted at night-1 after 1 touch');
    expect(r.stdout).toMatch(/Touches per channel:\n +persona +email +sms +telegram +total\n +Молчун +7 +0 +0 +7/);
  }, 120_000);
});
