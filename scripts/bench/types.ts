import type { BenchStack } from './stack';

/** One measured figure next to its raw baseline from the same run. */
export interface Figure {
  /** What is measured, e.g. "enrollments/s via the API, 16 concurrent". */
  name: string;
  unit: string;
  /** The engine's median over the repetitions (null when not measured). */
  engine: number | null;
  /** What the baseline is, e.g. "Temporal workflow.start". */
  baselineName?: string | undefined;
  baseline?: number | null | undefined;
  /** engine / baseline (or baseline / engine for "lower is better" figures, see `lowerIsBetter`). */
  ratio?: number | null | undefined;
  /** Lateness and latencies: a smaller engine figure is better; the ratio is then engine / baseline and the target a maximum. */
  lowerIsBetter?: boolean | undefined;
  /** The target, e.g. { ratio: 0.8 } (ratio ≥ 0.8, or ≤ for lowerIsBetter) or { max: 1000 } on the engine figure. */
  target?: { ratio?: number; max?: number; min?: number; text: string } | undefined;
  /** Every repetition's raw values, for --json. */
  runs?: { engine: number[]; baseline?: number[] } | undefined;
  note?: string | undefined;
}

/** What a section gets: the run's options and the lazily started stack. */
export interface BenchContext {
  quick: boolean;
  /** Repetitions of each measurement (≥ 3). */
  reps: number;
  stack: BenchStack;
  log: (line: string) => void;
}

/** One section of the suite: its own file under scripts/bench/sections/, listed in the registry. */
export interface Section {
  id: string;
  title: string;
  /** Measures and returns its figures; a section that is not built yet returns `pending` instead. */
  run(ctx: BenchContext): Promise<{ figures: Figure[]; notes?: string[] } | { pending: string }>;
}
