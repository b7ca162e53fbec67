// npm run broadcast -- <funnel> [--where k=v]… [--dry-run] [--rate N/s] [--no-wait] [--json]
// Talks to the running server's API (AUTOFUNNEL_URL, default http://HOST:PORT) with API_TOKEN (or the token kept in
// DATA_DIR/secrets.json): the broadcast itself runs durably in the engine, this only starts and watches it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { parseWhere } from '../broadcasts/filter';
import { ValidationError } from '../errors';

const USAGE = 'usage: npm run broadcast -- <funnel> [--where key=value]… [--dry-run] [--rate N/s] [--no-wait] [--json]\n'
  + '  --where source=vk_ads | test=true | consent.telegram=true | city=Омск (attributes.city=…); a|b = either; each --where narrows\n';

/** `10`, `10/s`, `600/m`, `3600/h` as enrollments per second. */
export function parseRate(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(?:\/(s|sec|m|min|h|hour))?$/.exec(text.trim());
  const per = { s: 1, sec: 1, m: 60, min: 60, h: 3600, hour: 3600 } as const;
  const rate = m ? Number(m[1]) / per[(m[2] ?? 's') as keyof typeof per] : NaN;
  if (!(rate > 0) || rate > 1000) throw new ValidationError(`--rate ${text}: give enrollments per second (or /m, /h), more than 0 and at most 1000/s`);
  return rate;
}

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function apiToken(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const file = join(dataDir, 'secrets.json');
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { apiToken?: string }).apiToken : undefined;
  return stored ?? fail(`no API token: set API_TOKEN (or run the server once, which keeps one in ${file})`, 2);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { where: { type: 'string', multiple: true }, 'dry-run': { type: 'boolean' }, rate: { type: 'string' }, 'no-wait': { type: 'boolean' }, json: { type: 'boolean' } },
    });
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`, 2);
  }
  const [funnelId, ...extra] = parsed.positionals;
  if (!funnelId || extra.length > 0) fail(USAGE, 2);
  let filter;
  let rate: number | undefined;
  try {
    filter = parseWhere(parsed.values.where ?? []);
    rate = parsed.values.rate === undefined ? undefined : parseRate(parsed.values.rate);
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`, 2);
  }
  const config = loadConfig();
  const base = (process.env.AUTOFUNNEL_URL ?? `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${config.PORT}`).replace(/\/+$/, '');
  const token = apiToken(config.DATA_DIR, config.API_TOKEN);
  const call = async (method: string, path: string, body?: unknown): Promise<any> => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch (err) {
      return fail(`cannot reach the server at ${base} (${(err as Error).message}): is it running? Set AUTOFUNNEL_URL otherwise.`);
    }
    const answer = await res.json().catch(() => ({})) as { error?: { message?: string } };
    if (!res.ok) return fail(`${method} ${path}: ${res.status} ${answer.error?.message ?? ''}`.trim());
    return answer;
  };
  const out = (json: unknown, text: string) => process.stdout.write(parsed.values.json ? `${JSON.stringify(json)}\n` : `${text}\n`);
  const path = `/api/funnels/${encodeURIComponent(funnelId)}/broadcasts`;

  if (parsed.values['dry-run']) {
    const dry = await call('POST', path, { filter, dryRun: true });
    out(dry, `would enroll ${dry.count} contact(s) into ${dry.funnelId}@${String(dry.version).slice(0, 12)}${dry.testOnly ? ' (a draft: test contacts only)' : ''}`);
    return;
  }
  let b = await call('POST', path, { filter, ...(rate !== undefined && { ratePerSecond: rate }) });
  if (!parsed.values.json) process.stdout.write(`broadcast ${b.id}: ${b.total} contact(s) into ${b.funnelId}@${String(b.version).slice(0, 12)} at ${b.ratePerSecond}/s\n`);
  while (!parsed.values['no-wait'] && b.status !== 'done') {
    await new Promise((r) => setTimeout(r, Number(process.env.AUTOFUNNEL_POLL_MS ?? 2000)));
    b = await call('GET', `/api/broadcasts/${b.id}`);
    if (!parsed.values.json) process.stdout.write(`  enrolled ${b.enrolled}/${b.total}, skipped ${b.skipped}, pending ${b.pending}\n`);
  }
  out(b, b.status === 'done' ? `done: ${b.enrolled} enrolled, ${b.skipped} skipped` : `running: follow it with GET /api/broadcasts/${b.id}`);
}

await main();
