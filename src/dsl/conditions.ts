import type { CompareOp, Condition, PropertyMatch, Range, Scalar, TouchStatus } from './plan';

function touch(touchId: string, status: TouchStatus): Condition {
  return { kind: 'touch', touchId, status };
}

/** Builders for branch conditions; each returns plain data the workflow can evaluate deterministically. */
export const when = {
  /** Compares a contact attribute: `when.attribute('plan', 'in', ['pro', 'team'])`. */
  attribute(key: string, op: CompareOp, value?: Scalar | Scalar[]): Condition {
    return value === undefined ? { kind: 'attribute', key, op } : { kind: 'attribute', key, op, value };
  },
  /** The contact attribute equals the value. */
  attributeEquals(key: string, value: Scalar): Condition {
    return { kind: 'attribute', key, op: 'eq', value };
  },
  /** The event happened during this enrollment, optionally with these properties: `when.event('webinar.attended', { minutes: { gte: 30 } })`. */
  event(name: string, where?: Record<string, PropertyMatch>): Condition {
    return where === undefined ? { kind: 'event', name } : { kind: 'event', name, where };
  },
  /** The touch reached its status (delivered, opened, clicked, replied or failed). */
  touch,
  /** The touch was delivered. */
  delivered: (touchId: string): Condition => touch(touchId, 'delivered'),
  /** The touch was opened. */
  opened: (touchId: string): Condition => touch(touchId, 'opened'),
  /** A link in the touch was clicked. */
  clicked: (touchId: string): Condition => touch(touchId, 'clicked'),
  /** The contact visited the page. */
  viewed: (pageId: string): Condition => touch(pageId, 'viewed'),
  /** The contact replied to the touch. */
  replied: (touchId: string): Condition => touch(touchId, 'replied'),
  /** Every condition holds. */
  all: (...conditions: Condition[]): Condition => ({ kind: 'all', conditions }),
  /** At least one condition holds. */
  any: (...conditions: Condition[]): Condition => ({ kind: 'any', conditions }),
  /** The condition does not hold. */
  not: (condition: Condition): Condition => ({ kind: 'not', condition }),
  /** The free-text answer matches the pattern (`/цен|стоим/i`) or contains one of the keywords (any case). */
  replyMatches(match: RegExp | string[]): Condition {
    return match instanceof RegExp ? { kind: 'reply', pattern: match.source, ...(match.flags && { flags: match.flags }) } : { kind: 'reply', keywords: match };
  },
  /** The score of the answer just given lies in the range: `when.answerScore({ lte: 6 })` (an NPS detractor). */
  answerScore: (range: Range): Condition => ({ kind: 'score', of: 'answer', range }),
  /** The running quiz score lies in the range: `when.quizScore({ gte: 5 })`. */
  quizScore: (range: Range): Condition => ({ kind: 'score', of: 'quiz', range }),
};
