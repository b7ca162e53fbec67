import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { line, MONDAY, runSimulate } from './run-cli';

const FUNNEL = resolve('test/simulate/funnels/mini-shop.ts');

function personasFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'autofunnel-personas-')), name);
  writeFileSync(file, text);
  return file;
}

describe('npm run simulate with a personas file', () => {
  it('gives exactly the expected touches: a send-window deferral, a fallback, forced variants, after/at actions, an unsubscribe, a conversion', async () => {
    const file = personasFile('personas.yaml', `
- name: Ольга
  contact: { email: olga@example.ru, phone: '+79161234567', name: Ольга Смирнова, timezone: Europe/Moscow,
             consent: { email: true, sms: true } }
  variants: { offer-test: b }
  does:
    - { after: offer-b, wait: 30m, event: offer-b.clicked }
    - { at: 2d, event: order.paid, value: 4900 }
- name: Пётр
  contact: { email: petr@example.ru, timezone: Asia/Yekaterinburg, consent: { email: true } }
  variants: { offer-test: a }
  does:
    - { after: hello, wait: 1h, event: contact.unsubscribed, properties: { channel: email } }
    - { after: offer-b, event: offer-b.clicked }
`);
    const r = await runSimulate([FUNNEL, '--personas', file, '--json', '--start', MONDAY]);
    expect(r.stderr).toContain('simulate: done in');
    expect(r.code).toBe(0);
    const [olga, petr] = JSON.parse(r.stdout).personas;

    // 12h after 10:00 is 22:00, outside the 09:00–21:00 window: the Telegram touch waits, then goes by SMS (no chat).
    expect(olga.timeline.map(line)).toEqual([
      'hello email outbox d0 10:00',
      'tips sms deferred send_window d0 22:00',
      'tips sms outbox d1 09:00',
      'offer-b email outbox d1 09:00',
      'thanks-click sms outbox d1 09:30',
    ]);
    expect(olga.timeline[2].fallbacks).toEqual(['telegram: no_address']);
    expect(olga.timeline[1].untilLocal).toBe('2036-03-04 09:00');
    expect(olga.timeline[3].subject).toBe('Скидка 20% — только сегодня');
    expect(olga.variants).toEqual({ 'offer-test': 'b' });
    expect(olga.outcome).toMatchObject({ status: 'converted', reason: 'goal', touches: 4, step: 'later' });
    expect(olga.actions.map((a: { event: string; status: string; local: string; step: string }) => `${a.event} ${a.status} ${a.local} ${a.step}`)).toEqual([
      'offer-b.clicked done 2036-03-04 09:30 clicked',
      'order.paid done 2036-03-05 10:00 later',
    ]);

    // Unsubscribed from email (his only channel) an hour after the first letter: nobody can reach him any more, so he
    // leaves at the next touch instead of collecting skipped rows.
    expect(petr.timezone).toBe('Asia/Yekaterinburg');
    expect(petr.timeline.map(line)).toEqual([
      'hello email outbox d0 12:00',
      'tips telegram skipped unreachable d1 00:00',
    ]);
    expect(petr.variants).toEqual({});
    expect(petr.outcome).toMatchObject({ status: 'exited', reason: 'unreachable', touches: 1 });
    expect(petr.actions).toEqual([
      expect.objectContaining({ event: 'contact.unsubscribed', status: 'done', local: '2036-03-03 13:00', step: 'pause' }),
      expect.objectContaining({ event: 'offer-b.clicked', status: 'never', reason: 'touch offer-b never reached this persona', where: `${file}:14` }),
    ]);
  }, 120_000);

  it('takes a TypeScript module that default-exports the same list, and says in the text which actions never happened', async () => {
    const file = personasFile('personas.ts', `export default [
  { name: 'Ирина', contact: { email: 'irina@example.ru', telegramChatId: '777', consent: { email: true, telegram: true } },
    does: [{ after: 'reminder', wait: '1h', event: 'order.paid' }, { at: '90m', event: 'telegram.blocked' }, { after: 'offer-b', event: 'offer-b.clicked' }] },
];
`);
    const r = await runSimulate([FUNNEL, '--personas', file, '--start', MONDAY]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/d0 Mon 10:00 +hello +email +outbox/);
    // The bot was blocked at 11:30: the Telegram touch would fall back to SMS, which she has no phone for.
    expect(r.stdout).toMatch(/d0 Mon 22:00 +tips +telegram +skipped: suppressed:blocked +\[fallback: sms: no_address\]/);
    expect(r.stdout).toMatch(/d0 Mon 22:00 +offer-a +email +deferred until d1 Tue 09:00 \(send_window\)/);
    // Without forced variants a persona takes the one its name picks, the same on every run.
    expect(r.stdout).toContain("Ирина (Europe/Moscow; variants offer-test: a)");
    expect(r.stdout).toMatch(/↳ telegram\.blocked +does +\(during pause\)/);
    expect(r.stdout).toMatch(/d2 Wed 10:00 +↳ order\.paid +does +\(during later\)/);
    expect(r.stdout).toContain('→ converted at later after 3 touches');
    expect(r.stdout).toContain(`never happened: after offer-b: offer-b.clicked (${file}) — touch offer-b never reached this persona`);
  }, 120_000);

  it('refuses a personas file with mistakes, naming each with its line, and exits 1', async () => {
    const file = personasFile('broken.yaml', `- name: Ольга
  contact: { email: olga@example.ru, consent: { email: true } }
  variants: { offer-tset: b }
  does:
    - { after: helo, wait: 2h, event: hello.clicked }
    - { at: 1d, event: order.payd }
    - { after: hello, wait: 2 hours, event: hello.opened }
    - { after: hello, event: hello.opened, when: now }
- name: Пётр
  contact: { email: petr@example.ru, city: Пермь }
  variants: { offer-test: c }
`);
    const r = await runSimulate([FUNNEL, '--personas', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    for (const expected of [
      `${file}:3: persona 'Ольга', variants.offer-tset: 'offer-tset' is not a split of mini-shop — did you mean 'offer-test'?`,
      `${file}:5: persona 'Ольга', does[0].after: 'helo' is not a touch of mini-shop — did you mean 'hello'?`,
      `${file}:6: persona 'Ольга', does[1].event: event 'order.payd' is not known to mini-shop — did you mean 'order.paid'?`,
      `${file}:7: persona 'Ольга', does[2].wait: "2 hours" is not a duration — write it like 0, 30m, 2h, 1d or 1d12h`,
      `${file}:8: persona 'Ольга', does[3].when: unknown field 'when'`,
      `${file}:10: persona 'Пётр', contact.city: unknown field 'city'`,
      `${file}:11: persona 'Пётр', variants.offer-test: split 'offer-test' has no variant 'c' — its variants: a, b`,
    ]) expect(r.stderr).toContain(expected);
  }, 60_000);

  it('refuses a funnel that does not pass npm run check, printing its messages, and bad arguments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autofunnel-sim-broken-'));
    const broken = join(dir, 'broken.ts');
    writeFileSync(broken, `import { defineFunnel, email, waitFor } from ${JSON.stringify(resolve('src/dsl'))};
export default defineFunnel({ id: 'broken', name: 'Broken', entry: 'lead.created', goal: { event: 'order.paid', within: '7d' },
  steps: [email('hello', { subject: 'Hi', text: 'Hi' }), waitFor('wait-click', { event: 'helo.clicked', timeout: '1d', then: [], else: [] })] });
`);
    const bad = await runSimulate([broken]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('does not pass npm run check');
    expect(bad.stderr).toContain("broken/wait-click: event 'helo.clicked' is not known to this funnel — did you mean 'hello.clicked'?");

    const unknown = await runSimulate(['webinar-autofunel']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("there is no funnel 'webinar-autofunel' in funnels — did you mean 'webinar-autofunnel'?");

    const past = await runSimulate([FUNNEL, '--start', '2020-01-06T10:00:00+03:00']);
    expect(past.code).toBe(1);
    expect(past.stderr).toContain('--start 2020-01-06T10:00:00+03:00: the start must be in the future');
  }, 60_000);
});
