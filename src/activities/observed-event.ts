import type { SendTouchDeps } from './send-deps';
import { newOrderedId } from '../db/ids';

/**
 * Records an event the send pipeline observed (`telegram.blocked`): through `deps.emit` when the process can dispatch,
 * else stored undispatched — the server's event dispatcher applies it (signals, entries) within a second or so. Once per key.
 */
export async function storeObservedEvent(deps: SendTouchDeps, contactId: string, name: string, properties: Record<string, unknown>, idempotencyKey: string): Promise<void> {
  if (deps.emit) return deps.emit(contactId, name, properties, idempotencyKey);
  const now = Date.now();
  await deps.db.insertInto('events').values({
    id: newOrderedId('ev'), contact_id: contactId, name, properties: JSON.stringify(properties), value: null,
    idempotency_key: idempotencyKey, occurred_at: now, received_at: now, dispatched_at: null,
  }).onConflict((oc) => oc.column('idempotency_key').doNothing()).execute();
}
