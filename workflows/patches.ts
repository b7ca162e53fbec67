/**
 * Every patch id the enrollment workflow branches on. A run started with them in its input (`EnrollmentInput.patches`)
 * takes every patched path from its first step, as any new run does, but decides by its input instead of by markers in
 * its history.
 *
 * Why: the SDK tells a replaying workflow about a patch marker only in the activation of the workflow task that
 * recorded it. A local activity's result is handed back on replay at once, so code that follows a local activity can
 * reach its first `patched()` one activation earlier than it did live, when the activity finished just as its workflow
 * task was completing and the code after it ran in the next task (seen under load, 1 in ~5 restarts of the migrate e2e).
 * There `patched()` answers false, the marker in the history has no command, and the run is stuck on a
 * nondeterminism error. Runs started without the list (before it existed) keep deciding by `patched()`.
 */
export const ENROLLMENT_PATCHES: readonly string[] = [
  'late-webinar-reminders', 'exit-unreachable', 'record-split', 'note-step', 'local-lookups', 'staff-task',
  'ask-step', 'funnel-actions', 'wait-until-date', 'funnel-events',
];
