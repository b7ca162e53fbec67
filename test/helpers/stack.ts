import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** `npm start`'s code path as a child process (embedded Temporal dev server, worker, HTTP server), with its output kept. */
export function startStack(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('src/cli/start.ts')], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
  return { child, output: () => out };
}

/**
 * Stops the stack with SIGTERM, as Ctrl-C or a service manager would, and answers its exit code (null when a signal
 * ended it). A stack still running `killAfterMs` later is killed (SIGKILL) and the answer is null, so a stuck shutdown
 * fails the test's exit-code check instead of hanging it.
 */
export function stopStack(child: ChildProcess, killAfterMs = 45_000): Promise<number | null> {
  return new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) return res(child.exitCode);
    const kill = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.once('exit', (code) => { clearTimeout(kill); res(code); });
    child.kill('SIGTERM');
  });
}
