import { describe, expect, it } from 'vitest';
import { connectWhenReachable } from '../../src/temporal/connect';
import { createLogger } from '../../src/log';

describe('temporal/connect', () => {
  it('keeps trying while Temporal is not reachable yet, and logs each wait', async () => {
    const lines: string[] = [];
    let calls = 0;
    const conn = await connectWhenReachable('127.0.0.1:7233', async () => {
      calls += 1;
      if (calls < 3) throw new Error('tcp connect error: Connection refused');
      return 'connected';
    }, createLogger('info', (l) => lines.push(l)), 10_000);
    expect(conn).toBe('connected');
    expect(lines.filter((l) => l.includes('temporal not reachable yet, retrying'))).toHaveLength(2);
  });

  it('gives up with the last error after the wait', async () => {
    const started = Date.now();
    await expect(connectWhenReachable('127.0.0.1:7233', async () => { throw new Error('Connection refused'); }, createLogger('error', () => undefined), 600))
      .rejects.toThrow('Connection refused');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
