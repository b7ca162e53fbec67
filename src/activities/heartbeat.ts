import { Context } from '@temporalio/activity';

/**
 * Runs `fn`, heartbeating every `everyMs` while it runs inside an activity: a worker that dies mid-send is noticed
 * within the activity's heartbeat timeout (seconds) instead of its start-to-close timeout (minutes), so the retry
 * on another worker comes soon. Outside an activity (a direct call) it just runs `fn`.
 */
export async function whileHeartbeating<T>(fn: () => Promise<T>, everyMs = 3_000): Promise<T> {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return fn();
  }
  ctx.heartbeat();
  const timer = setInterval(() => ctx.heartbeat(), everyMs);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}
