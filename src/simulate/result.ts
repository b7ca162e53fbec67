/** A rendered message as the customer got it (for the HTML report). */
export interface SimMessage {
  channel: string;
  recipient: string;
  subject?: string;
  html?: string;
  text?: string;
  buttons?: Array<Array<{ text: string; url?: string; callbackData?: string }>>;
  /** SMS parts billed. */
  segments?: number;
  encoding?: string;
}

/** One line of a persona's timeline. */
export interface TimelineEntry {
  /** The moment, ISO UTC. */
  at: string;
  /** The persona's wall-clock time: `2027-03-01 10:00`. */
  local: string;
  /** Days since the enrollment day, in the persona's zone. */
  day: number;
  weekday: string;
  step: string;
  /** The channel actually used (after fallbacks); the planned one for a skip. */
  channel: string;
  /** `answered`: the persona's answer to an ask was recorded (its value in `subject`, channel `answer`). */
  status: 'sent' | 'outbox' | 'skipped' | 'deferred' | 'held_out' | 'failed' | 'viewed' | 'answered';
  reason?: string;
  subject?: string;
  /** For `deferred`: when the send was due again. */
  until?: string;
  untilLocal?: string;
  /** Channels tried first and why they could not be used (`telegram: no_address`). */
  fallbacks?: string[];
  message?: SimMessage;
}

/** How the persona's enrollment ended. */
export interface SimOutcome {
  status: 'converted' | 'exited' | 'completed' | 'failed';
  /** The workflow's reason (`goal`, `exit:<step>`, `completed`, …) or the failure. */
  reason: string;
  /** Touches that reached the persona (until the conversion, for a converted one). */
  touches: number;
  /** Where it ended: the step of the conversion or of the exit. */
  step?: string | null;
  at?: string;
}

/** One thing the persona was to do, and what became of it. */
export interface ActionOutcome {
  label: string;
  event: string;
  status: 'done' | 'failed' | 'never';
  at?: string;
  local?: string;
  /** The enrollment's step when it happened. */
  step?: string | null;
  reason?: string;
  where?: string;
}

/** One persona's run. */
export interface PersonaResult {
  name: string;
  about?: string;
  timezone: string;
  outcome: SimOutcome;
  timeline: TimelineEntry[];
  actions: ActionOutcome[];
  /** The variant each split sent the persona down (forced or picked). */
  variants: Record<string, string>;
  /** Touches that reached the persona, per channel actually used. */
  touchesByChannel: Record<string, number>;
}

/** What a simulation answers; `--json` prints it without the message bodies. */
export interface SimulationResult {
  funnelId: string;
  version: string;
  name: string;
  start: string;
  personas: PersonaResult[];
  /** Wall time of the run in ms, test-server start included. */
  wallMs: number;
}

/** The result as `--json` prints it: everything but the rendered message bodies. */
export function jsonResult(r: SimulationResult): unknown {
  return {
    ...r,
    personas: r.personas.map((p) => ({ ...p, timeline: p.timeline.map(({ message: _m, ...rest }) => rest) })),
  };
}
