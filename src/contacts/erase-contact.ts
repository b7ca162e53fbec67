import type { EngineDeps } from '../engine/deps';
import { findContact } from '../db/contacts';
import { NotFoundError } from '../errors';
import { scrubContact } from './scrub-contact';

/** What erasing needs: the engine (to end workflows) and the secret key the erased addresses are hashed with. */
export type EraseDeps = EngineDeps & { secretKey: string };

/**
 * Erases a contact (152-FZ art. 21, GDPR art. 17). First every workflow of the contact is ended (terminated, its
 * history deleted where the server can), so no touch goes out afterwards; a Temporal outage throws before anything
 * changes. Then its personal data is erased in one transaction (see `scrubContact`); lookups treat it as gone.
 * Throws NotFoundError for an unknown or already erased contact.
 */
export async function eraseContact(deps: EraseDeps, contactId: string): Promise<void> {
  const contact = await findContact(deps.db, { contactId });
  if (!contact) throw new NotFoundError('contact', contactId);
  const workflows = await deps.db.selectFrom('enrollments').select('workflow_id').distinct().where('contact_id', '=', contact.id).execute();
  for (const { workflow_id } of workflows) await deps.gateway.end(workflow_id, 'contact erased');
  await deps.db.transaction().execute((trx) => scrubContact(trx, deps.secretKey, contact, deps.now()));
  deps.log.info('contact erased', { contact: contact.id, workflows: workflows.length });
}
