import { describe, expect, it } from 'vitest';
import { validateFunnel } from '../../src/dsl/check';
import { ask, setAttribute, tag } from '../../src/dsl/steps-two-way';
import { branch, telegram } from '../../src/dsl/steps';
import { when } from '../../src/dsl/conditions';

const base = { id: 't', name: 't', entry: null, timezone: 'Europe/Moscow', attributes: ['goal'], events: [], goal: { event: 'order.paid', withinMs: 86_400_000, exit: true } };
const problems = (steps: unknown[], extra: object = {}) => validateFunnel({ ...base, ...extra, steps }).problems.map((p) => `${p.step ?? p.area ?? ''}: ${p.message}`);

describe('npm run check on two-way steps', () => {
  it('passes a well-formed quiz, and knows <ask>.answered and the ask as a touch', () => {
    expect(problems([
      ask('q', { text: '?', options: [{ id: 'a', text: 'A', score: 1 }], saveAs: 'goal', timeout: '1d' }),
      branch('b', { if: when.any(when.event('q.answered'), when.clicked('q'), when.quizScore({ gte: 1 })), then: [telegram('x', { text: 'x' })] }),
    ])).toEqual([]);
  });

  it('refuses undeclared attributes, a commentOf that is not an ask, reply conditions without freeText, a broken pattern', () => {
    expect(problems([
      ask('q', { text: '?', options: [{ id: 'a', text: 'A' }], saveAs: 'gaol', timeout: '1d', if: when.replyMatches(['цена']) }),
      ask('why', { text: '?', freeText: true, commentOf: 'nps', timeout: '1d', if: { kind: 'reply', pattern: '(' } }),
      tag('t1', 'vip'),
      setAttribute('s1', 'segment', 'warm'),
    ])).toEqual([
      "q: saves the answer to attribute 'gaol', which is not declared",
      'q: the condition matches a free-text reply, but this ask does not take free text',
      "why: comments ask 'nps', which is not an ask of this funnel",
      expect.stringMatching(/^why: the reply pattern \/\(\/ does not compile/),
      "t1: tags the contact with attribute 'vip', which is not declared",
      "s1: writes attribute 'segment', which is not declared",
    ]);
  });

  it('refuses an ask with nothing to answer, an email ask without its link target, reserved option ids', () => {
    expect(problems([ask('q', { text: '?', timeout: '1d' })]).join('\n')).toContain('an ask needs options, a scale or freeText');
    expect(problems([ask('q', { via: 'email', subject: 'S', text: '?', scale: { from: 1, to: 5 }, timeout: '1d' })]).join('\n'))
      .toContain('an email ask needs a subject and an answerUrl');
    expect(problems([ask('q', { text: '?', options: [{ id: 'timeout', text: 'T' }], timeout: '1d' })]).join('\n')).toContain("'then', 'else' and 'timeout' are not option ids");
  });
});
