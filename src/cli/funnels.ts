// npm run funnels -- versions <funnel> | diff <funnel> [--from <version>] | migrate <funnel> --from <version|all> [--map old=new …] [--dry-run] [--detach] [--json]
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FunnelsCommandError } from '../errors';
import { loadFunnels } from '../dsl/load';
import { formatDiff, formatPlan, formatProgress, formatVersions } from '../versions/format';
import type { VersionInFlight } from '../versions/in-flight';
import type { MigrationPlan, StepMove } from '../versions/plan-migration';
import type { VersionDiff } from '../versions/diff';
import type { MigrationView } from '../versions/start-migration';

const USAGE = `usage: npm run funnels -- versions <funnel>
       npm run funnels -- diff <funnel> [--from <version>]
       npm run funnels -- migrate <funnel> --from <version|all> [--map old-step=new-step …] [--dry-run] [--detach]
options: --json prints the API's answer; the server is AUTOFUNNEL_URL (default http://HOST:PORT), the token API_TOKEN or DATA_DIR/secrets.json`;

/** Where the running server is and the token it takes (the environment `npm start` reads). */
function server(): { url: string; token: string } {
  const host = process.env.HOST && !['0.0.0.0', '::'].includes(process.env.HOST) ? process.env.HOST : '127.0.0.1';
  const url = (process.env.AUTOFUNNEL_URL || `http://${host.includes(':') ? `[${host}]` : host}:${process.env.PORT || 3000}`).replace(/\/$/, '');
  let token = process.env.API_TOKEN;
  const secrets = join(resolve(process.env.DATA_DIR || './data'), 'secrets.json');
  if (!token && existsSync(secrets)) token = (JSON.parse(readFileSync(secrets, 'utf8')) as { apiToken?: string }).apiToken;
  if (!token) throw new FunnelsCommandError(`no API token: set API_TOKEN, or DATA_DIR to the server's data folder (${secrets} not found)`);
  return { url, token };
}

/** How long one API call may take before the command gives up on it, naming it. */
const ANSWER_WITHIN_MS = 30_000;

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const { url, token } = server();
  let res: Response;
  try {
    res = await fetch(`${url}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') throw new FunnelsCommandError(`the server at ${url} did not answer ${method} ${path} within ${ANSWER_WITHIN_MS / 1000} s: is it overloaded or stuck? (its log says more)`);
    throw new FunnelsCommandError(`the server at ${url} cannot be reached (${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}): is \`npm start\` running? (AUTOFUNNEL_URL, PORT)`);
  }
  const answer = await res.json().catch(() => ({})) as T & { error?: { code: string; message: string } };
  if (!res.ok) throw new FunnelsCommandError(`${answer.error?.message ?? `HTTP ${res.status}`} (${answer.error?.code ?? res.status})`);
  return answer;
}

/**
 * The funnel's file must pass the check and be the version the server runs: a migration moves enrollments onto what
 * the server serves, so a file edited since the server started is named, with what to do.
 */
async function checkFile(funnelId: string): Promise<void> {
  const dir = process.env.FUNNELS_DIR || './funnels';
  const loaded = await loadFunnels(dir, { telegramBot: Boolean(process.env.TELEGRAM_BOT_TOKEN) });
  const problems = loaded.problems.filter((p) => p.funnelIds === undefined || p.funnelIds.includes(funnelId));
  const file = loaded.funnels.find((f) => f.plan.id === funnelId);
  if (!file) {
    throw new FunnelsCommandError(problems.length > 0 ? `${funnelId} does not pass npm run check:` : `no funnel ${JSON.stringify(funnelId)} in ${dir}`, problems.map((p) => p.text));
  }
  const served = (await call<Array<{ id: string; version: string }>>('GET', '/api/funnels')).find((f) => f.id === funnelId);
  if (served && served.version !== file.version) {
    throw new FunnelsCommandError(`${file.file} is version ${file.version}, the server runs ${served.version}: restart it (npm start) so new enrollments get the file too, then migrate`);
  }
}

const mapOf = (entries: string[]): Record<string, string> => Object.fromEntries(entries.map((e) => {
  const m = /^([^=\s]+)=([^=\s]+)$/.exec(e);
  if (!m) throw new FunnelsCommandError(`--map takes old-step=new-step (got ${JSON.stringify(e)})`);
  return [m[1]!, m[2]!];
}));

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        from: { type: 'string' }, map: { type: 'string', multiple: true }, 'dry-run': { type: 'boolean' }, detach: { type: 'boolean' },
        json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new FunnelsCommandError(`${(err as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const [command, funnelId, ...rest] = positionals;
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  if (!command || !funnelId || !['versions', 'diff', 'migrate'].includes(command)) throw new FunnelsCommandError(USAGE);
  const out = (json: unknown, text: string): void => { process.stdout.write(values.json ? `${JSON.stringify(json, null, 2)}\n` : text); };
  const path = `/api/funnels/${encodeURIComponent(funnelId)}`;

  if (command === 'versions') {
    const versions = await call<VersionInFlight[]>('GET', `${path}/versions`);
    return out(versions, formatVersions(funnelId, versions));
  }
  if (command === 'migrate' && !values.from) throw new FunnelsCommandError(`migrate needs --from <version|all>\n${USAGE}`);
  const map = mapOf([...(values.map ?? []), ...rest]);
  await checkFile(funnelId);
  if (command === 'diff') {
    const diff = await call<{ to: string; versions: Array<VersionDiff & { version: string; atStep: StepMove[] }> }>('GET', `${path}/diff${values.from ? `?from=${encodeURIComponent(values.from)}` : ''}`);
    const text = diff.versions.length === 0 ? `${funnelId}: every enrollment in flight is on the current version ${diff.to}\n`
      : diff.versions.map((v) => formatDiff(funnelId, v.version, diff.to, v, v.atStep)).join('\n');
    return out(diff, text);
  }
  if (values['dry-run']) {
    const plan = await call<MigrationPlan>('POST', `${path}/migrations`, { from: values.from!, map, dryRun: true });
    return out(plan, `${formatPlan(plan)}dry run: nothing changed; run it without --dry-run to move them\n`);
  }
  let m = await call<MigrationView>('POST', `${path}/migrations`, { from: values.from!, map });
  if (!values.json) process.stdout.write(formatProgress(m));
  while (!values.detach && m.status !== 'done') {
    await new Promise((r) => setTimeout(r, 1000));
    m = await call<MigrationView>('GET', `${path}/migrations/${m.id}`);
    if (!values.json) process.stdout.write(formatProgress(m));
  }
  if (values.json) out(m, '');
}

try {
  await main();
} catch (err) {
  if (err instanceof FunnelsCommandError) process.stderr.write(`funnels: ${err.message}\n${err.lines.map((l) => `  ${l}\n`).join('')}`);
  else process.stderr.write(`funnels: failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
}
