import type { EngineDeps } from './deps';
import type { EventRow } from '../db/schema';
import { UnavailableError } from '../errors';
import { concernsNoFunnel, dispatchEvents } from './ingest-event';
import { claimContactEvents, claimEvents, releaseEvents } from './event-claims';

/** How the dispatcher works; the defaults suit one server on a small machine. */
export interface DispatcherOptions {
  /** Contacts dispatched at the same time (each one's events in order); default 16. */
  concurrency?: number;
  /** Events claimed per round; default 500. */
  batch?: number;
  /** How long a claim holds before another dispatcher may redo the events (this one died); default 60 s. */
  leaseMs?: number;
  /** How often it looks for events stored by other processes (a worker, another server) when nobody woke it; default 1 s. */
  pollMs?: number;
  /** The longest pause after Temporal could not be reached (it doubles from 500 ms); default 30 s. */
  maxBackoffMs?: number;
  /**
   * How long it lets events gather before claiming, unless the last round was full; default 20 ms. Under a stream of
   * single events one claim then takes many, instead of one claim (a transaction) per event competing with ingestion.
   */
  gatherMs?: number;
}

/**
 * Applies stored events to the ledger, conversions, workflows and entries (see `dispatchEvent`), so that accepting an
 * event never waits for Temporal. Events are claimed with a lease in the database: a dispatcher that dies leaves them
 * to be redone once the lease runs out, and several servers can share the work. A contact's events are dispatched one
 * after another in the order they were stored; different contacts in parallel, `concurrency` at a time. When Temporal
 * cannot be reached the events are given back and dispatching pauses with a growing backoff; ingestion goes on.
 */
export class EventDispatcher {
  private readonly concurrency: number;
  private readonly batch: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxBackoffMs: number;
  private readonly gatherMs: number;
  /** The contact lanes running now, by contact. */
  private readonly lanes = new Map<string, Promise<void>>();
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private pausedUntil = 0;
  private backoffMs = 0;
  /** Lanes dispatching now (the others wait for a slot). */
  private active = 0;
  private readonly slots: Array<() => void> = [];

  constructor(private readonly deps: EngineDeps, opts: DispatcherOptions = {}) {
    this.concurrency = opts.concurrency ?? 16;
    this.batch = opts.batch ?? 500;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.pollMs = opts.pollMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 30_000;
    this.gatherMs = opts.gatherMs ?? 20;
  }

  /** Starts draining in the background until `stop()`. */
  start(): this {
    if (!this.running) {
      this.running = true;
      this.loop = this.run();
    }
    return this;
  }

  /** Something was stored: look now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Dispatches a contact's pending events now, in order, after whatever this process is already doing for the
   * contact; resolves when done (or given back: Temporal unreachable, another dispatcher holds the contact). While
   * the dispatcher is paused after an outage it resolves at once and leaves the events to the dispatcher.
   */
  dispatchContact(contactId: string): Promise<void> {
    if (Date.now() < this.pausedUntil) return Promise.resolve(); // Temporal is away: the event waits, the caller does not
    return this.runLane(contactId, null);
  }

  /** Dispatches until nothing claimable is left (tests, shutdown); answers how many events were applied. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.round();
      await Promise.all(this.lanes.values());
      total += n;
      if (n === 0) return total;
    }
  }

  /** Stops the loop and waits for the lanes in flight (their events are finished, or left to their lease). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await Promise.all(this.lanes.values());
  }

  private async run(): Promise<void> {
    while (this.running) {
      const pause = this.pausedUntil - Date.now();
      if (pause > 0) {
        await this.sleep(pause);
        continue;
      }
      let claimed = 0;
      try {
        claimed = this.lanes.size < 4 * this.concurrency ? await this.round() : 0;
      } catch (err) {
        this.deps.log.warn('event dispatcher: claiming failed, trying again', { error: err });
        await this.sleep(this.pollMs);
        continue;
      }
      if (this.lanes.size >= 4 * this.concurrency) await Promise.race(this.lanes.values());
      else if (claimed === 0) await this.sleep(this.pollMs);
      if (claimed < this.batch && this.gatherMs > 0) await new Promise((r) => setTimeout(r, this.gatherMs));
    }
  }

  /** One claim: events that need nothing are marked at once, the others start (or join) their contact's lane. */
  private async round(): Promise<number> {
    const { rows, done } = await claimEvents(this.deps.db, {
      now: Date.now(), leaseMs: this.leaseMs, limit: this.batch, busy: new Set(this.lanes.keys()),
      dispatchedAt: this.deps.now(),
      needsNothing: (r) => concernsNoFunnel(this.deps, r.name),
    });
    const byContact = new Map<string, EventRow[]>();
    for (const r of rows) {
      const list = byContact.get(r.contact_id) ?? [];
      list.push(r);
      byContact.set(r.contact_id, list);
    }
    // At most a few rounds' worth of lanes wait for a slot; the other contacts' events go back at once, claimable again.
    let room = Math.max(0, 4 * this.concurrency - this.lanes.size);
    const back: string[] = [];
    for (const [contactId, list] of byContact) {
      if (room-- > 0) void this.runLane(contactId, list, true);
      else back.push(...list.map((r) => r.id));
    }
    if (back.length > 0) await releaseEvents(this.deps.db, back, Date.now());
    return done + rows.length - back.length;
  }

  /**
   * Runs a contact's lane after the one in flight: the given claimed rows, or (null) whatever it can claim now. A
   * background lane waits for one of the `concurrency` slots; one a request waits for does not.
   */
  private runLane(contactId: string, claimed: EventRow[] | null, background = false): Promise<void> {
    const before = this.lanes.get(contactId) ?? Promise.resolve();
    const lane = before.then(async () => {
      if (background) await this.acquire();
      try {
        const rows = claimed ?? await claimContactEvents(this.deps.db, contactId, { now: Date.now(), leaseMs: this.leaseMs, limit: this.batch });
        await this.dispatchInOrder(rows);
      } finally {
        if (background) this.release();
      }
    }).catch((err) => this.deps.log.error('event dispatcher: lane failed', { contact: contactId, error: err }));
    this.lanes.set(contactId, lane);
    void lane.then(() => {
      if (this.lanes.get(contactId) === lane) this.lanes.delete(contactId);
      this.wakeUp?.();
    });
    return lane;
  }

  private acquire(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.slots.push(() => { this.active += 1; resolve(); }));
  }

  private release(): void {
    this.active -= 1;
    this.slots.shift()?.();
  }

  /** Dispatches a lane's events (one contact's, in order) together: its workflows get them in as few signals as possible. */
  private async dispatchInOrder(rows: EventRow[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await dispatchEvents(this.deps, rows);
      this.backoffMs = 0;
    } catch (err) {
      const ids = rows.map((r) => r.id);
      if (err instanceof UnavailableError) {
        // Temporal is away: the events go back, claimable after the backoff, and the whole dispatcher pauses as long.
        this.backoffMs = Math.min(this.maxBackoffMs, Math.max(500, this.backoffMs * 2));
        this.pausedUntil = Date.now() + this.backoffMs;
        await releaseEvents(this.deps.db, ids, this.pausedUntil);
        this.deps.log.warn('events stored, dispatch paused: temporal unavailable', { contact: rows[0]!.contact_id, pending: ids.length, retryInMs: this.backoffMs, error: err.message });
      } else {
        // Anything else is retried when the lease runs out; the contact's later events wait, to keep their order.
        this.deps.log.error('event dispatch failed; retried after the lease', { contact: rows[0]!.contact_id, events: ids.length, error: err });
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = null;
        this.woken = false;
        done();
      };
    });
  }
}
