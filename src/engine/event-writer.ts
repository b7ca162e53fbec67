import type { Db } from '../db/database';
import { storeEvent, type StoredEvent, type StoredEventInput } from './store-event';
import { NotFoundError } from '../errors';

interface Pending {
  input: StoredEventInput;
  now: number;
  settled: boolean;
  resolve: (stored: StoredEvent) => void;
  reject: (err: unknown) => void;
}

/**
 * Stores single events with group commit: the events of requests that arrive while the previous commit runs (or in
 * the same turn of the event loop) go into one transaction, and each request is answered once its event is committed.
 * A commit per request wrote five index pages and a WAL frame for every event; one per group writes them once. An
 * unknown contact fails only its own event; any other error fails the group's events (none of them is stored).
 */
export class EventWriter {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(private readonly db: Db, private readonly maxGroup = 500) {}

  /** Stores the event as `storeEvent` does; resolves once it is committed. */
  store(input: StoredEventInput, now: number, settled = false): Promise<StoredEvent> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, now, settled, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, this.maxGroup);
      const outcomes: Array<{ ok: StoredEvent } | { err: unknown }> = [];
      try {
        await this.db.transaction().execute(async (trx) => {
          for (const p of group) {
            try {
              outcomes.push({ ok: await storeEvent(trx, p.input, p.now, p.settled) });
            } catch (err) {
              if (!(err instanceof NotFoundError)) throw err;
              outcomes.push({ err });
            }
          }
        });
      } catch (err) {
        for (const p of group) p.reject(err);
        continue;
      }
      group.forEach((p, i) => {
        const o = outcomes[i]!;
        if ('ok' in o) p.resolve(o.ok);
        else p.reject(o.err);
      });
    }
    this.scheduled = false;
  }
}
