import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Config } from '../config';
import type { Logger } from '../log';
import type { EmailChannel } from '../channels/channel';
import { openMigratedDatabase, type Db } from '../db/database';
import { storeFunnelVersions } from '../db/funnels';
import { loadFunnels } from '../dsl/load';
import { FunnelRegistry } from '../engine/registry';
import { redispatchPending } from '../engine/ingest-event';
import { createWorkflowGateway } from '../temporal/gateway';
import { createWorker } from '../temporal/worker';
import { createActivities } from '../activities/index';
import { createSmtpChannel } from '../channels/email/smtp';
import { createOutboxChannel } from '../channels/email/outbox';
import { createApp } from '../http/app';
import { createDashboard } from '../http/dashboard/index';
import { loadSecrets, type Secrets } from './secrets';
import { resolveTemporal } from './temporal';

/** Which halves this process runs. */
export type EngineMode = 'all' | 'server' | 'worker';

/** A running engine: where it listens and how to stop it. */
export interface RunningEngine {
  dashboardUrl: string | null;
  temporalAddress: string;
  temporalUiUrl: string | null;
  secrets: Secrets;
  funnels: FunnelRegistry;
  stop(): Promise<void>;
}

/** The database file for the configuration (SQLite in DATA_DIR unless DATABASE_URL names one). */
export function databaseFile(config: Config): string {
  const url = config.DATABASE_URL;
  if (!url) return join(config.DATA_DIR, 'autofunnel.sqlite');
  return url.replace(/^sqlite:(\/\/)?/, '').replace(/^file:(\/\/)?/, '');
}

function emailChannel(config: Config, db: Db): EmailChannel {
  return config.SMTP_URL ? createSmtpChannel(config.SMTP_URL) : createOutboxChannel(db);
}

/**
 * Boots the engine: Temporal (embedded dev server when TEMPORAL_ADDRESS is unset and mode is `all`), migrations,
 * funnel plans, the worker and/or the HTTP server. Everything started is stopped by `stop()`, in reverse order.
 */
export async function startEngine(config: Config, log: Logger, mode: EngineMode = 'all'): Promise<RunningEngine> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) {
      try { await s(); } catch (err) { log.error('error while stopping', { error: err }); }
    }
  };
  try {
    const secrets = loadSecrets(config);
    const temporal = await resolveTemporal(config, log, mode === 'all');
    if (temporal.embedded) stops.push(() => temporal.embedded!.stop());

    const db = await openMigratedDatabase(databaseFile(config));
    stops.push(() => db.destroy());
    log.info('database ready', { file: databaseFile(config) });

    const funnels = new FunnelRegistry();
    if (mode !== 'worker') {
      const loaded = await loadFunnels(config.FUNNELS_DIR);
      for (const p of loaded.problems) log.error(`funnel refused: ${p.text}`);
      const valid = loaded.funnels.map((f) => ({ plan: f.plan, version: f.version }));
      await storeFunnelVersions(db, valid);
      funnels.replace(valid);
      log.info('funnels loaded', { count: valid.length, funnels: valid.map((f) => `${f.plan.id}@${f.version}`).join(',') || '-' });
    }

    let worker: Worker | undefined;
    if (mode !== 'server') {
      const email = emailChannel(config, db);
      if (!config.SMTP_URL) log.warn('SMTP_URL is not set: emails go to the dev outbox (shown on the dashboard), nothing is sent');
      const connection = await NativeConnection.connect({ address: temporal.address });
      const activities = createActivities({ db, email, mailFrom: config.MAIL_FROM });
      worker = await createWorker({ connection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, activities });
      const running = worker.run();
      stops.push(async () => {
        if (worker!.getState() === 'RUNNING') worker!.shutdown();
        await running;
        await connection.close();
        await email.close?.();
      });
      running.catch((err) => log.error('worker stopped with an error', { error: err }));
      log.info('worker running', { taskQueue: config.TEMPORAL_TASK_QUEUE });
    }

    let dashboardUrl: string | null = null;
    if (mode !== 'worker') {
      const connection = await Connection.connect({ address: temporal.address });
      stops.push(() => connection.close());
      const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
      const deps = { db, gateway: createWorkflowGateway(client, config.TEMPORAL_TASK_QUEUE), funnels, log, now: Date.now };
      // Events stored while Temporal was unreachable (or by a process that crashed mid-dispatch) are applied here.
      const sweep = async () => {
        try {
          const redone = await redispatchPending(deps, 30_000);
          if (redone > 0) log.info('dispatched postponed events', { count: redone });
        } catch (err) {
          log.warn('postponed events still waiting', { error: err });
        }
      };
      await sweep();
      const sweeper = setInterval(() => void sweep(), 30_000);
      stops.push(async () => clearInterval(sweeper));
      const app = createApp({
        ...deps,
        apiToken: secrets.apiToken,
        extra: (root) => root.route('/', createDashboard({ db, funnels, adminPassword: secrets.adminPassword, secretKey: secrets.secretKey, outboxMode: !config.SMTP_URL })),
      });
      const server: ServerType = await new Promise((resolve) => {
        const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(s));
      });
      stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.PORT;
      dashboardUrl = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}/dashboard`;
    }
    return { dashboardUrl, temporalAddress: temporal.address, temporalUiUrl: temporal.uiUrl, secrets, funnels, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
