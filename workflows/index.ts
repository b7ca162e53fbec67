/** The workflows this worker registers. */
export { enrollmentWorkflow } from './enrollment';
/** The simulator's persona driver (`npm run simulate`); never started by the engine. */
export { personaDriverWorkflow } from './persona-driver';
/** A broadcast: every contact of a filter's snapshot enrolled into a funnel at a bounded rate (`POST /api/funnels/:id/broadcasts`). */
export { broadcastWorkflow } from './broadcast';
/** A migration of in-flight enrollments onto another version of their funnel. */
export { funnelMigrationWorkflow } from './migration';
