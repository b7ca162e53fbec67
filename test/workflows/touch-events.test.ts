import { describe, expect, it } from 'vitest';
import { MESSAGE_TOUCH_EVENT_SUFFIXES, TOUCH_CONDITION_STATUSES, TOUCH_EVENT_SUFFIXES, parseTouchEvent } from '../../workflows/touch-events';
import { TouchStatus } from '../../src/dsl/plan';
import { knownEvents } from '../../src/dsl/check-rules';
import type { Plan } from '../../src/dsl/plan';

describe('workflows/touch-events', () => {
  it('reads the touch and the suffix of every touch event, and nothing else', () => {
    expect(parseTouchEvent('lesson-1.clicked')).toEqual({ touchId: 'lesson-1', suffix: 'clicked' });
    expect(parseTouchEvent('thanks.viewed')).toEqual({ touchId: 'thanks', suffix: 'viewed' });
    expect(parseTouchEvent('welcome.sent')).toEqual({ touchId: 'welcome', suffix: 'sent' });
    expect(parseTouchEvent('order.paid')).toBeNull();
    expect(parseTouchEvent('.clicked')).toBeNull();
    expect(parseTouchEvent('clicked')).toBeNull();
    for (const s of TOUCH_EVENT_SUFFIXES) expect(parseTouchEvent(`t.${s}`)?.suffix).toBe(s);
  });

  it('is the list the funnel check knows and conditions ask about', () => {
    const plan = { id: 'f', entry: null, goal: { event: 'order.paid', withinMs: 1 }, events: [], attributes: [], timezone: 'UTC',
      steps: [{ type: 'email', id: 'hello', subject: 's', text: 't' }], pages: [{ id: 'thanks', title: 't', blocks: [] }] } as unknown as Plan;
    const touchEvents = [...knownEvents(plan)].filter((e) => ['hello', 'thanks'].includes(parseTouchEvent(e)?.touchId ?? '')).sort();
    expect(touchEvents).toEqual([...MESSAGE_TOUCH_EVENT_SUFFIXES.map((s) => `hello.${s}`), 'thanks.viewed'].sort());
    expect(TouchStatus.options).toEqual([...TOUCH_CONDITION_STATUSES]);
  });
});
