import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorBody } from '../error-response';
import { handleVkEvent, type VkCallbackDeps, type VkCallbackEvent } from '../../channels/vk/callback';
import { sameSecret } from '../../security/same-secret';

export type { VkCallbackDeps } from '../../channels/vk/callback';

const MAX_EVENT_BYTES = 256 * 1024;

/**
 * `POST /` (mounted at `/webhooks/vk`): VK's Callback API. `confirmation` is answered with `VK_CONFIRMATION` (plain
 * text, as VK requires); every other event must carry the community's id (403 otherwise) and, when
 * `VK_CALLBACK_SECRET` is set, its `secret` (checked in constant time, 403 otherwise); it is handled before the answer
 * `ok`, so a failure answers 500 and VK delivers it again — handling is idempotent per `event_id`, so a retried
 * delivery changes nothing. 400 for a body that is not a JSON event.
 */
export function vkCallbackRoutes(deps: VkCallbackDeps): Hono {
  if (!deps.confirmation) throw new Error('vkCallbackRoutes: the confirmation string (VK_CONFIRMATION) must not be empty');
  const app = new Hono();
  app.post('/', bodyLimit({
    maxSize: MAX_EVENT_BYTES,
    onError: (c) => c.json(errorBody('payload_too_large', `an event is at most ${MAX_EVENT_BYTES} bytes`), 413),
  }), async (c) => {
    const raw = await c.req.text();
    let event: VkCallbackEvent;
    try {
      event = JSON.parse(raw) as VkCallbackEvent;
    } catch {
      return c.json(errorBody('invalid_json', 'the body is not valid JSON'), 400);
    }
    if (typeof event !== 'object' || event === null || typeof event.type !== 'string') {
      return c.json(errorBody('bad_request', 'a Callback API event needs a type'), 400);
    }
    if (String(event.group_id) !== deps.groupId) return c.json(errorBody('forbidden', 'the event is for another community'), 403);
    if (event.type === 'confirmation') return c.text(deps.confirmation, 200);
    if (deps.secret && !sameSecret(event.secret, deps.secret)) return c.json(errorBody('forbidden', 'missing or wrong secret'), 403);
    const eventId = typeof event.event_id === 'string' && event.event_id !== ''
      ? event.event_id
      : createHash('sha256').update(raw).digest('hex').slice(0, 40);
    try {
      await handleVkEvent(deps, event, eventId);
    } catch (err) {
      deps.log.error('vk: callback event failed; VK will deliver it again', { type: event.type, event: eventId, error: err });
      return c.json(errorBody('internal', 'the event could not be stored; try again'), 500);
    }
    return c.text('ok', 200);
  });
  return app;
}
