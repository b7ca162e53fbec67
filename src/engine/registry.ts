import { touchesOf, type Plan } from '../dsl/plan';
import type { VersionedPlan } from '../db/funnels';

/** The funnels this process serves, as loaded from `funnels/` (valid ones only). */
export class FunnelRegistry {
  private readonly byId = new Map<string, VersionedPlan>();

  constructor(funnels: VersionedPlan[] = []) {
    for (const f of funnels) this.byId.set(f.plan.id, f);
  }

  /** The current version of a funnel, or undefined. */
  get(id: string): VersionedPlan | undefined {
    return this.byId.get(id);
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
  return touchesOf(plan.steps).map((t) => ({ id: t.id, channel: t.type }));
}
