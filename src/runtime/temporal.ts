import type { Config } from '../config';
import type { Logger } from '../log';
import { findTemporalCli } from '../temporal/binaries';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { join } from 'node:path';

/** Where Temporal is: an external frontend, or the embedded dev server this process owns. */
export interface TemporalEndpoint {
  address: string;
  uiUrl: string | null;
  embedded: DevServer | null;
}

/** Uses TEMPORAL_ADDRESS when set; otherwise starts the embedded dev server persisted in DATA_DIR (when allowed). */
export async function resolveTemporal(config: Config, log: Logger, allowEmbedded: boolean): Promise<TemporalEndpoint> {
  if (config.TEMPORAL_ADDRESS) return { address: config.TEMPORAL_ADDRESS, uiUrl: null, embedded: null };
  if (!allowEmbedded) {
    log.warn('TEMPORAL_ADDRESS is not set; using 127.0.0.1:7233');
    return { address: '127.0.0.1:7233', uiUrl: null, embedded: null };
  }
  const cliPath = findTemporalCli(config.TEMPORAL_CLI_PATH);
  if (!cliPath) {
    throw new Error('the Temporal CLI was not found: run `npm run setup` (installs it into .temporal/), set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS');
  }
  log.info('starting embedded temporal dev server', { cli: cliPath, port: config.TEMPORAL_DEV_PORT });
  const embedded = await startDevServer({
    cliPath, dataDir: join(config.DATA_DIR, 'temporal'), port: config.TEMPORAL_DEV_PORT, uiPort: config.TEMPORAL_UI_PORT,
    namespace: config.TEMPORAL_NAMESPACE, log,
  });
  return { address: embedded.address, uiUrl: embedded.uiUrl, embedded };
}
