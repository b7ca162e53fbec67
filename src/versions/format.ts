import type { VersionInFlight } from './in-flight';
import type { MigrationPlan, StepMove } from './plan-migration';
import type { VersionDiff } from './diff';
import type { MigrationView } from './start-migration';

/** `npm run funnels -- versions`: each version, how many in flight, how many at each step. */
export function formatVersions(funnelId: string, versions: VersionInFlight[]): string {
  const lines = [`${funnelId}: ${versions.length} version(s)`];
  for (const v of versions) {
    lines.push(`  ${v.version}${v.current ? ' (current)' : ''}  in flight: ${v.inFlight}`);
    const steps = Object.entries(v.atStep).sort(([a], [b]) => a.localeCompare(b));
    const width = Math.max(0, ...steps.map(([s]) => s.length));
    for (const [step, n] of steps) lines.push(`      ${step.padEnd(width)}  ${n}`);
  }
  return `${lines.join('\n')}\n`;
}

const list = (items: string[]) => (items.length === 0 ? '—' : items.join(', '));

/** One line of where the enrollments resting at a step would go. */
export function formatStepMove(s: StepMove): string {
  const head = `${s.stepId} ×${s.count}`;
  if (s.outcome === 'unknown') return `${head} → not known yet: each goes by the same rule when asked (its step id, or the map)`;
  if (s.outcome === 'stay') {
    const why = s.reason === 'type_changed' ? `${s.to} is a step of another type` : `step ${s.to} is not in the current version`;
    return `${head} → stays on ${s.version}: ${why} (map it with --map ${s.stepId}=<step>)`;
  }
  const timing = s.timing === 'kept' ? ' (keeps its due time)' : s.timing === 'retimed' ? ` (re-timed from when it began: ${s.timingChange})` : '';
  return `${head} → ${s.to}${s.mapped ? ' (mapped)' : ''}${timing}`;
}

/** The differences of one running version against the current one, by step id. */
export function formatDiff(funnelId: string, version: string, to: string, d: VersionDiff, atStep: StepMove[]): string {
  const lines = [
    `${funnelId}: ${version} → ${to} (current)`,
    `  added:           ${list(d.added.map((s) => `${s.stepId} (${s.type})`))}`,
    `  removed:         ${list(d.removed.map((s) => `${s.stepId} (${s.type})`))}`,
    `  moved:           ${list(d.moved.map((s) => (s.from === s.to ? `${s.stepId} (order in ${s.to})` : `${s.stepId} (${s.from} → ${s.to})`)))}`,
    `  content changed: ${list(d.contentChanged)}`,
    `  timing changed:  ${list(d.timingChanged.map((s) => `${s.stepId} ${s.from} → ${s.to}`))}`,
  ];
  if (d.logicChanged.length > 0) lines.push(`  logic changed:   ${list(d.logicChanged)}`);
  if (d.typeChanged.length > 0) lines.push(`  type changed:    ${list(d.typeChanged.map((s) => `${s.stepId} ${s.from} → ${s.to}`))}`);
  const n = atStep.reduce((sum, s) => sum + s.count, 0);
  lines.push(n === 0 ? '  no enrollment of this version is in flight' : `  where the ${n} in flight would go:`);
  for (const s of atStep) lines.push(`    ${formatStepMove(s)}`);
  return `${lines.join('\n')}\n`;
}

/** A dry run: what would move where, with counts, and that nothing changed. */
export function formatPlan(plan: MigrationPlan): string {
  const lines = [`${plan.funnelId}: migrate ${plan.from === 'all' ? `every version in flight (${list(plan.versions)})` : plan.from} → ${plan.to} (current)`];
  if (Object.keys(plan.map).length > 0) lines.push(`  map: ${Object.entries(plan.map).map(([a, b]) => `${a}=${b}`).join(' ')}`);
  for (const v of plan.versions) {
    lines.push(`  ${v}:`);
    for (const s of plan.steps.filter((x) => x.version === v)) lines.push(`    ${formatStepMove(s)}`);
  }
  lines.push(`  would move ${plan.move}, stay ${plan.stay}${plan.unknown > 0 ? `, not known yet ${plan.unknown}` : ''} (of ${plan.total} in flight)`);
  return `${lines.join('\n')}\n`;
}

/** One progress line of a running or finished migration, plus the enrollments that stayed. */
export function formatProgress(m: MigrationView): string {
  const lines = [`migration ${m.id} (${m.from} → ${m.to}): ${m.status} — asked ${m.asked}/${m.total}, moved ${m.moved}, stayed ${m.stayed}, finished ${m.finished}, pending ${m.pending}`];
  for (const s of m.stayedEnrollments) lines.push(`  stayed: enrollment ${s.enrollmentId} (contact ${s.contactId}) on ${s.version} at ${s.step ?? '?'}: ${s.reason ?? ''}`);
  return `${lines.join('\n')}\n`;
}
