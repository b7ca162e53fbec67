import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../log';

const LEVELS: Record<string, LogLevel> = { debug: 'DEBUG', info: 'WARN', warn: 'WARN', error: 'ERROR' };

/**
 * Routes the Temporal SDK's own logs (worker lifecycle, workflow and activity logs) into our logger, one format
 * for the whole process. At `info` the SDK's chatty lifecycle lines are dropped; `debug` shows them.
 * The Rust core's own logs are forwarded too, at `coreLevel` and above.
 * Must run before the first worker or connection is created; later calls are ignored.
 */
export function installTemporalLogging(log: Logger, level: string, coreLevel: 'WARN' | 'ERROR' = 'WARN'): void {
  try {
    Runtime.install({
      telemetryOptions: { logging: { filter: { core: coreLevel, other: coreLevel }, forward: {} } },
      logger: new DefaultLogger(LEVELS[level] ?? 'WARN', (entry) => {
        const { taskToken: _token, ...meta } = (entry.meta ?? {}) as Record<string, unknown>;
        const fields = { ...meta, source: 'temporal' };
        if (entry.level === 'ERROR') log.error(entry.message, fields);
        else if (entry.level === 'WARN') log.warn(entry.message, fields);
        else log.debug(entry.message, fields);
      }),
    });
  } catch {
    // already installed (tests, or a second engine in one process)
  }
}
