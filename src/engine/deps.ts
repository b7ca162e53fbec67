import type { Db } from '../db/database';
import type { Logger } from '../log';
import type { WorkflowGateway } from '../temporal/gateway';
import type { FunnelRegistry } from './registry';
import type { StoredEvent, StoredEventInput } from './store-event';

/** What enrolling and event ingestion need. */
export interface EngineDeps {
  db: Db;
  gateway: WorkflowGateway;
  funnels: FunnelRegistry;
  log: Logger;
  /** The engine's clock (epoch ms); tests running in virtual time pass theirs. */
  now: () => number;
  /** The server's event dispatcher; without one (tests, the simulator) events are dispatched inside the call that stores them. */
  dispatcher?: EventDispatch | undefined;
  /** Stores single events with group commit (src/engine/event-writer.ts); without it each event is its own transaction. */
  eventWriter?: { store(input: StoredEventInput, now: number, settled?: boolean): Promise<StoredEvent> } | undefined;
}

/** What storing code needs of the event dispatcher (src/engine/event-dispatcher.ts). */
export interface EventDispatch {
  /** Something was stored: dispatch it soon, without waiting. */
  wake(): void;
  /** Dispatches the contact's pending events now, in order; resolves when done or given back (Temporal unreachable). */
  dispatchContact(contactId: string): Promise<void>;
}
