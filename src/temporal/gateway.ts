import { ENROLLMENT_PATCHES } from '../../workflows/patches';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { EnrollmentInput, FunnelEvent, StepPosition } from '../../workflows/types';
import { currentStepQuery, enrollSignal, eventSignal, eventsSignal } from '../../workflows/signals';
import type { BroadcastInput } from '../../workflows/broadcast';
import { UnavailableError } from '../errors';

/** The workflow id of an enrollment — a stable identifier of the public contract (re-entries add a suffix: see src/engine/reentry.ts). */
export function enrollmentWorkflowId(funnelId: string, contactId: string): string {
  return `funnel:${funnelId}:${contactId}`;
}

/** The workflow id of a broadcast. */
export function broadcastWorkflowId(broadcastId: string): string {
  return `broadcast:${broadcastId}`;
}

/** What the HTTP side needs from Temporal; tests may pass their own. */
export interface WorkflowGateway {
  /**
   * Starts the enrollment's workflow with signal-with-start; a running one with that id is left as it is. The id is the
   * enrollment row's `workflow_id` (default `enrollmentWorkflowId`; re-entries carry a suffix).
   */
  start(input: EnrollmentInput, workflowId?: string): Promise<void>;
  /** Signals an event; a workflow that has already finished is ignored. */
  signal(workflowId: string, event: FunnelEvent): Promise<void>;
  /** Signals several events, in order, in one signal (`events`); a finished workflow is ignored. Without it, one `signal` each. */
  signalMany?(workflowId: string, events: FunnelEvent[]): Promise<void>;
  /** The current step of a running workflow, or null when it is not running or no worker answers within 3 s. */
  currentStep(workflowId: string): Promise<StepPosition | null>;
  /**
   * Ends a workflow for good (the contact was erased): terminated, so no workflow code runs again, and its history
   * deleted where the server supports it. A finished or unknown workflow is fine; throws only when Temporal is unreachable.
   */
  end(workflowId: string, reason: string): Promise<void>;
  /** The latest run Temporal knows under this id (a closed one within retention), or null when there is none. */
  latestRun(workflowId: string): Promise<{ running: boolean; closedAt: number | null } | null>;
  /** Starts the workflow that runs a recorded migration (its id is `migration:<migrationId>`; starting it twice is refused by Temporal). */
  startMigration(migrationId: string): Promise<void>;
  /** Throws when Temporal cannot be reached. */
  health(): Promise<void>;
  /** Starts a broadcast's workflow (`broadcast:<id>`); starting it again while it runs is a no-op. */
  startBroadcast?(input: BroadcastInput): Promise<void>;
}

/** How long `currentStep` waits for a worker to answer the query before it says "not known". */
const QUERY_TIMEOUT_MS = 3000;

/** The gateway over a real Temporal client. */
export function createWorkflowGateway(client: Client, taskQueue: string): WorkflowGateway {
  const wrap = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw err;
      throw new UnavailableError(`temporal: ${what} failed: ${(err as Error).message}`, { cause: err });
    }
  };
  return {
    start: (input, workflowId) => wrap('start', async () => {
      await client.workflow.signalWithStart('enrollmentWorkflow', {
        workflowId: workflowId ?? enrollmentWorkflowId(input.funnelId, input.contactId),
        taskQueue,
        args: [{ ...input, patches: [...ENROLLMENT_PATCHES] }],
        signal: enrollSignal,
        signalArgs: [{ enrollmentId: input.enrollmentId }],
      });
    }),
    signal: async (workflowId, event) => {
      try {
        await wrap('signal', () => client.workflow.getHandle(workflowId).signal(eventSignal, event));
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    },
    signalMany: async (workflowId, events) => {
      try {
        await wrap('signal', () => client.workflow.getHandle(workflowId).signal(eventsSignal, events));
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    },
    currentStep: async (workflowId) => {
      try {
        // A query waits for a worker to answer; with none polling (workers down) it would hang the API request.
        return await client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => client.workflow.getHandle(workflowId).query(currentStepQuery));
      } catch {
        return null;
      }
    },
    end: async (workflowId, reason) => {
      try {
        await wrap('terminate', () => client.workflow.getHandle(workflowId).terminate(reason));
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
      // Best effort: the history holds the events' properties; a server without the call keeps it until retention ends.
      await client.workflowService.deleteWorkflowExecution({ namespace: client.options.namespace, workflowExecution: { workflowId } }).catch(() => undefined);
    },
    latestRun: async (workflowId) => {
      try {
        const d = await wrap('describe', () => client.workflow.getHandle(workflowId).describe());
        return { running: d.status.name === 'RUNNING', closedAt: d.closeTime?.getTime() ?? null };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return null;
        throw err;
      }
    },
    startBroadcast: (input) => wrap('start broadcast', async () => {
      try {
        await client.workflow.start('broadcastWorkflow', { workflowId: broadcastWorkflowId(input.broadcastId), taskQueue, args: [input] });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    }),
    startMigration: (migrationId) => wrap('start migration', async () => {
      await client.workflow.start('funnelMigrationWorkflow', { workflowId: `migration:${migrationId}`, taskQueue, args: [{ migrationId }] });
    }),
    health: () => wrap('health', async () => {
      await client.connection.workflowService.getSystemInfo({});
    }),
  };
}
