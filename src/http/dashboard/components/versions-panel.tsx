import type { PageContext } from '../layout';
import type { VersionInFlight } from '../../../versions/in-flight';
import type { MigrationPlan, StepMove } from '../../../versions/plan-migration';
import type { MigrationView } from '../../../versions/start-migration';
import { fill } from '../i18n';
import { hrefWith } from '../query';

/** What the funnel page's versions panel shows. */
export interface VersionsView {
  versions: VersionInFlight[];
  /** The version the stats are filtered to; undefined: all. */
  statsVersion?: string | undefined;
  /** The migration form as last submitted (a preview). */
  form: { from: string; map: string };
  preview?: MigrationPlan | undefined;
  /** Why the preview or the apply was refused. */
  error?: string | undefined;
  migrations: MigrationView[];
  /** The migration just started (after its redirect). */
  started?: string | undefined;
  /** Whether this dashboard can start migrations (it runs with the engine). */
  canApply: boolean;
}

/** The `old=new` pairs of the map field (`a=b, c=d` or one per line). */
export function parseMapField(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(/[\s,;]+/).filter(Boolean)) {
    const [from, to, extra] = pair.split('=');
    if (!from || !to || extra !== undefined) throw new Error(`map entries are old-step=new-step (got “${pair}”)`);
    out[from] = to;
  }
  return out;
}

/** One line of the preview in the page's language. */
function stepLine(m: PageContext['m'], s: StepMove): string {
  const vars = { step: s.stepId, n: s.count, to: s.to ?? '', change: s.timingChange ?? '' };
  if (s.outcome === 'unknown') return fill(m.mv_unknown, vars);
  if (s.outcome === 'stay') return fill(s.reason === 'type_changed' ? m.mv_stay_type : m.mv_stay_removed, vars);
  return fill(m.mv_move, vars) + (s.mapped ? m.mv_mapped : '') + (s.timing === 'kept' ? m.mv_kept : s.timing === 'retimed' ? fill(m.mv_retimed, vars) : '');
}

/**
 * The versions panel: every version in flight with counts per step (a version's link filters the page's stats to it),
 * the migration form whose Preview is a dry run (GET, changes nothing), the preview with an Apply button (POST,
 * session + CSRF), and the funnel's migrations with their progress.
 */
export function VersionsPanel(props: { ctx: PageContext; path: string; view: VersionsView }) {
  const { ctx, path, view } = props;
  const { m } = ctx;
  const others = view.versions.filter((v) => !v.current && v.inFlight > 0);
  return (
    <section id="versions" data-versions>
      <h2>{m.versionsTitle}</h2>
      <nav class="switcher" aria-label={m.statsOfVersion}>
        <span class="muted">{m.statsOfVersion}:</span>
        <a href={`${path}#touches`} aria-current={view.statsVersion === undefined ? 'page' : undefined} data-stats-version="all">{m.allVersions}</a>
        {view.versions.map((v) => (
          <a href={`${hrefWith(path, { version: v.version })}#touches`} aria-current={view.statsVersion === v.version ? 'page' : undefined} data-stats-version={v.version}>
            <code>{v.version}</code>
          </a>
        ))}
      </nav>
      <table>
        <thead><tr><th>{m.version}</th><th class="num">{m.inFlight}</th><th>{m.atSteps}</th></tr></thead>
        <tbody>
          {view.versions.map((v) => (
            <tr data-version={v.version}>
              <td><code>{v.version}</code>{v.current && <> <span class="badge">{m.currentVersion}</span></>}</td>
              <td class="num">{ctx.fmt.count(v.inFlight)}</td>
              <td class="wrap">{Object.entries(v.atStep).sort(([a], [b]) => a.localeCompare(b)).map(([step, n]) => `${step}: ${n}`).join(', ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {others.length > 0 && (
        <form class="inline" method="get" action={`${path}#versions`} data-migration-form>
          <label>{m.migrateFrom}
            <select name="migrateFrom">
              <option value="all" selected={view.form.from === 'all'}>{m.allVersions}</option>
              {others.map((v) => <option value={v.version} selected={view.form.from === v.version}>{v.version}</option>)}
            </select>
          </label>
          <label>{m.migrateMap}<input name="map" value={view.form.map} placeholder="old-step=new-step" /></label>
          <button type="submit">{m.preview}</button>
        </form>
      )}
      {view.error && <p class="error" role="alert" data-migration-error>{view.error}</p>}
      {view.preview && (
        <div data-migration-preview>
          <p>{fill(m.migrationPreview, { move: view.preview.move, stay: view.preview.stay, total: view.preview.total, to: view.preview.to })}</p>
          <ul>{view.preview.steps.map((s) => <li data-step={`${s.version}:${s.stepId}`}>{s.version}: {stepLine(m, s)}</li>)}</ul>
          {view.canApply && view.preview.total > 0 && (
            <form method="post" action={`${path}/migrations`}>
              <input type="hidden" name="csrf" value={ctx.csrf} />
              <input type="hidden" name="from" value={view.form.from} />
              <input type="hidden" name="map" value={view.form.map} />
              <button type="submit" data-apply-migration>{fill(m.applyMigration, { n: view.preview.total })}</button>
            </form>
          )}
        </div>
      )}
      {view.started && <p class="notice" role="status">{fill(m.migrationStarted, { id: view.started })}</p>}
      {view.migrations.length > 0 && (
        <table data-migrations>
          <thead><tr><th>{m.migration}</th><th>{m.version}</th><th>{m.status}</th><th class="num">{m.moved}</th><th class="num">{m.stayed}</th><th class="num">{m.pending}</th></tr></thead>
          <tbody>
            {view.migrations.map((g) => (
              <tr data-migration={g.id}>
                <td><code>{g.id}</code> <span class="muted">{ctx.fmt.dateTime(Date.parse(g.createdAt))}</span></td>
                <td><code>{g.from}</code> → <code>{g.to}</code></td>
                <td>{g.status === 'done' ? m.migrationDone : m.migrationRunning}</td>
                <td class="num">{ctx.fmt.count(g.moved)}</td>
                <td class="num" title={g.stayedEnrollments.map((s) => `${s.enrollmentId} ${s.step ?? ''} ${s.reason ?? ''}`).join('\n')}>{ctx.fmt.count(g.stayed)}</td>
                <td class="num">{ctx.fmt.count(g.pending)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
