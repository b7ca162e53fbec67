import { FULL_RUN, runChaos } from './chaos/run-chaos';
import { chaosPassed, formatReport } from './chaos/report';

// npm run chaos [-- --contacts N] [--json]: the kill and fault-injection run on the real stack (see README, Guarantees);
// with DATABASE_URL=postgres://… (an empty database) the stack runs on PostgreSQL instead of SQLite.
const args = process.argv.slice(2);
const json = args.includes('--json');
const n = args.indexOf('--contacts');
const contacts = n >= 0 ? Number(args[n + 1]) : FULL_RUN.contacts;
if (!Number.isInteger(contacts) || contacts < 1) {
  process.stderr.write('usage: npm run chaos -- [--contacts N] [--json]\n');
  process.exit(2);
}
const databaseUrl = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL : undefined;
const report = await runChaos({ ...FULL_RUN, contacts, databaseUrl, log: (line) => process.stderr.write(`${line}\n`) });
process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : `\n${formatReport(report)}\n`);
process.exit(chaosPassed(report) ? 0 : 1);
