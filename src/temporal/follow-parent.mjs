// Runs a command for as long as the process that started this one is alive, however it dies (kill -9, OOM): the
// parent holds this process's stdin, the kernel closes that pipe when the parent goes, and the command is stopped.
// Plain JavaScript on purpose: it starts in milliseconds, needs no loader, and stays tiny next to the command.
//
//   node follow-parent.mjs <command> [args…]    stdin: a pipe from the parent    stdout: one JSON line per event
//
// Events: {"started": <pid>} once the command runs, {"exited": <code>, "signal": <name>} when it ends.
// SIGTERM (or the pipe closing) stops the command with SIGTERM, then SIGKILL after FOLLOW_PARENT_KILL_AFTER_MS (5 s).
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write('usage: follow-parent.mjs <command> [args…]\n');
  process.exit(2);
}

process.stdout.on('error', () => undefined); // the parent may be gone: reporting must never stop the cleanup
const report = (event) => {
  try { process.stdout.write(`${JSON.stringify(event)}\n`); } catch { /* parent gone */ }
};

const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
let stopping = false;

const stop = () => {
  if (stopping) return;
  stopping = true;
  if (child.exitCode !== null || child.signalCode !== null) process.exit(0);
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), Number(process.env.FOLLOW_PARENT_KILL_AFTER_MS ?? 5000)).unref();
};

child.on('spawn', () => report({ started: child.pid }));
child.on('error', (err) => {
  report({ error: err.message });
  process.exit(127);
});
child.on('exit', (code, signal) => {
  report({ exited: code, signal });
  process.exit(stopping ? 0 : code ?? 1);
});

process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);
// Ctrl-C is the parent's to handle: it stops the worker first and then asks this process to stop the command.
process.on('SIGINT', () => undefined);
