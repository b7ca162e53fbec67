import { expect } from 'vitest';
import type { VersionedPlan } from '../../src/db/funnels';
import { loadFunnels } from '../../src/dsl/load';

/** One of the example funnels in `funnels/`, loaded the way the engine loads it; every example must load cleanly. */
export async function loadExampleFunnel(id: string): Promise<VersionedPlan> {
  const loaded = await loadFunnels('funnels');
  expect(loaded.problems).toEqual([]);
  const f = loaded.funnels.find((x) => x.plan.id === id);
  if (!f) throw new Error(`${id} not loaded from funnels/`);
  return { plan: f.plan, version: f.version };
}
