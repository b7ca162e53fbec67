import { describe, expect, it } from 'vitest';
import { when } from '../../src/dsl/conditions';
import { branch, email, exit, split, wait, waitFor, waitUntil } from '../../src/dsl/steps';

describe('steps', () => {
  it('builds an email with only the fields given', () => {
    expect(email('hi', { subject: 'Привет', html: '<p>Hi</p>' })).toStrictEqual({ type: 'email', id: 'hi', subject: 'Привет', html: '<p>Hi</p>' });
    expect(email('hi', { subject: 's', text: 't', preheader: 'p' })).toStrictEqual({ type: 'email', id: 'hi', subject: 's', text: 't', preheader: 'p' });
  });

  it('turns wait durations into milliseconds', () => {
    expect(wait('pause', '1d12h')).toStrictEqual({ type: 'wait', id: 'pause', ms: 129_600_000 });
    expect(wait('pause', 5_000)).toStrictEqual({ type: 'wait', id: 'pause', ms: 5_000 });
  });

  it('keeps an unparseable duration as written instead of throwing', () => {
    expect(wait('pause', 'bogus').ms).toBe('bogus');
    expect(waitFor('ask', { event: 'x', timeout: 'soon' }).timeoutMs).toBe('soon');
  });

  it('maps weekday names to 1..7 with Monday = 1', () => {
    expect(waitUntil('w', { time: '10:00', weekdays: ['mon', 'sun', 3] })).toStrictEqual({ type: 'waitUntil', id: 'w', time: '10:00', weekdays: [1, 7, 3] });
    expect(waitUntil('w', { time: '09:30' })).toStrictEqual({ type: 'waitUntil', id: 'w', time: '09:30' });
    expect(waitUntil('w', { weekdays: ['Friday', 'сб'] as never }).weekdays).toStrictEqual([5, 6]);
  });

  it('normalises waitFor events and defaults both arms to empty lists', () => {
    expect(waitFor('ask', { event: 'lesson-1.clicked', timeout: '2d' })).toStrictEqual({
      type: 'waitFor', id: 'ask', events: [{ name: 'lesson-1.clicked' }], timeoutMs: 172_800_000, then: [], else: [],
    });
    const step = waitFor('ask', { event: ['a.clicked', { name: 'page.visited', where: { path: '/pricing' } }], timeout: '1h', else: [exit('bye')] });
    expect(step.events).toStrictEqual([{ name: 'a.clicked' }, { name: 'page.visited', where: { path: '/pricing' } }]);
    expect(step.else).toStrictEqual([{ type: 'exit', id: 'bye' }]);
  });

  it('builds branches, splits with default weight 1, and exits with a reason', () => {
    expect(branch('b', { if: when.clicked('hi') })).toStrictEqual({ type: 'branch', id: 'b', if: { kind: 'touch', touchId: 'hi', status: 'clicked' }, then: [], else: [] });
    expect(split('ab', [{ id: 'a', steps: [] }, { id: 'b', weight: 3, steps: [exit('x')] }]).variants.map((v) => v.weight)).toStrictEqual([1, 3]);
    expect(exit('done', 'bought')).toStrictEqual({ type: 'exit', id: 'done', reason: 'bought' });
  });
});

describe('conditions', () => {
  it('builds attribute, event and touch conditions as data', () => {
    expect(when.attribute('plan', 'in', ['pro', 'team'])).toStrictEqual({ kind: 'attribute', key: 'plan', op: 'in', value: ['pro', 'team'] });
    expect(when.attribute('phone', 'exists')).toStrictEqual({ kind: 'attribute', key: 'phone', op: 'exists' });
    expect(when.attributeEquals('city', 'Москва')).toStrictEqual({ kind: 'attribute', key: 'city', op: 'eq', value: 'Москва' });
    expect(when.event('page.visited', { path: '/pricing' })).toStrictEqual({ kind: 'event', name: 'page.visited', where: { path: '/pricing' } });
    expect([when.delivered('a'), when.opened('a'), when.replied('a')].map((c) => c.kind === 'touch' && c.status)).toStrictEqual(['delivered', 'opened', 'replied']);
  });

  it('combines conditions with all, any and not', () => {
    const c = when.all(when.opened('a'), when.any(when.clicked('b'), when.not(when.event('order.paid'))));
    expect(c).toStrictEqual({
      kind: 'all',
      conditions: [
        { kind: 'touch', touchId: 'a', status: 'opened' },
        { kind: 'any', conditions: [{ kind: 'touch', touchId: 'b', status: 'clicked' }, { kind: 'not', condition: { kind: 'event', name: 'order.paid' } }] },
      ],
    });
  });
});
