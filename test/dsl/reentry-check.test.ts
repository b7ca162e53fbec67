import { describe, expect, it } from 'vitest';
import { defineFunnel, type FunnelInput } from '../../src/dsl/define';
import { validateFunnel } from '../../src/dsl/check';

const base: FunnelInput = {
  id: 'post-purchase', name: 'После покупки', entry: 'order.paid',
  goal: { event: 'review.left', within: '30d' }, steps: [{ type: 'email', id: 'thanks', subject: 'Спасибо', text: 'x' }],
};

function check(extra: Partial<FunnelInput>) {
  return validateFunnel(defineFunnel({ ...base, ...extra } as FunnelInput));
}

describe('dsl/reentry', () => {
  it("accepts 'never', a pause and a key, and keeps a funnel without the field as it was", () => {
    expect(check({ reentry: 'never' }).plan?.reentry).toBe('never');
    expect(check({ reentry: '30d' }).plan?.reentry).toEqual({ afterMs: 30 * 86_400_000 });
    expect(check({ reentry: { key: 'orderId' } }).plan?.reentry).toEqual({ key: 'orderId' });
    const plain = check({});
    expect(plain.problems).toEqual([]);
    expect(plain.plan).not.toHaveProperty('reentry');
  });

  it('reports a bad pause, a bad key and a key on a funnel without an entry event', () => {
    expect(check({ reentry: '30 days' }).problems.map((p) => p.message).join('\n')).toMatch(/reentry/);
    expect(check({ reentry: { key: '' } }).problems.length).toBeGreaterThan(0);
    expect(check({ reentry: { key: 'orderId', extra: 1 } as never }).problems.length).toBeGreaterThan(0);
    const noEntry = check({ entry: null, reentry: { key: 'orderId' } });
    expect(noEntry.problems).toEqual([expect.objectContaining({ area: 'reentry', message: expect.stringContaining('no entry event') })]);
    expect(check({ reentry: null as never }).problems.length).toBeGreaterThan(0);
  });
});
