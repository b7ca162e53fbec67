import { Hono } from 'hono';
import type { EngineDeps } from '../../engine/deps';
import { NotFoundError, UnavailableError } from '../../errors';
import { sendTestTouch, TestSendRequest, type TestSendDeps } from '../../samples/send-test';
import { readJson } from './validate';

/** The channels and link settings a test send uses: the engine's own, so a test goes out exactly as the touch would. */
export type TestSendChannels = Omit<TestSendDeps, 'db' | 'now'>;

/**
 * `POST /funnels/:funnelId/touches/:touchId/test`: renders the touch for a sample contact (or `contactId`) and sends it
 * to the one address given, marked «[Тест]»; nothing goes into the ledger or the stats. 404 for an unknown funnel or
 * touch, 422 for a bad address or a channel the touch has no content for, 502 when the channel refuses it.
 */
export function testSendRoutes(deps: EngineDeps & { testSend?: TestSendChannels | undefined }): Hono {
  return new Hono().post('/:funnelId/touches/:touchId/test', async (c) => {
    const funnelId = c.req.param('funnelId');
    const funnel = deps.funnels.get(funnelId);
    if (!funnel) throw new NotFoundError('funnel', funnelId);
    const body = await readJson(c, TestSendRequest);
    if (!deps.testSend) throw new UnavailableError('this process sends no messages (no channels are configured)');
    return c.json(await sendTestTouch({ ...deps.testSend, db: deps.db, now: deps.now }, funnel, c.req.param('touchId'), body));
  });
}
