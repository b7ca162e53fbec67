import { describe, expect, it } from 'vitest';
import { formatProblem, validateFunnel } from '../../src/dsl/check';
import { defineFunnel } from '../../src/dsl/define';
import type { Step } from '../../src/dsl/plan';
import { email, task } from '../../src/dsl/steps';

const FILE = 'funnels/consult.ts';
const funnel = (steps: Step[]) => defineFunnel({ id: 'consult', name: 'Консультация', entry: 'lead.created', goal: { event: 'order.paid', within: '7d' }, steps });
const problems = (def: unknown) => validateFunnel(def).problems.map((p) => formatProblem(FILE, p));

describe('task(): a step that asks the staff for a touch', () => {
  it('builds a task with call as the default kind and the timeout in ms', () => {
    expect(task('callback', { title: 'Перезвонить', timeout: '2h', then: [email('ok', { subject: 'S', text: 'T' })] })).toStrictEqual({
      type: 'task', id: 'callback', kind: 'call', title: 'Перезвонить', timeoutMs: 7_200_000, then: [{ type: 'email', id: 'ok', subject: 'S', text: 'T' }], else: [],
    });
    expect(task('visit', { kind: 'meeting', title: 'Встреча в офисе', assignee: 'Ольга', timeout: '1d' })).toMatchObject({ kind: 'meeting', assignee: 'Ольга', timeoutMs: 86_400_000 });
  });

  it('passes npm run check inside a funnel; its arms are checked like any other step list', () => {
    const ok = validateFunnel(funnel([task('callback', { title: 'Перезвонить', timeout: '2h', then: [email('thanks', { subject: 'Спасибо', text: 'x' })], else: [] })]));
    expect(ok.problems).toEqual([]);
    expect(ok.plan?.steps[0]).toMatchObject({ type: 'task', id: 'callback' });
    const dup = problems(funnel([task('callback', { title: 'Перезвонить', timeout: '2h', then: [email('x', { subject: 'S', text: 'T' })], else: [email('x', { subject: 'S', text: 'T' })] })]));
    expect(dup.join('\n')).toMatch(/x/);
    expect(dup.length).toBeGreaterThan(0);
  });

  it('warns, when no hand-off is configured, that nobody is told about the task', () => {
    const def = funnel([task('callback', { title: 'Перезвонить', timeout: '2h' })]);
    expect(validateFunnel(def, { staffTasks: false }).warnings.map((w) => w.message)).toEqual([expect.stringMatching(/STAFF_TASK_WEBHOOK_URL is unset/)]);
    expect(validateFunnel(def, { staffTasks: true }).warnings).toEqual([]);
  });

  it('names a task without a title or with an unknown kind', () => {
    const bad = problems(funnel([{ ...task('callback', { title: 'x', timeout: '2h' }), title: '', kind: 'telepathy' } as unknown as Step]));
    expect(bad.join('\n')).toMatch(/title/);
    expect(bad.join('\n')).toMatch(/'telepathy' is not a kind of staff touch — a task asks for one of call, meeting/);
  });
});
