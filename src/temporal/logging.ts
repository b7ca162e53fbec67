import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../log';

const LEVELS: Record<string, LogLevel> = { debug: 'DEBUG', info: 'WARN', warn: 'WARN', error: 'ERROR' };

/**
 * Routes the Temporal SDK's own logs (worker lifecycle, workflow and activity logs) into our logger, one format
 * for the whole process. At `info` the SDK's chatty lifecycle lines are dropped; `debug` shows them.
 * Must run before the first worker or connection is created; later calls are ignored.
 */
export function installTemporalLogging(log: Logger, level: string): void {
  try {
    Runtime.install({
      logger: new DefaultLogger(LEVELS[level] ?? 'WARN', (entry) => {
        const fields = { ...(entry.meta as Record<string, unknown> | undefined), source: 'temporal' };
        if (entry.level === 'ERROR') log.error(entry.message, fields);
        else if (entry.level === 'WARN') log.warn(entry.message, fields);
        else log.debug(entry.message, fields);
      }),
    });
  } catch {
    // already installed (tests, or a second engine in one process)
  }
}
