import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { line, MONDAY, runSimulate } from './run-cli';

const FUNNEL = resolve('funnels/bot-quiz.ts');

function personasFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'autofunnel-answers-')), 'personas.yaml');
  writeFileSync(file, text);
  return file;
}

const steps = (p: { timeline: Array<{ step: string; status: string; subject?: string }> }) =>
  p.timeline.map((e) => (e.status === 'answered' ? `${e.step} = ${e.subject}` : e.step));

describe('npm run simulate: personas answer asks, so the quiz and NPS branches show before launch', () => {
  it('a hot lead and a beginner take the quiz arms, a detractor writes why; a wrong answer is named', async () => {
    const file = personasFile(`
- name: Горячий
  contact: { externalId: hot, telegramChatId: '7001', name: Антон, timezone: Europe/Moscow, consent: { telegram: true } }
  does:
    - { after: q-experience, wait: 5m, answer: yes }
    - { after: q-goal, wait: 5m, answer: career }
    - { after: q-time, wait: 5m, answer: h10 }
    - { after: call-me, wait: 1h, answer: 'yes' }
    - { after: nps, wait: 1h, answer: 10 }
- name: Новичок
  contact: { externalId: beginner, telegramChatId: '7002', name: Вера, timezone: Asia/Novosibirsk, consent: { telegram: true } }
  does:
    - { after: q-experience, answer: never }
    - { after: q-goal, answer: fun }
    - { after: q-time, answer: h2 }
    - { after: question, wait: 2h, answer: Сколько стоит курс? }
    - { after: nps, answer: 3 }
    - { after: nps-why, wait: 10m, answer: Слишком быстро }
`);
    const r = await runSimulate([FUNNEL, '--personas', file, '--json', '--start', MONDAY]);
    expect(r.stderr).toContain('simulate: done in');
    expect(r.code).toBe(0);
    const [hot, beginner] = JSON.parse(r.stdout).personas;
    expect(steps(hot)).toEqual([
      'hello', 'q-experience', 'q-experience = yes (score 2)', 'q-goal', 'q-goal = career (score 2)', 'q-time', 'q-time = h10 (score 2)',
      'offer-pro', 'call-me', 'call-me = yes', 'call-ok', 'nps', 'nps = 10', 'nps-thanks',
    ]);
    expect(hot.timeline.find((e: { step: string }) => e.step === 'offer-pro').subject).toContain('у вас 6 из 6 баллов');
    expect(hot.actions.map((a: { label: string; status: string }) => `${a.label} ${a.status}`)).toContain('after q-goal + 5m: answers career (Сменить профессию) done');
    expect(steps(beginner)).toEqual([
      'hello', 'q-experience', 'q-experience = never (score 0)', 'q-goal', 'q-goal = fun (score 0)', 'q-time', 'q-time = h2 (score 0)',
      'offer-start', 'question', 'question = Сколько стоит курс?', 'price', 'nps', 'nps = 3', 'nps-why', 'nps-why = Слишком быстро',
    ]);
    expect(beginner.timeline.filter((e: { status: string }) => e.status === 'answered').map(line)[0]).toBe('q-experience answer answered d0 14:00');
  });

  it('refuses an answer the ask does not offer and an answer after a touch that is no ask, naming both', async () => {
    const file = personasFile(`
- name: Ошибка
  contact: { externalId: wrong, telegramChatId: '7003', consent: { telegram: true } }
  does:
    - { after: q-goal, answer: money }
    - { after: offer-pro, answer: 'yes' }
    - { after: nps, answer: 11 }
`);
    const r = await runSimulate([FUNNEL, '--personas', file, '--start', MONDAY]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("ask 'q-goal' does not take the answer \"money\" — give one of its options: career, work, fun");
    expect(r.stderr).toContain("'offer-pro' is not an ask of bot-quiz, so nothing takes the answer");
    expect(r.stderr).toContain("ask 'nps' does not take the answer 11 — give a number from 0 to 10");
  });
});
