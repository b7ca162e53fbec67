import { Hono } from 'hono';
import { z } from 'zod';
import type { EngineDeps } from '../../engine/deps';
import { findContact } from '../../db/contacts';
import { NotFoundError } from '../../errors';
import { CONSENT_CHANNELS, consentHistory, currentConsents, historyEntry, recordConsent } from '../../consent/record-consent';
import { readJson } from '../api/validate';
import { IpAddress } from '../../contacts/input';

/** A consent decision reported through the API, with the proof 38-FZ asks for. */
export const ConsentDecision = z.object({
  channel: z.enum(CONSENT_CHANNELS),
  granted: z.boolean(),
  /** Where the decision was made, e.g. `crm`, `landing:spring-sale`, `call-center`. */
  source: z.string().trim().min(1, 'source must not be empty').max(200),
  /** The exact text the person agreed to. */
  wording: z.string().max(5000).optional(),
  /** The person's IP address when they decided (IPv4 or IPv6). */
  ip: IpAddress.optional(),
  /** The person's browser user agent when they decided. */
  userAgent: z.string().max(1000).optional(),
}).strict();
export type ConsentDecision = z.infer<typeof ConsentDecision>;

/**
 * To be mounted at `/api/contacts` (behind its bearer auth): `GET /:id/consents` — current consent per channel and the
 * full history; `POST /:id/consents` — records one decision (current state + log entry, atomically), 201 with the entry.
 * A rejected request (400 malformed, 422 invalid, 404 unknown contact) stores nothing.
 */
export function consentRoutes(deps: EngineDeps & { secretKey?: string | undefined }): Hono {
  return new Hono()
    .get('/:id/consents', async (c) => {
      const id = c.req.param('id');
      const contact = await findContact(deps.db, { contactId: id });
      if (!contact) throw new NotFoundError('contact', id);
      return c.json({ contactId: contact.id, current: await currentConsents(deps.db, contact.id), history: await consentHistory(deps.db, contact.id) });
    })
    .post('/:id/consents', async (c) => {
      const id = c.req.param('id');
      const input = await readJson(c, ConsentDecision);
      const contact = await findContact(deps.db, { contactId: id });
      if (!contact) throw new NotFoundError('contact', id);
      const row = await recordConsent(deps.db, {
        contactId: contact.id, channel: input.channel, granted: input.granted, source: input.source,
        wording: input.wording, ip: input.ip, userAgent: input.userAgent, at: deps.now(), erasureKey: deps.secretKey,
      });
      return c.json(historyEntry(row), 201);
    });
}
