import type { PreviewRunner } from './preview';
import type { SimulationOptions } from './run';

/** A preview runner that loads the simulator (and the Temporal test tooling) only when a preview is first asked for. */
export function lazyPreviewRunner(options: Omit<SimulationOptions, 'start' | 'progress'> = {}): PreviewRunner {
  let runner: Promise<PreviewRunner> | undefined;
  return async (funnel) => {
    runner ??= import('./preview').then((m) => m.createPreviewRunner(options));
    return (await runner)(funnel);
  };
}
