import type { Db } from '../db/database';
import type { Logger } from '../log';
import type { WorkflowGateway } from '../temporal/gateway';
import type { FunnelRegistry } from './registry';

/** What enrolling and event ingestion need. */
export interface EngineDeps {
  db: Db;
  gateway: WorkflowGateway;
  funnels: FunnelRegistry;
  log: Logger;
  /** The engine's clock (epoch ms); tests running in virtual time pass theirs. */
  now: () => number;
}
