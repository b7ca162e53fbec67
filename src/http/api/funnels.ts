import { Hono } from 'hono';
import { z } from 'zod';
import type { EngineDeps } from '../../engine/deps';
import { ContactInput } from '../../contacts/input';
import { apiConsentOrigin, findContact, upsertContact } from '../../db/contacts';
import { enroll } from '../../engine/enroll';
import { touchSummary } from '../../engine/registry';
import { NotFoundError } from '../../errors';
import { readJson } from './validate';
import { linkReferral, refuseBadReferral } from '../../referrals/link-referral';

/** The body of `POST /api/funnels/:funnelId/enrollments`: exactly one of an existing contact's id or a contact to upsert. */
export const EnrollmentRequest = z.object({
  contactId: z.string().min(1).optional(),
  contact: ContactInput.optional(),
}).strict().refine((b) => (b.contactId === undefined) !== (b.contact === undefined), {
  message: 'give exactly one of contactId or contact',
}).meta({ oneOf: [{ required: ['contactId'] }, { required: ['contact'] }] });
export type EnrollmentRequest = z.infer<typeof EnrollmentRequest>;

async function contactFor(deps: EngineDeps, body: EnrollmentRequest): Promise<{ id: string; created: boolean }> {
  if (body.contact === undefined) {
    const row = await findContact(deps.db, { contactId: body.contactId });
    if (!row) throw new NotFoundError('contact', body.contactId ?? '');
    return { id: row.id, created: false };
  }
  await refuseBadReferral(deps.db, body.contact);
  const { contact, created } = await upsertContact(deps.db, body.contact, apiConsentOrigin(body.contact), deps.now());
  return { id: contact.id, created };
}

/** `GET /funnels` (the served funnels and their touches) and `POST /funnels/:funnelId/enrollments` (201 new, 200 already active). */
export function funnelRoutes(deps: EngineDeps): Hono {
  return new Hono()
    .get('/', (c) => c.json(deps.funnels.all().map(({ plan, version }) => ({
      id: plan.id, name: plan.name, version, entry: plan.entry, goal: plan.goal.event, draft: plan.draft === true, touches: touchSummary(plan),
    }))))
    .post('/:funnelId/enrollments', async (c) => {
      const funnelId = c.req.param('funnelId');
      if (!deps.funnels.get(funnelId)) throw new NotFoundError('funnel', funnelId); // before anything is stored
      const body = await readJson(c, EnrollmentRequest);
      const contact = await contactFor(deps, body);
      try {
        const { enrollment, created } = await enroll(deps, funnelId, contact.id);
        // Linked once the request is accepted: a refused one leaves no referral (and no referral.signed_up) behind.
        if (body.contact?.referredBy !== undefined) await linkReferral(deps, { contactId: contact.id, ref: body.contact.referredBy, via: 'api' });
        return c.json(enrollment, created ? 201 : 200);
      } catch (err) {
        // A rejected request stores nothing: forget a contact this request created, with its consent proof (consents cascade).
        if (contact.created) {
          await deps.db.deleteFrom('consent_log').where('contact_id', '=', contact.id).execute().catch(() => undefined);
          await deps.db.deleteFrom('contacts').where('id', '=', contact.id).execute().catch(() => undefined);
        }
        throw err;
      }
    });
}
