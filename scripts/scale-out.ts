import { startPostgres } from '../test/helpers/postgres-server';
import { runScaleOut } from './scale-out/run-scale-out';

/*
 * `npm run scale-out -- [--workers 1|2] [--contacts N] [--kill]`: the scale-out topology (a Temporal dev server on its
 * own, a throwaway PostgreSQL, one server, the workers, loopback peers) and its first-touch throughput, as JSON.
 */
const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] ?? fallback : fallback;
};
const workers = arg('workers', '2') === '1' ? 1 : 2;
const contacts = Number(arg('contacts', '200'));
const pg = await startPostgres();
try {
  const report = await runScaleOut({
    databaseUrl: pg.urlOf('postgres'), contacts, workers, killWorkerAfter: process.argv.includes('--kill') ? Math.floor(contacts / 3) : null,
    enrollConcurrency: 8, drainTimeoutMs: 600_000, log: (l) => console.error(l),
  });
  console.log(JSON.stringify(report, null, 2));
} finally {
  await pg.stop();
}
