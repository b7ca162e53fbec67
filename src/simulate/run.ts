import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, WorkflowFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { VersionedPlan } from '../db/funnels';
import type { EngineDeps } from '../engine/deps';
import type { EnrollmentOutcome } from '../../workflows/types';
import type { PersonaDriverInput, PersonaDriverResult } from '../../workflows/persona-driver';
import type { FrequencyCap } from '../policy/frequency-cap';
import type { SimPersona } from './personas';
import type { PersonaResult, SimulationResult } from './result';
import { openMigratedDatabase } from '../db/database';
import { storeFunnelVersions } from '../db/funnels';
import { upsertContact } from '../db/contacts';
import { FunnelRegistry } from '../engine/registry';
import { enroll } from '../engine/enroll';
import { ingestEvent } from '../engine/ingest-event';
import { createWorkflowGateway, enrollmentWorkflowId } from '../temporal/gateway';
import { syncWebinars } from '../webinars/sync-webinars';
import { createEmailOutbox, createSmsOutbox, createTelegramOutbox } from '../channels/outbox';
import { silentLogger } from '../log';
import { SimulationInputError } from '../errors';
import { enrollmentEndedSignal } from '../../workflows/persona-driver';
import { fnv1a } from '../../workflows/hash';
import { createSimulationActivities, simulationClock, type SimulationContext } from './sim-activities';
import { startSimulationServer } from './sim-server';
import { readTimeline } from './timeline';
import { actionOutcomes, personaOutcome, reachedTouch } from './outcome';

/** How a simulation runs: its virtual start, the settings messages are rendered with, where progress goes. */
export interface SimulationOptions {
  /** The virtual enrollment moment (epoch ms, in the future). */
  start: number;
  publicUrl?: string;
  mailFrom?: string;
  /** The bot's username for `{{ links.telegram }}` (null: no bot, as in production without TELEGRAM_BOT_TOKEN). */
  telegramBot?: string | null;
  frequencyCap?: FrequencyCap | undefined;
  progress?: (line: string) => void;
  /** Real seconds the personas may take before the run is stopped (a workflow task that keeps failing never ends); default 120 s. */
  realTimeLimitMs?: number;
}

const TASK_QUEUE = 'simulate';

/** `work`, unless it takes longer than `ms` of real time: then the workflows are terminated and the run fails saying so. */
async function withinRealTime<T>(ms: number, workflowIds: string[], client: Client, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the personas did not finish within ${Math.round(ms / 1000)} s of real time (a workflow task may keep failing)`)), ms);
  });
  try {
    return await Promise.race([work, limit]);
  } catch (err) {
    await Promise.all(workflowIds.map((id) => client.workflow.getHandle(id).terminate('simulation stopped').catch(() => undefined)));
    work.catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs personas through a funnel with the real workflow and activities on the time-skipping test server, against a
 * throwaway SQLite database with every channel in the dev outbox (all removed afterwards), and reads each persona's
 * ledger back as a timeline in its own zone. Personas run concurrently in one virtual clock.
 */
export async function simulate(funnel: VersionedPlan, personas: SimPersona[], opts: SimulationOptions): Promise<SimulationResult> {
  const began = Date.now();
  const say = opts.progress ?? (() => undefined);
  const { plan } = funnel;
  const dir = mkdtempSync(join(tmpdir(), 'autofunnel-simulate-'));
  const server = startSimulationServer(say);
  server.catch(() => undefined);
  const db = await openMigratedDatabase(join(dir, 'simulation.sqlite'));
  try {
    await storeFunnelVersions(db, [funnel], opts.start);
    const synced = await syncWebinars(db, [plan], opts.start);
    if (synced.problems.length > 0) throw new SimulationInputError('webinars refused', synced.problems.map((p) => `${plan.id}/${p.area ?? p.step}: ${p.message}`));
    const { env, bundle } = await server;
    const client = new Client({ connection: env.connection, namespace: 'default' });
    const forced = new Map<string, Record<string, string>>();
    const real = createWorkflowGateway(client, TASK_QUEUE);
    const deps: EngineDeps = {
      db, funnels: new FunnelRegistry([funnel]), log: silentLogger, now: simulationClock(() => opts.start),
      gateway: { ...real, start: (input) => real.start({ ...input, ...(forced.has(input.contactId) && { forcedVariants: forced.get(input.contactId)! }) }) },
    };
    const publicUrl = opts.publicUrl ?? 'http://127.0.0.1:3000';
    const secretKey = randomBytes(24).toString('hex');
    const ctx: SimulationContext = { plan, deps: { ...deps, secretKey, publicUrl }, client, personas: [], actions: [] };
    const activities = createSimulationActivities(ctx, {
      db, email: createEmailOutbox(db), sms: createSmsOutbox(db), telegram: createTelegramOutbox(db),
      mailFrom: opts.mailFrom ?? 'autofunnel <noreply@localhost>', publicUrl, secretKey, telegramBot: opts.telegramBot ?? null,
      frequencyCap: opts.frequencyCap,
      emit: async (contactId, name, properties, idempotencyKey) => { await ingestEvent(deps, { contactId, name, properties, idempotencyKey }); },
    });
    const worker = await Worker.create({
      connection: env.nativeConnection, namespace: 'default', taskQueue: TASK_QUEUE, workflowBundle: bundle, activities,
    });
    say(`running ${personas.length} persona(s) through ${plan.id} from ${new Date(opts.start).toISOString()}`);
    const finished = await worker.runUntil(async () => {
      const now = await env.currentTimeMs();
      if (opts.start <= now) throw new SimulationInputError(`the start ${new Date(opts.start).toISOString()} is not in the future`);
      await env.sleep(opts.start - now);
      for (const [i, persona] of personas.entries()) {
        // The contact id follows from the persona's name, so split picks and holdouts are the same on every run.
        const { contact } = await upsertContact(db, persona.contact, 'simulate', opts.start, `ct_persona_${fnv1a(persona.name).toString(16).padStart(8, '0')}`);
        const running = { persona, contactId: contact.id, driverId: `simulate:persona:${i}`, enrollmentWorkflowId: enrollmentWorkflowId(plan.id, contact.id) };
        ctx.personas.push(running);
        if (Object.keys(persona.variants).length > 0) forced.set(contact.id, persona.variants);
        const input: PersonaDriverInput = { persona: i, enrolledAt: opts.start, actions: persona.actions.map(({ index, anchor, touchId, delayMs }) => ({ index, anchor, delayMs, ...(touchId !== undefined && { touchId }) })) };
        await client.workflow.start('personaDriverWorkflow', { workflowId: running.driverId, taskQueue: TASK_QUEUE, args: [input] });
        const trigger = plan.entry === null ? null : await ingestEvent(deps, { contactId: contact.id, name: plan.entry, properties: { source: 'simulate' } });
        const row = trigger ? await db.selectFrom('events').selectAll().where('id', '=', trigger.id).executeTakeFirst() : undefined;
        await enroll(deps, plan.id, contact.id, row ?? null);
      }
      await env.connection.testService!.unlockTimeSkipping({});
      try {
        return await withinRealTime(opts.realTimeLimitMs ?? 120_000, ctx.personas.flatMap((p) => [p.enrollmentWorkflowId, p.driverId]), client, Promise.all(ctx.personas.map(async (p) => {
          let result: EnrollmentOutcome | { error: string };
          try {
            result = (await client.workflow.getHandle(p.enrollmentWorkflowId).result()) as EnrollmentOutcome;
          } catch (err) {
            result = { error: err instanceof WorkflowFailedError ? `workflow failed: ${err.cause?.message ?? err.message}` : (err as Error).message };
            await client.workflow.getHandle(p.driverId).signal(enrollmentEndedSignal, { at: 0 }).catch(() => undefined);
          }
          const driver = (await client.workflow.getHandle(p.driverId).result()) as PersonaDriverResult;
          say(`${p.persona.name}: ${'error' in result ? result.error : `${result.status} (${result.reason})`}`);
          return { result, driver };
        })));
      } finally {
        await env.connection.testService!.lockTimeSkipping({});
      }
    });

    const results: PersonaResult[] = [];
    for (const [i, p] of ctx.personas.entries()) {
      const zone = p.persona.contact.timezone ?? plan.timezone;
      const enrollment = await db.selectFrom('enrollments').selectAll().where('contact_id', '=', p.contactId).where('funnel_id', '=', plan.id).executeTakeFirst();
      const timeline = enrollment ? await readTimeline(db, enrollment.id, zone, opts.start) : [];
      const { result, driver } = finished[i]!;
      const splits = enrollment ? await db.selectFrom('split_assignments').select(['split_id', 'variant_id']).where('enrollment_id', '=', enrollment.id).orderBy('at').execute() : [];
      const touchesByChannel: Record<string, number> = {};
      for (const e of timeline.filter(reachedTouch)) touchesByChannel[e.channel] = (touchesByChannel[e.channel] ?? 0) + 1;
      results.push({
        name: p.persona.name, ...(p.persona.about !== undefined && { about: p.persona.about }), timezone: zone,
        outcome: personaOutcome({ result, enrollment, timeline, actions: ctx.actions.filter((a) => a.persona === i), goalEvent: plan.goal.event }),
        timeline, actions: actionOutcomes(p.persona, i, ctx.actions, driver, zone, opts.start),
        variants: Object.fromEntries(splits.map((s) => [s.split_id, s.variant_id])), touchesByChannel,
      });
    }
    return { funnelId: plan.id, version: funnel.version, name: plan.name, start: new Date(opts.start).toISOString(), personas: results, wallMs: Date.now() - began };
  } finally {
    await db.destroy().catch(() => undefined);
    await (await server.catch(() => null))?.env.teardown().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
