import { loadConfig, ConfigError } from '../config';
import { createLogger } from '../log';
import { startEngine, type EngineMode } from '../runtime/engine';
import { installTemporalLogging } from '../temporal/logging';

/** Runs the engine in the given mode until SIGINT/SIGTERM, then stops everything it started (the Temporal child too). */
export async function runEngine(mode: EngineMode): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const log = createLogger(config.LOG_LEVEL);
  installTemporalLogging(log, config.LOG_LEVEL);
  let engine;
  try {
    engine = await startEngine(config, log, mode);
  } catch (err) {
    log.error('start failed', { error: err });
    process.exit(1);
  }
  const lines = [''];
  if (engine.dashboardUrl) lines.push(`  dashboard:    ${engine.dashboardUrl}`);
  if (engine.dashboardUrl) lines.push(`  api:          ${engine.dashboardUrl.replace(/\/dashboard$/, '/api')}  (openapi: /api/openapi.json)`);
  lines.push(`  temporal:     ${engine.temporalAddress}${engine.temporalUiUrl ? `  (ui: ${engine.temporalUiUrl})` : ''}`);
  if (mode !== 'worker') {
    if (!config.API_TOKEN) lines.push(`  api token:    ${engine.secrets.apiToken}  (generated, kept in ${config.DATA_DIR}/secrets.json)`);
    if (!config.ADMIN_PASSWORD) lines.push(`  admin login:  ${engine.secrets.adminPassword}  (generated, kept in ${config.DATA_DIR}/secrets.json)`);
  }
  process.stdout.write(`autofunnel ${mode === 'all' ? 'is running' : `${mode} is running`}:\n${lines.slice(1).join('\n')}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    const force = setTimeout(() => { log.error('shutdown took too long, exiting'); process.exit(1); }, 30_000);
    await engine.stop();
    clearTimeout(force);
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
