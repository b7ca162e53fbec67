import { describe, expect, it } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { whileHeartbeating } from '../../src/activities/heartbeat';

describe('activities/heartbeat', () => {
  it('heartbeats while the send runs inside an activity, and stops when it ends', async () => {
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => { beats += 1; });
    const result = await env.run(() => whileHeartbeating(() => new Promise((r) => setTimeout(() => r('sent'), 260)), 50));
    expect(result).toBe('sent');
    expect(beats).toBeGreaterThanOrEqual(4);
    const after = beats;
    await new Promise((r) => setTimeout(r, 150));
    expect(beats).toBe(after);
  });

  it('just runs the function outside an activity', async () => {
    expect(await whileHeartbeating(async () => 42)).toBe(42);
  });
});
