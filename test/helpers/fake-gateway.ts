import type { WorkflowGateway } from '../../src/temporal/gateway';
import type { EnrollmentInput, FunnelEvent, StepPosition } from '../../workflows/types';
import type { BroadcastInput } from '../../workflows/broadcast';

/** A WorkflowGateway double: records starts and signals, answers scripted steps, fails on demand. */
export class FakeGateway implements WorkflowGateway {
  readonly starts: EnrollmentInput[] = [];
  readonly signals: Array<{ workflowId: string; event: FunnelEvent }> = [];
  /** Current step answers by workflow id; a workflow not listed answers null. */
  readonly steps = new Map<string, StepPosition>();
  /** When set, `start` throws it (and records nothing). */
  startError: Error | null = null;
  /** When set, `signal` throws it. */
  signalError: Error | null = null;
  /** When set, `health` throws it. */
  healthError: Error | null = null;
  /** Workflows ended (`end`), in order. */
  readonly ended: Array<{ workflowId: string; reason: string }> = [];
  /** When set, `end` throws it (and records nothing). */
  endError: Error | null = null;

  async start(input: EnrollmentInput): Promise<void> {
    if (this.startError) throw this.startError;
    this.starts.push(input);
  }

  async signal(workflowId: string, event: FunnelEvent): Promise<void> {
    if (this.signalError) throw this.signalError;
    this.signals.push({ workflowId, event });
  }

  /** Records each event as its own signal (through `signal`, so a test that replaces `signal` sees these too). */
  async signalMany(workflowId: string, events: FunnelEvent[]): Promise<void> {
    this.manySignals += 1;
    for (const event of events) await this.signal(workflowId, event);
  }

  /** How many `signalMany` calls were made. */
  manySignals = 0;

  async currentStep(workflowId: string): Promise<StepPosition | null> {
    return this.steps.get(workflowId) ?? null;
  }

  async end(workflowId: string, reason: string): Promise<void> {
    if (this.endError) throw this.endError;
    this.ended.push({ workflowId, reason });
  }

  async latestRun(workflowId: string): Promise<{ running: boolean; closedAt: number | null } | null> {
    return this.starts.some((s) => `funnel:${s.funnelId}:${s.contactId}` === workflowId) ? { running: true, closedAt: null } : null;
  }

  /** Broadcast workflows started, in order. */
  readonly broadcasts: BroadcastInput[] = [];

  async startBroadcast(input: BroadcastInput): Promise<void> {
    if (this.startError) throw this.startError;
    this.broadcasts.push(input);
  }

  /** Migrations started (`startMigration`), in order. */
  readonly migrations: string[] = [];

  async startMigration(migrationId: string): Promise<void> {
    if (this.startError) throw this.startError;
    this.migrations.push(migrationId);
  }

  async health(): Promise<void> {
    if (this.healthError) throw this.healthError;
  }
}
