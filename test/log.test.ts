import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log';
import { maskPersonalData } from '../src/privacy/mask-personal';

function capture() {
  const lines: string[] = [];
  return { log: createLogger('debug', (l) => lines.push(l)), lines };
}

describe('log', () => {
  it('masks e-mail addresses and phone numbers in the message, in field values and in error texts', () => {
    const { log, lines } = capture();
    log.warn('bounce for anna.petrova@example.ru from +79161234567', {
      error: new Error('550 5.1.1 <boris@школа.рф>: user unknown'),
      detail: { to: 'vera@example.com', note: 'call 8 (916) 123-45-67 or +7 916 765 43 21' },
      text: 'Иван Иванов, ivan@example.org',
    });
    const line = lines.join('\n');
    for (const secret of ['anna.petrova@', 'boris@', 'vera@', 'ivan@', '79161234567', '123-45-67', '765 43 21']) expect(line).not.toContain(secret);
    expect(line).toContain('a***@example.ru');
    expect(line).toContain('+7********67');
    expect(line).toContain('b***@школа.рф');
  });

  it('masks whole fields named like an address whatever they hold (email, phone, chat, ip, recipient)', () => {
    const { log, lines } = capture();
    log.info('telegram: could not answer', { chat: 123456789, email: 'anna@example.ru', phone: '+79161234567', ip: '203.0.113.8', recipient: 'x', contact: 'ct_abc' });
    expect(lines[0]).toMatch(/ chat=\*\*\* email=a\*\*\*@example\.ru phone=\+7\*{8}67 ip=\*\*\* recipient=\*\*\* contact=ct_abc$/);
  });

  it('leaves ids, timestamps, counts, dates and addresses of servers alone', () => {
    const { log, lines } = capture();
    log.info('webinar moved', { webinar: 'live', from: '2026-12-03T16:00:00.000Z', at: 1764777600000, sessions: 12, url: 'http://127.0.0.1:7233', event: 'ev_01HZX4' });
    expect(lines[0]).toContain('from=2026-12-03T16:00:00.000Z at=1764777600000 sessions=12 url=http://127.0.0.1:7233 event=ev_01HZX4');
  });

  it('masks every call site, the ones not written yet included, because it masks in the logger', () => {
    expect(maskPersonalData('to: +4915112345678, 79161234567 (id)')).toBe('to: +4**********78, 79161234567 (id)');
  });

  it('prints a field without JSON (undefined, a function) instead of throwing — the Temporal runtime logs such fields', () => {
    const { log, lines } = capture();
    log.warn('worker poll', { runId: undefined, cb: () => 1, n: 3 });
    expect(lines[0]).toMatch(/warn  worker poll runId=undefined cb=\(\) => 1 n=3$/);
  });
});
