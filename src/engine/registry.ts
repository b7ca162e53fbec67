import { planTouches, type Plan } from '../dsl/plan';
import type { Db } from '../db/database';
import { getPlanVersion, type VersionedPlan } from '../db/funnels';

/** Something of the funnel files the engine did not accept at start: a file, a funnel or a webinar, with the message. */
export interface Refusal {
  /** The file, when the refusal is about one. */
  file: string | null;
  /** The funnels it concerns (the refused one first; for a clash also the one that kept the webinar). */
  funnelIds: string[];
  /** The message, as `npm run check` prints it. */
  text: string;
}

/** The funnels this process serves, as loaded from `funnels/` (valid ones only), and what was refused on the way. */
export class FunnelRegistry {
  private readonly byId = new Map<string, VersionedPlan>();
  private refused: Refusal[] = [];
  /** Stored versions read so far; a version's content never changes, so they never go stale. */
  private readonly stored = new Map<string, Promise<Plan>>();

  constructor(funnels: VersionedPlan[] = []) {
    for (const f of funnels) this.byId.set(f.plan.id, f);
  }

  /** The current version of a funnel, or undefined. */
  get(id: string): VersionedPlan | undefined {
    return this.byId.get(id);
  }

  /** The plan an enrollment is pinned to: the current one when the version matches, else the stored version (read once). */
  planAt(db: Db, funnelId: string, version: string): Promise<Plan> {
    const current = this.byId.get(funnelId);
    if (current?.version === version) return Promise.resolve(current.plan);
    const key = `${funnelId}@${version}`;
    let plan = this.stored.get(key);
    if (!plan) {
      plan = getPlanVersion(db, funnelId, version);
      plan.catch(() => this.stored.delete(key));
      this.stored.set(key, plan);
    }
    return plan;
  }

  /** Every funnel, in id order. */
  all(): VersionedPlan[] {
    return [...this.byId.values()].sort((a, b) => a.plan.id.localeCompare(b.plan.id));
  }

  /** Funnels a given event enrolls into. */
  enteredBy(eventName: string): VersionedPlan[] {
    return this.all().filter((f) => f.plan.entry === eventName);
  }

  /** Replaces the set (used when funnel files are reloaded); `refusals` replaces what was refused, when given. */
  replace(funnels: VersionedPlan[], refusals?: Refusal[]): void {
    this.byId.clear();
    for (const f of funnels) this.byId.set(f.plan.id, f);
    if (refusals) this.refused = [...refusals];
  }

  /** Everything refused at the last load: kept so the dashboard can say so until the files are fixed and reloaded. */
  refusals(funnelId?: string): Refusal[] {
    return funnelId === undefined ? [...this.refused] : this.refused.filter((r) => r.funnelIds.includes(funnelId));
  }
}

/** A plan's touches as the API lists them: id, the channel it goes out on first, and what kind of touch it is. */
export function touchSummary(plan: Plan): Array<{ id: string; channel: string; type: string }> {
  return planTouches(plan).map((t) => ({ id: t.id, channel: t.channel, type: t.type }));
}
