import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

/** What one run of the CLI gave: exit code, both streams, wall time. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  wallMs: number;
}

/** Runs `src/cli/simulate.ts` as a child process (what `npm run simulate --` runs), with extra environment. */
export function runSimulate(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const started = Date.now();
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', resolve('src/cli/simulate.ts'), ...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      done({ code, stdout, stderr, wallMs: Date.now() - started });
    });
  });
}

/** A Monday (2036-03-03) at 10:00 in Moscow: far enough ahead that `--start` stays in the future. */
export const MONDAY = '2036-03-03T10:00:00+03:00';

/** A timeline entry as one comparable line: `<step> <channel> <status>[ <reason>] d<day> <HH:MM>`. */
export function line(e: { step: string; channel: string; status: string; reason?: string; day: number; local: string }): string {
  return `${e.step} ${e.channel} ${e.status}${e.reason ? ` ${e.reason}` : ''} d${e.day} ${e.local.slice(11)}`;
}
