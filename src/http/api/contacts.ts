import { Hono } from 'hono';
import type { EngineDeps } from '../../engine/deps';
import { ContactInput } from '../../contacts/input';
import { apiConsentOrigin, contactView, findContact, sourceView, upsertContact } from '../../db/contacts';
import { contactMoney } from '../../money/contact-money';
import { exportContact } from '../../contacts/export-contact';
import { eraseContact } from '../../contacts/erase-contact';
import { NotFoundError } from '../../errors';
import { enrollmentSummary } from './views';
import { readJson } from './validate';
import { linkReferral, referralFields, refuseBadReferral } from '../../referrals/link-referral';

/**
 * `POST /contacts` (upsert: 201 new, 200 updated; `referredBy` links a referral), `GET /contacts/:id` (contact, consents,
 * referral code and referrer, enrollments, LTV and orders, source),
 * `GET /contacts/:id/export` (everything stored about the contact) and `DELETE /contacts/:id` (erasure: 204, then 404).
 */
export function contactRoutes(deps: EngineDeps & { secretKey?: string | undefined }): Hono {
  return new Hono()
    .post('/', async (c) => {
      const input = await readJson(c, ContactInput);
      await refuseBadReferral(deps.db, input);
      const { contact, created } = await upsertContact(deps.db, input, apiConsentOrigin(input), deps.now());
      if (input.referredBy !== undefined) await linkReferral(deps, { contactId: contact.id, ref: input.referredBy, via: 'api' });
      return c.json({ ...(await contactView(deps.db, contact)), ...(await referralFields(deps.db, contact.id, deps.now())) }, created ? 201 : 200);
    })
    .get('/:id', async (c) => {
      const id = c.req.param('id');
      const row = await findContact(deps.db, { contactId: id });
      if (!row) throw new NotFoundError('contact', id);
      const enrollments = await deps.db.selectFrom('enrollments').selectAll()
        .where('contact_id', '=', row.id).orderBy('enrolled_at', 'desc').execute();
      const money = await contactMoney(deps.db, row.id, deps.funnels.all().map((f) => f.plan));
      return c.json({ ...(await contactView(deps.db, row)), ...(await referralFields(deps.db, row.id, deps.now())), enrollments: enrollments.map(enrollmentSummary), ...money, source: sourceView(row) });
    })
    .get('/:id/export', async (c) => c.json(await exportContact(deps.db, c.req.param('id'), deps.now())))
    .delete('/:id', async (c) => {
      if (!deps.secretKey) throw new Error('erasure needs the secret key (SECRET_KEY) to hash the erased addresses');
      await eraseContact({ ...deps, secretKey: deps.secretKey }, c.req.param('id'));
      return c.body(null, 204);
    });
}
