/** The workflows this worker registers. */
export { enrollmentWorkflow } from './enrollment';
