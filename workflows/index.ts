/** The workflows this worker registers. */
export { enrollmentWorkflow } from './enrollment';
/** The simulator's persona driver (`npm run simulate`); never started by the engine. */
export { personaDriverWorkflow } from './persona-driver';
/** A migration of in-flight enrollments onto another version of their funnel. */
export { funnelMigrationWorkflow } from './migration';
