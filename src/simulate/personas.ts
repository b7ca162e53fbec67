import { z, type core } from 'zod';
import type { ActionAnchor } from '../../workflows/persona-driver';
import { ContactInput } from '../contacts/input';
import { EventName } from '../dsl/plan';
import { parseDuration } from '../dsl/duration';

const DURATION_HINT = 'write it like 0, 30m, 2h, 1d or 1d12h';

/** A duration in a personas file: `30m`, `2h`, `1d12h`, milliseconds, or 0 (at once). */
export const PersonaDuration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  if (v === 0 || (typeof v === 'string' && /^\s*0\s*$/.test(v))) return 0;
  const ms = parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a duration — ${DURATION_HINT}` });
    return z.NEVER;
  }
  return ms;
});

/**
 * One thing a persona does — an event, or the answer to the ask it follows (`answer`) — `wait` after a touch reached it
 * (`after`), or `at` a time after its enrollment.
 */
export const PersonaAction = z.object({
  after: z.string().min(1).optional(),
  wait: PersonaDuration.optional(),
  at: PersonaDuration.optional(),
  event: EventName.optional(),
  /** The answer to the ask named by `after`: an option id, a number of its scale, or (free text) what the persona writes. */
  answer: z.union([z.string().min(1), z.number().finite()]).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  value: z.number().finite().optional(),
}).strict().superRefine((a, ctx) => {
  if ((a.event === undefined) === (a.answer === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'say what the persona does: event: <name>, or answer: <option id | number | text> after an ask' });
  }
  if (a.answer !== undefined && a.after === undefined) {
    ctx.addIssue({ code: 'custom', path: ['answer'], message: 'an answer goes with after: <ask id> — the question it answers' });
  }
  if ((a.after === undefined) === (a.at === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'say when: either after: <touch id> (with an optional wait) or at: <duration after enrollment>' });
  }
  if (a.at !== undefined && a.wait !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['wait'], message: 'wait goes with after:, not with at: — put the whole delay into at:' });
  }
});
export type PersonaAction = z.infer<typeof PersonaAction>;

/** One persona of a personas file: a name, a contact as `POST /api/contacts` takes it, forced split variants, its actions. */
export const Persona = z.object({
  name: z.string().trim().min(1, 'a persona needs a name').max(100),
  contact: ContactInput,
  variants: z.record(z.string(), z.string()).optional(),
  does: z.array(PersonaAction).optional(),
}).strict();
export type Persona = z.infer<typeof Persona>;

/** A persona as far as it could be read: a contact or an action that failed its own checks is null, the rest still get checked. */
export type ParsedPersona = Omit<Persona, 'does' | 'contact'> & { contact: ContactInput | null; does?: Array<PersonaAction | null> };

/** A schema problem at a path inside the file (`[2, 'does', 0, 'wait']`). */
export interface SchemaIssue {
  path: Array<string | number>;
  issue: core.$ZodIssue;
}

const PersonaShell = Persona.extend({ contact: z.unknown(), does: z.array(z.unknown()).optional() });

/**
 * Validates a personas file (a list) persona by persona and action by action, so one run lists every problem:
 * a persona whose own fields fail is null, an action that fails is null inside its persona.
 */
export function parsePersonas(data: unknown): { personas: Array<ParsedPersona | null>; issues: SchemaIssue[] } {
  const issues: SchemaIssue[] = [];
  const at = (prefix: Array<string | number>, list: core.$ZodIssue[]) => {
    for (const issue of list) issues.push({ path: [...prefix, ...issue.path.map((x) => (typeof x === 'symbol' ? String(x) : x))], issue });
  };
  if (!Array.isArray(data) || data.length === 0) {
    const message = Array.isArray(data) ? 'the file lists no personas' : 'a personas file is a list: - name: …, contact: { … }, does: [ … ]';
    return { personas: [], issues: [{ path: [], issue: { code: 'custom', path: [], message, input: data } as core.$ZodIssue }] };
  }
  const personas = data.map((raw, i): ParsedPersona | null => {
    const shell = PersonaShell.safeParse(raw);
    const does = Array.isArray((raw as { does?: unknown } | null)?.does) ? ((raw as { does: unknown[] }).does) : [];
    const actions = does.map((a, k) => {
      const parsed = PersonaAction.safeParse(a);
      if (!parsed.success) at([i, 'does', k], parsed.error.issues);
      return parsed.success ? parsed.data : null;
    });
    const contact = ContactInput.safeParse((raw as { contact?: unknown } | null)?.contact);
    if (!contact.success) at([i, 'contact'], contact.error.issues);
    if (!shell.success) {
      at([i], shell.error.issues.filter((x) => x.path[0] !== 'contact' || x.code !== 'invalid_type' || contact.success));
      return null;
    }
    return { ...shell.data, contact: contact.success ? contact.data : null, does: actions };
  });
  return { personas, issues };
}

/** An action ready for the driver: its anchor and delay, the event, and how the file wrote it (for messages). */
export interface SimAction {
  index: number;
  anchor: ActionAnchor;
  touchId?: string;
  delayMs: number;
  event: string;
  /** For wildcard anchors: the event is `<the touch that reached the persona>.<touchEvent>` instead of `event`. */
  touchEvent?: 'opened' | 'clicked';
  properties: Record<string, unknown>;
  value?: number;
  /** How the action reads in the output: `after invite + 2h: invite.clicked`. */
  label: string;
  /** `file:line` where the action is written, when it comes from a file. */
  where?: string;
}

/** A persona ready to simulate. */
export interface SimPersona {
  name: string;
  /** What a built-in persona does, in a few words. */
  about?: string;
  /** Built-in personas: `silent`, `engaged`, `buyer`. */
  builtin?: 'silent' | 'engaged' | 'buyer';
  contact: ContactInput;
  variants: Record<string, string>;
  actions: SimAction[];
}
