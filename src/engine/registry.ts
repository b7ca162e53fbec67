import { planTouches, type Plan } from '../dsl/plan';
import type { Db } from '../db/database';
import { getPlanVersion, type VersionedPlan } from '../db/funnels';

/** The funnels this process serves, as loaded from `funnels/` (valid ones only). */
export class FunnelRegistry {
  private readonly byId = new Map<string, VersionedPlan>();
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

  /** Replaces the set (used when funnel files are reloaded). */
  replace(funnels: VersionedPlan[]): void {
    this.byId.clear();
    for (const f of funnels) this.byId.set(f.plan.id, f);
  }
}

/** A plan's touches as the API lists them. */
export function touchSummary(plan: Plan): Array<{ id: string; channel: string }> {
  return planTouches(plan).map((t) => ({ id: t.id, channel: t.channel }));
}
