import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../db/database';
import type { Logger } from '../log';
import { acquireLease, releaseLease } from '../db/leases';

/** The lease name of the process that polls Telegram and runs the periodic sweeps. */
export const LEADER_LEASE = 'leader';

/** Default lease length: a dead leader's work resumes on another server this long after it died, at most. */
export const DEFAULT_LEADER_LEASE_MS = 15_000;

/** Starts the leader's work; answers how to stop it. */
export type LeaderWork = () => Promise<() => Promise<void>>;

/** Options of a leadership. */
export interface LeadershipOptions {
  db: Db;
  log: Logger;
  /** Started when this process becomes the leader, stopped when it is no longer. */
  work: LeaderWork;
  ttlMs?: number | undefined;
  /** This process is the only one by construction (the embedded dev server): it leads at once, without a lease. */
  alone?: boolean | undefined;
  /** Who this process is in the lease row; default host:pid:random. */
  holder?: string | undefined;
  now?: () => number;
}

/** A process's part in the leader election. */
export interface Leadership {
  readonly holder: string;
  /** Settles after the first try for the lease (and the work's start when it was won). */
  readonly ready: Promise<void>;
  isLeader(): boolean;
  /** Stops the work and the renewals; `release` (default) frees the lease at once, else it runs out as a crash's would. */
  stop(opts?: { release?: boolean }): Promise<void>;
}

/**
 * One leader among every server on the database: each tries the lease every third of its length; the holder renews
 * it and runs `work`; a holder that cannot renew within the lease (the database is unreachable) stops its work before
 * the lease can pass to another, so two leaders never overlap while the clocks agree.
 */
export function startLeadership(opts: LeadershipOptions): Leadership {
  const ttl = opts.ttlMs ?? DEFAULT_LEADER_LEASE_MS;
  const now = opts.now ?? Date.now;
  const holder = opts.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let stopWork: (() => Promise<void>) | null = null;
  let renewedAt = Number.NEGATIVE_INFINITY;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> = Promise.resolve();

  const stepDown = async (why: string) => {
    if (!stopWork) return;
    const stop = stopWork;
    stopWork = null;
    opts.log.info('leader: stepping down', { holder, why });
    await stop().catch((err: unknown) => opts.log.error('leader: stopping the work failed', { error: err }));
  };

  const tick = async () => {
    const at = now();
    let held: boolean;
    try {
      held = opts.alone ? true : await acquireLease(opts.db, LEADER_LEASE, holder, ttl, at);
    } catch (err) {
      opts.log.warn('leader: lease not renewed', { error: err });
      // Stop a little before the lease runs out, so the next leader never overlaps with this one.
      if (now() - renewedAt > ttl * 0.8) await stepDown('lease could not be renewed');
      return;
    }
    if (stopped) return;
    if (!held) return stepDown('another server holds the lease');
    renewedAt = at;
    if (stopWork) return;
    opts.log.info('leader: this process leads (Telegram updates, sweeps)', { holder });
    try {
      stopWork = await opts.work();
    } catch (err) {
      opts.log.error('leader: starting the work failed', { error: err });
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => { ticking = tick().finally(schedule); }, Math.max(100, Math.floor(ttl / 3)));
  };
  ticking = tick().finally(schedule);
  const ready = ticking;

  return {
    holder,
    ready,
    isLeader: () => stopWork !== null,
    async stop({ release = true } = {}) {
      stopped = true;
      clearTimeout(timer);
      await ticking;
      await stepDown('stopping');
      if (release && !opts.alone) await releaseLease(opts.db, LEADER_LEASE, holder).catch(() => undefined);
    },
  };
}
