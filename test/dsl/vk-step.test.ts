import { describe, expect, it } from 'vitest';
import { formatProblem, formatWarning, validateFunnel, type CheckEnvironment } from '../../src/dsl/check';
import { defineFunnel } from '../../src/dsl/define';
import { planTouches, type Step } from '../../src/dsl/plan';
import { asEmail, asVk, email, vk, waitFor } from '../../src/dsl/index';
import { skeletonOf } from '../../workflows/skeleton';

const FILE = 'funnels/t.ts';
const funnel = (steps: Step[]) => defineFunnel({ id: 't', name: 'Test', entry: 'lead.created', goal: { event: 'order.paid', within: '30d' }, steps });
const problems = (def: unknown) => validateFunnel(def).problems.map((p) => formatProblem(FILE, p));
const warnings = (def: unknown, env: CheckEnvironment = {}) => validateFunnel(def, env).warnings.map((p) => formatWarning(FILE, p));

describe('vk() and asVk', () => {
  it('makes a VK touch with buttons (one a row from a flat list) and attachments, and an asVk fallback', () => {
    const step = vk('hello', { text: 'Привет, {{ contact.firstName }}', buttons: [{ id: 'yes', text: 'Да' }], attachments: ['photo-1_2'], fallback: [asEmail({ subject: 'Привет', text: 'Привет' })] });
    expect(step).toEqual({
      type: 'vk', id: 'hello', text: 'Привет, {{ contact.firstName }}', buttons: [[{ id: 'yes', text: 'Да' }]], attachments: ['photo-1_2'],
      fallback: [{ channel: 'email', subject: 'Привет', text: 'Привет' }],
    });
    expect(asVk('Коротко')).toEqual({ channel: 'vk', text: 'Коротко' });
    expect(asVk({ text: 'С кнопкой', buttons: [{ id: 'a', text: 'A' }] })).toEqual({ channel: 'vk', text: 'С кнопкой', buttons: [[{ id: 'a', text: 'A' }]] });
  });

  it('passes check; its clicks and replies are touch events; its channel and type are vk', () => {
    const def = funnel([
      vk('offer', { text: 'Курс', buttons: [{ id: 'want', text: 'Хочу' }] }),
      waitFor('answer', { event: ['offer.clicked', 'offer.replied'], timeout: '1d' }),
      email('mail', { subject: 'x', text: 'x', fallback: [asVk('по VK')] }),
    ]);
    expect(problems(def)).toEqual([]);
    const result = validateFunnel(def);
    expect(planTouches(result.plan!).slice(0, 2)).toMatchObject([{ id: 'offer', channel: 'vk', type: 'vk' }, { id: 'mail', channel: 'email' }]);
    // The workflow interprets vk like any other touch.
    expect(skeletonOf(result.plan!).steps[0]).toEqual({ type: 'vk', id: 'offer' });
  });

  it('knows {{ links.vk }}, and warns where it renders empty (no VK community), unless the template tests for it', () => {
    const def = funnel([
      email('invite', { subject: 'ВК', text: 'Пишите нам: {{ links.vk }}' }),
      email('guarded', { subject: 'ВК', text: '{% if links.vk %}{{ links.vk }}{% endif %}' }),
    ]);
    expect(problems(def)).toEqual([]);
    expect(warnings(def, { vkCommunity: false })).toEqual([
      'funnels/t.ts: warning: t/invite: text uses {{ links.vk }}, but no VK community is configured (VK_GROUP_ID is unset): it renders empty — set VK_GROUP_ID (and VK_COMMUNITY), or show it only with one: {% if links.vk %}…{% endif %}',
    ]);
    expect(warnings(def, { vkCommunity: true })).toEqual([]);
    expect(problems(funnel([email('typo', { subject: 'x', text: '{{ links.vkk }}' })]))).toEqual([
      'funnels/t.ts: t/typo: text uses {{ links.vkk }}, which is not a known variable — did you mean {{ links.vk }}?',
    ]);
  });

  it('refuses a VK button label over 40 characters and checks attachment templates', () => {
    expect(problems(funnel([vk('long', { text: 'x', buttons: [{ id: 'b', text: 'x'.repeat(41) }] })])).join('\n')).toContain('a VK button label is at most 40 characters');
    expect(problems(funnel([vk('att', { text: 'x', attachments: ['{{ contact.cty }}'] })])).join('\n')).toContain('attachments[0] uses {{ contact.cty }}');
  });
});
