import { Hono } from 'hono';
import type { EngineDeps } from '../../engine/deps';
import { ContactInput } from '../../contacts/input';
import { apiConsentOrigin, contactView, findContact, upsertContact } from '../../db/contacts';
import { NotFoundError } from '../../errors';
import { enrollmentSummary } from './views';
import { readJson } from './validate';

/** `POST /contacts` (upsert: 201 new, 200 updated) and `GET /contacts/:id` (contact, consents, enrollments). */
export function contactRoutes(deps: EngineDeps): Hono {
  return new Hono()
    .post('/', async (c) => {
      const input = await readJson(c, ContactInput);
      const { contact, created } = await upsertContact(deps.db, input, apiConsentOrigin(input), deps.now());
      return c.json(await contactView(deps.db, contact), created ? 201 : 200);
    })
    .get('/:id', async (c) => {
      const id = c.req.param('id');
      const row = await findContact(deps.db, { contactId: id });
      if (!row) throw new NotFoundError('contact', id);
      const enrollments = await deps.db.selectFrom('enrollments').selectAll()
        .where('contact_id', '=', row.id).orderBy('enrolled_at', 'desc').execute();
      return c.json({ ...(await contactView(deps.db, row)), enrollments: enrollments.map(enrollmentSummary) });
    });
}
