import { Hono } from 'hono';
import { z } from 'zod';
import type { EngineDeps } from '../../engine/deps';
import { readOutbox } from '../../channels/outbox-read';
import { isoInZone } from '../../time/iso-in-zone';
import { readQuery } from './validate';

/** The query of `GET /api/outbox`: one funnel, one contact, at most `limit` (1–1000, default 100). */
export const OutboxQuery = z.object({
  funnelId: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'funnel ids are lowercase letters, digits and "-"').optional(),
  contactId: z.string().min(1).optional(),
  limit: z.string().regex(/^\d+$/, 'limit is a whole number').transform(Number).pipe(z.number().int().min(1).max(1000)).optional(),
}).strict();

/**
 * `GET /outbox?funnelId&contactId&limit`: what the dev outbox holds, newest first — each message with its funnel, touch
 * and contact (name and zone), the time in the contact's zone (else the funnel's, else UTC), and whether it was a test.
 */
export function outboxApiRoutes(deps: EngineDeps): Hono {
  return new Hono().get('/', async (c) => {
    const query = readQuery(c, OutboxQuery);
    const messages = await readOutbox(deps.db, query);
    return c.json(messages.map((m) => {
      const zone = m.contactTimezone ?? (m.funnelId ? deps.funnels.get(m.funnelId)?.plan.timezone : undefined) ?? 'UTC';
      return {
        id: m.id, createdAt: new Date(m.createdAt).toISOString(), localTime: isoInZone(m.createdAt, zone), timezone: zone,
        channel: m.channel, recipient: m.recipient, recipientName: m.recipientName, contactId: m.contactId, funnelId: m.funnelId, touchId: m.touchId,
        test: m.test, subject: m.subject, text: m.text, html: m.html,
      };
    }));
  });
}
