import { decimalToMinor } from '../money/minor-units';
import { teamNotifierFromEnv } from '../handoff/index';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Config } from '../config';
import type { Logger } from '../log';
import { openMigratedDatabase, type Db } from '../db/database';
import { isPostgresUrl, redactUrl } from '../db/postgres';
import { storeFunnelVersions } from '../db/funnels';
import { loadFunnels } from '../dsl/load';
import { FunnelRegistry } from '../engine/registry';
import { EventDispatcher } from '../engine/event-dispatcher';
import { EventWriter } from '../engine/event-writer';
import { createWorkflowGateway } from '../temporal/gateway';
import { createWorker } from '../temporal/worker';
import { connectWhenReachable } from '../temporal/connect';
import { createActivities } from '../activities/index';
import { createChannels, smsWebhooks } from './channels';
import { syncWebinars, notifyWebinarMoved } from '../webinars/index';
import { ingestEvent } from '../engine/ingest-event';
import { storeObservedEvent } from '../activities/observed-event';
import { parseFrequencyCap } from '../policy/frequency-cap';
import { parseDuration } from '../dsl/duration';
import { startTelegramPolling } from '../channels/telegram/polling';
import { registerTelegramWebhook } from '../channels/telegram/webhook';
import { bounceWebhookUrl } from '../tracking/tokens';
import type { EngineDeps } from '../engine/deps';
import type { WebinarStartChange } from '../webinars/index';
import { createServerApp } from './server-app';
import { lazyPreviewRunner } from '../simulate/lazy-preview';
import { loadSecrets, type Secrets } from './secrets';
import { resolveTemporal } from './temporal';
import { startSweeps } from './sweeps';
import { startLeadership } from '../cluster/leader';

/** Which funnel owns each stored webinar: the owner keeps its webinar when another file declares the same id. */
async function webinarOwners(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('webinars').select(['id', 'funnel_id']).execute();
  return new Map(rows.map((r) => [r.id, r.funnel_id]));
}

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

/** The database of the configuration: the DATABASE_URL of PostgreSQL, a SQLite file it names, else SQLite in DATA_DIR. */
export function databaseTarget(config: Config): string {
  const url = config.DATABASE_URL;
  if (!url) return join(config.DATA_DIR, 'autofunnel.sqlite');
  if (isPostgresUrl(url)) return url;
  return url.replace(/^sqlite:(\/\/)?/, '').replace(/^file:(\/\/)?/, '');
}

/** How Telegram updates reach this server: explicit, or a webhook when PUBLIC_URL is https, else long polling. */
function telegramUpdates(config: Config): 'webhook' | 'polling' | 'off' {
  return config.TELEGRAM_UPDATES ?? (config.PUBLIC_URL.startsWith('https://') ? 'webhook' : 'polling');
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

    const target = databaseTarget(config);
    const db = await openMigratedDatabase(target);
    stops.push(() => db.destroy());
    log.info('database ready', isPostgresUrl(target) ? { postgres: redactUrl(target) } : { file: target });

    const funnels = new FunnelRegistry();
    let webinarChanges: WebinarStartChange[] = [];
    if (mode !== 'worker') {
      const loaded = await loadFunnels(config.FUNNELS_DIR, { telegramBot: Boolean(config.TELEGRAM_BOT_TOKEN), vkCommunity: Boolean(config.VK_GROUP_ID), webinarOwners: await webinarOwners(db) });
      for (const p of loaded.problems) log.error(`funnel refused: ${p.text}`);
      for (const w of loaded.warnings) log.warn(w.text);
      const valid = loaded.funnels.map((f) => ({ plan: f.plan, version: f.version }));
      await storeFunnelVersions(db, valid);
      const synced = await syncWebinars(db, valid.map((f) => f.plan), Date.now());
      for (const p of synced.problems) log.error(`webinar refused: ${p.funnel}/${p.area ?? p.step}: ${p.message} — ${p.fix}`);
      // What was refused stays visible on the dashboard (a red banner) until the files are fixed and the engine restarts.
      funnels.replace(valid, [
        ...loaded.problems.map((p) => ({ file: p.file, funnelIds: p.funnelIds ?? [], text: p.text })),
        ...synced.problems.map((p) => ({ file: null, funnelIds: [p.funnel], text: `${p.funnel}/${p.area ?? p.step}: ${p.message} — ${p.fix}` })),
      ]);
      webinarChanges = synced.changed;
      log.info('funnels loaded', { count: valid.length, funnels: valid.map((f) => `${f.plan.id}@${f.version}`).join(',') || '-' });
    }

    const channels = await createChannels(config, db, log, secrets.secretKey, secrets.vapid);
    stops.push(() => channels.close());
    // Events the worker observes (telegram.blocked) are dispatched at once when this process also serves the API.
    let engineDeps: EngineDeps | undefined;

    let worker: Worker | undefined;
    if (mode !== 'server') {
      const connection = await connectWhenReachable(temporal.address, () => NativeConnection.connect({ address: temporal.address }), log);
      const sendDeps = {
        db, email: channels.email, sms: channels.sms, telegram: channels.telegram, push: channels.push, vk: channels.vk, mailFrom: config.MAIL_FROM,
        publicUrl: config.PUBLIC_URL, secretKey: secrets.secretKey, telegramBot: channels.botUsername, vkCommunity: channels.vkCommunity,
        frequencyCap: parseFrequencyCap(config.FREQUENCY_CAP, (d) => parseDuration(d) ?? null),
        staffTasks: config.STAFF_TASK_WEBHOOK_URL ? { webhookUrl: config.STAFF_TASK_WEBHOOK_URL, publicUrl: config.PUBLIC_URL } : undefined,
      };
      const activities = createActivities({
        ...sendDeps,
        // Reads each version's content once per process; a migration's run asks enrollments through this connection.
        plans: (funnelId, version) => funnels.planAt(db, funnelId, version),
        temporal: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
        webhookSecret: config.WEBHOOK_SECRET,
        team: teamNotifierFromEnv(config, { email: channels.email, telegram: channels.telegram }, config.PUBLIC_URL),
        emit: async (contactId, name, properties, idempotencyKey) => {
          if (engineDeps) await ingestEvent(engineDeps, { contactId, name, properties, idempotencyKey });
          else await storeObservedEvent(sendDeps, contactId, name, properties, idempotencyKey);
        },
      });
      worker = await createWorker({ connection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, activities, cachedWorkflows: config.WORKER_CACHED_WORKFLOWS });
      const running = worker.run();
      stops.push(async () => {
        if (worker!.getState() === 'RUNNING') worker!.shutdown();
        await running;
        await connection.close();
      });
      running.catch((err) => log.error('worker stopped with an error', { error: err }));
      log.info('worker running', { taskQueue: config.TEMPORAL_TASK_QUEUE });
    }

    let dashboardUrl: string | null = null;
    if (mode !== 'worker') {
      const connection = await connectWhenReachable(temporal.address, () => Connection.connect({ address: temporal.address }), log);
      stops.push(() => connection.close());
      const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
      const core: EngineDeps = { db, gateway: createWorkflowGateway(client, config.TEMPORAL_TASK_QUEUE), funnels, log, now: Date.now };
      // Stored events (the API's, the worker's, those a crash or an outage left) reach the workflows through it.
      const dispatcher = new EventDispatcher(core).start();
      stops.push(() => dispatcher.stop());
      const deps: EngineDeps = { ...core, dispatcher, eventWriter: new EventWriter(db) };
      engineDeps = deps;
      for (const c of webinarChanges) await notifyWebinarMoved(deps, c.webinarId, c.to);
      const updates = channels.bot ? telegramUpdates(config) : 'off';
      const greeting = { startReply: config.TELEGRAM_START_REPLY, askPhone: config.TELEGRAM_ASK_PHONE === 'true' || config.TELEGRAM_ASK_PHONE === '1' };
      const trustProxy = config.TRUST_PROXY === 'true' || config.TRUST_PROXY === '1';
      const testSend = {
        email: channels.email, sms: channels.sms, telegram: channels.telegram, mailFrom: config.MAIL_FROM,
        publicUrl: config.PUBLIC_URL, secretKey: secrets.secretKey, telegramBot: channels.botUsername,
      };
      const app = createServerApp(deps, {
        apiToken: secrets.apiToken, secretKey: secrets.secretKey, adminPassword: secrets.adminPassword, publicUrl: config.PUBLIC_URL, trustProxy,
        telegram: channels.bot ? { channel: channels.bot, username: channels.botUsername, webhook: updates === 'webhook', greeting } : undefined,
        smsWebhooks: smsWebhooks(config, deps, secrets.secretKey),
        vk: config.VK_GROUP_ID && config.VK_CONFIRMATION
          ? { groupId: config.VK_GROUP_ID, confirmation: config.VK_CONFIRMATION, secret: config.VK_CALLBACK_SECRET } : undefined,
        outboxChannels: channels.outbox, testSend, pushKey: secrets.vapid.publicKey,
        messageCosts: { email: decimalToMinor(config.EMAIL_MESSAGE_COST), telegram: decimalToMinor(config.TELEGRAM_MESSAGE_COST) },
        preview: lazyPreviewRunner({
          publicUrl: config.PUBLIC_URL, mailFrom: config.MAIL_FROM, telegramBot: channels.botUsername,
          frequencyCap: parseFrequencyCap(config.FREQUENCY_CAP, (d) => parseDuration(d) ?? null),
        }),
      });
      if (channels.bot && updates === 'webhook') {
        await registerTelegramWebhook(channels.bot.api, `${config.PUBLIC_URL}/webhooks/telegram`, secrets.secretKey);
        log.info('telegram updates by webhook', { url: `${config.PUBLIC_URL}/webhooks/telegram` });
      }
      // One server among all leads: it polls Telegram (when polling) and runs the sweeps; another takes over when it dies.
      // With the embedded dev server this process is the only one (its Temporal is its own), so it leads without a lease.
      let firstLead = true;
      const leadership = startLeadership({
        db, log, ttlMs: config.LEADER_LEASE_MS, alone: Boolean(temporal.embedded),
        work: async () => {
          const stopSweeps = await startSweeps(deps, { firstGraceMs: firstLead ? 0 : 60_000 });
          firstLead = false;
          if (!(channels.bot && updates === 'polling')) return stopSweeps;
          const poller = startTelegramPolling({ ...deps, secretKey: secrets.secretKey, channel: channels.bot, greeting });
          log.info('telegram updates by long polling (set PUBLIC_URL to https for a webhook)');
          return async () => { await poller.stop(); await stopSweeps(); };
        },
      });
      stops.push(() => leadership.stop());
      await leadership.ready;
      log.info('bounce webhook for your mail provider', { url: bounceWebhookUrl(config.PUBLIC_URL, secrets.secretKey) });
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
