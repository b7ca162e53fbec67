import { z } from 'zod';
import { LOGGED_TOUCH_KINDS, type LoggedTouchKind } from '../db/schema';
import { TOUCH_CONDITION_STATUSES } from '../../workflows/touch-events';

/** A scalar a condition or event filter can compare with. */
export const Scalar = z.union([z.string(), z.number(), z.boolean()]);
export type Scalar = z.infer<typeof Scalar>;

const StepId = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'step ids are letters, digits, "-" and "_"');
/** An event name as funnels and the API write it: `order.paid`, `lesson-1.clicked`. */
export const EventName = z.string().regex(/^[a-z0-9_][a-z0-9_.:-]*$/i, 'event names are letters, digits, ".", "_", ":" and "-"');
const Ms = z.number().int().positive();

/** A numeric range a property must fall in: `{ gte: 30 }` = "at least 30". */
export const Range = z.object({ gt: z.number().optional(), gte: z.number().optional(), lt: z.number().optional(), lte: z.number().optional() })
  .strict().refine((r) => Object.keys(r).length > 0, { message: 'a range needs gt, gte, lt or lte' });
export type Range = z.infer<typeof Range>;

/** What one event property must be: equal to a scalar, or inside a numeric range. */
export const PropertyMatch = z.union([Scalar, Range]);
export type PropertyMatch = z.infer<typeof PropertyMatch>;

/** Properties an event must carry to match (equality, or a range for numbers). */
export const EventFilter = z.object({ name: EventName, where: z.record(z.string(), PropertyMatch).optional() });
export type EventFilter = z.infer<typeof EventFilter>;

/** How an attribute condition compares the contact's value with the given one. */
export const CompareOp = z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'exists', 'in']);
export type CompareOp = z.infer<typeof CompareOp>;

/** What happened to a touch, as a condition can ask about it. */
export const TouchStatus = z.enum(TOUCH_CONDITION_STATUSES);
export type TouchStatus = z.infer<typeof TouchStatus>;

/** A condition is data, so it can be checked, drawn and evaluated deterministically in the workflow. */
export type Condition =
  | { kind: 'attribute'; key: string; op: CompareOp; value?: Scalar | Scalar[] }
  | { kind: 'event'; name: string; where?: Record<string, PropertyMatch> }
  | { kind: 'touch'; touchId: string; status: TouchStatus }
  | { kind: 'all'; conditions: Condition[] }
  | { kind: 'any'; conditions: Condition[] }
  | { kind: 'not'; condition: Condition }
  /** The free-text answer matches the pattern (a RegExp's source and flags) or contains one of the keywords (any case). */
  | { kind: 'reply'; pattern?: string | undefined; flags?: string | undefined; keywords?: string[] | undefined }
  /** The score of the answer just given (`answer`) or the enrollment's running quiz score (`quiz`) lies in the range. */
  | { kind: 'score'; of: 'answer' | 'quiz'; range: Range };
export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('attribute'), key: z.string().min(1), op: CompareOp, value: z.union([Scalar, z.array(Scalar)]).optional() }),
    z.object({ kind: z.literal('event'), name: EventName, where: z.record(z.string(), PropertyMatch).optional() }),
    z.object({ kind: z.literal('touch'), touchId: StepId, status: TouchStatus }),
    z.object({ kind: z.literal('all'), conditions: z.array(Condition).min(1) }),
    z.object({ kind: z.literal('any'), conditions: z.array(Condition).min(1) }),
    z.object({ kind: z.literal('not'), condition: Condition }),
    z.object({ kind: z.literal('reply'), pattern: z.string().min(1).optional(), flags: z.string().regex(/^[imsu]*$/, 'reply patterns take the flags i, m, s and u').optional(), keywords: z.array(z.string().min(1)).min(1).optional() })
      .refine((c) => (c.pattern === undefined) !== (c.keywords === undefined), { message: 'a reply condition has a pattern or keywords' }),
    z.object({ kind: z.literal('score'), of: z.enum(['answer', 'quiz']), range: Range }),
  ]),
);

/** UTM parameters added to tracked links; `false` on a touch turns the funnel's tagging off for it. */
export const Utm = z.object({
  source: z.string().min(1).optional(), medium: z.string().min(1).optional(), campaign: z.string().min(1).optional(),
  content: z.string().min(1).optional(), term: z.string().min(1).optional(),
}).strict();
export type Utm = z.infer<typeof Utm>;

/** Telegram parse mode of a message's text; variables are escaped for it. */
export const ParseMode = z.enum(['HTML', 'MarkdownV2', 'text']);
export type ParseMode = z.infer<typeof ParseMode>;

/** An inline keyboard button: with `url` it opens a (tracked) link, without it pressing it is the event `<touchId>.clicked` with `{ button: id }`. */
export const TelegramButtonSpec = z.object({ id: StepId.max(40, 'button ids are at most 40 characters (they travel in Telegram callback data)'), text: z.string().min(1).max(64), url: z.string().min(1).optional() }).strict();
export type TelegramButtonSpec = z.infer<typeof TelegramButtonSpec>;

const EmailContent = {
  subject: z.string().min(1),
  html: z.string().optional(),
  text: z.string().optional(),
  preheader: z.string().optional(),
};
const TelegramContent = {
  text: z.string().min(1),
  parseMode: ParseMode.optional(),
  photo: z.string().min(1).optional(),
  document: z.string().min(1).optional(),
  /** Rows of buttons. */
  buttons: z.array(z.array(TelegramButtonSpec).min(1)).optional(),
};

const PushContent = {
  title: z.string().min(1),
  body: z.string().min(1),
  /** Where a click on the notification leads (through a tracked link: the click is `<touchId>.clicked`). */
  url: z.string().min(1).optional(),
  icon: z.string().min(1).optional(),
};

/**
 * A VK community message's content: text (plain: VK has no markup), keyboard buttons (a URL button opens a tracked
 * link, a plain one presses back as `<touchId>.clicked`), attachments — a VK media id (`photo-1_456239017`, sent as
 * an attachment) or a URL (added to the message as a tracked link VK shows with its preview).
 */
const VkContent = {
  text: z.string().min(1).max(4096),
  buttons: z.array(z.array(TelegramButtonSpec.refine((b) => b.text.length <= 40, { message: 'a VK button label is at most 40 characters' })).min(1).max(5)).max(10).optional(),
  attachments: z.array(z.string().min(1)).max(10).optional(),
};

/** The same touch on another channel, tried in order when the primary has no handle or consent, or failed for good. */
export const FallbackContent = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('email'), ...EmailContent }).strict()
    .refine((s) => s.html !== undefined || s.text !== undefined, { message: 'an email needs html or text' }),
  z.object({ channel: z.literal('sms'), text: z.string().min(1) }).strict(),
  z.object({ channel: z.literal('telegram'), ...TelegramContent }).strict(),
  z.object({ channel: z.literal('push'), ...PushContent }).strict(),
  z.object({ channel: z.literal('vk'), ...VkContent }).strict(),
]);
export type FallbackContent = z.infer<typeof FallbackContent>;

/** Options every touch has: fallbacks, a holdout share (those contacts get nothing, to measure lift), UTM tags. */
const TouchOptions = {
  fallback: z.array(FallbackContent).optional(),
  holdout: z.number().gt(0, 'holdout is a share between 0 and 1 (0.1 = 10%)').lt(1, 'holdout is a share between 0 and 1 (0.1 = 10%)').optional(),
  utm: z.union([Utm, z.literal(false)]).optional(),
};

/** An email touch: Liquid templates for subject, HTML and text bodies. */
export const EmailStep = z.object({
  type: z.literal('email'),
  id: StepId,
  ...EmailContent,
  ...TouchOptions,
}).refine((s) => s.html !== undefined || s.text !== undefined, { message: 'an email needs html or text' });
export type EmailStep = z.infer<typeof EmailStep>;

/** An SMS touch: a Liquid template rendered as plain text. */
export const SmsStep = z.object({ type: z.literal('sms'), id: StepId, text: z.string().min(1), ...TouchOptions });
export type SmsStep = z.infer<typeof SmsStep>;

/** A Telegram touch: text (escaped for its parse mode), an optional photo or document, inline buttons. */
export const TelegramStep = z.object({ type: z.literal('telegram'), id: StepId, ...TelegramContent, ...TouchOptions })
  .refine((s) => !(s.photo && s.document), { message: 'a Telegram message carries a photo or a document, not both' });
export type TelegramStep = z.infer<typeof TelegramStep>;

/** A VK community message touch (`messages.send` through the community): text, keyboard buttons, attachments. */
export const VkStep = z.object({ type: z.literal('vk'), id: StepId, ...VkContent, ...TouchOptions });
export type VkStep = z.infer<typeof VkStep>;

/** Invites the contact to a webinar (assigning their session): by email with an .ics file, or by Telegram. */
export const WebinarInviteStep = z.object({
  type: z.literal('webinarInvite'),
  id: StepId,
  webinar: StepId,
  via: z.enum(['email', 'telegram']),
  subject: z.string().min(1).optional(),
  html: z.string().optional(),
  text: z.string().min(1),
  buttons: TelegramContent.buttons,
  ...TouchOptions,
}).refine((s) => s.via !== 'email' || s.subject !== undefined, { message: 'an email invite needs a subject' });
export type WebinarInviteStep = z.infer<typeof WebinarInviteStep>;

/** A web push touch: a browser notification (title, body; Liquid) to the contact's subscribed browser; a click opens `url`. */
export const PushStep = z.object({ type: z.literal('push'), id: StepId, ...PushContent, ...TouchOptions });
export type PushStep = z.infer<typeof PushStep>;

/** Every step that reaches the customer (an ask is a question sent as a touch). */
export type TouchStep = EmailStep | SmsStep | TelegramStep | VkStep | WebinarInviteStep | AskStep | PushStep;

/** A fixed pause. */
export const WaitStep = z.object({ type: z.literal('wait'), id: StepId, ms: Ms });
export type WaitStep = z.infer<typeof WaitStep>;

const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time is HH:MM, 24-hour');

/**
 * What a webinar wait does when the contact reaches it after its moment (a late sign-up): `skip` (the default) records
 * the touches after it as skipped `too_late`; `send` sends them at once — unless a later wait on the same webinar in
 * the same step list has passed too, so at most the latest one goes out.
 */
export const LatePolicy = z.enum(['skip', 'send']);
export type LatePolicy = z.infer<typeof LatePolicy>;

/** Where a date wait reads its moment: a declared contact attribute, or a property of the latest event that carries it. */
export const DatePath = z.string().regex(/^(contact\.attributes|event\.properties)\.[A-Za-z0-9_]+$/, "date is 'contact.attributes.<name>' or 'event.properties.<name>'");

/**
 * Waits until the next local time of day (HH:MM) and/or weekday (1 = Monday … 7 = Sunday) in the contact's zone;
 * or until the start of the contact's webinar session plus `offsetMs` (negative = before), following moves;
 * or until the moment a contact attribute or an event property holds (`date`), plus `offsetMs`, at the local `time`
 * of that day when given. A missing or past date goes down `else` instead of the rest of the list when it is declared.
 */
export type WaitUntilStep = {
  type: 'waitUntil'; id: string; time?: string | undefined; weekdays?: number[] | undefined; webinar?: string | undefined;
  date?: string | undefined; offsetMs?: number | undefined; late?: LatePolicy | undefined; else?: Step[] | undefined;
};

function WaitUntilSchema() {
  return z.object({
    type: z.literal('waitUntil'),
    id: StepId,
    time: LocalTime.optional(),
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).optional(),
    webinar: StepId.optional(),
    date: DatePath.optional(),
    offsetMs: z.number().int().optional(),
    late: LatePolicy.optional(),
    else: z.array(Step).optional(),
  }).refine((s) => s.time !== undefined || s.weekdays !== undefined || s.webinar !== undefined || s.date !== undefined, { message: 'waitUntil needs a time, weekdays, a webinar or a date' })
    .refine((s) => s.webinar === undefined || (s.time === undefined && s.weekdays === undefined && s.date === undefined), { message: 'waitUntil waits for a webinar or for a local time, not both' })
    .refine((s) => s.date === undefined || s.weekdays === undefined, { message: 'a date wait takes a time of day, not weekdays' })
    .refine((s) => s.late === undefined || s.webinar !== undefined || s.date !== undefined, { message: 'late is an option of a webinar or date wait' })
    .refine((s) => s.else === undefined || s.date !== undefined, { message: 'else is a branch of a date wait (a missing or past date)' });
}

/** Waits for one of the events (buffered ones count) until the timeout, then runs `then` on a match or `else` on timeout. */
export type WaitForStep = { type: 'waitFor'; id: string; events: EventFilter[]; timeoutMs: number; then: Step[]; else: Step[] };
/**
 * Asks the staff for a touch ("call within 2 hours"): hands a task to the configured hand-offs (STAFF_TASK_WEBHOOK_URL, the team),
 * then waits for a logged touch of that kind (`staff.<kind>`) until the timeout: `then` when it was logged, `else` if not.
 */
export type TaskStep = {
  type: 'task'; id: string; kind: LoggedTouchKind; title: string; assignee?: string | undefined; timeoutMs: number; then: Step[]; else: Step[];
};
/** Runs `then` when the condition holds at that moment, `else` otherwise. */
export type BranchStep = { type: 'branch'; id: string; if: Condition; then: Step[]; else: Step[] };
/** One arm of a split, chosen with probability weight / total weight. */
export type SplitVariant = { id: string; weight: number; steps: Step[] };
/** Sends each enrollment down exactly one weighted variant (A/B tests, holdouts). */
export type SplitStep = { type: 'split'; id: string; variants: SplitVariant[] };
/** One answer of an `ask`: an id (a button's callback or an email link), its label, an optional score, its own steps. */
export type AskOption = { id: string; text: string; score?: number | undefined; steps?: Step[] | undefined };
/** A numeric scale an `ask` offers as buttons `from`…`to` (NPS 0–10, a rating 1–5); the number is the answer's score. */
export type AskScale = { from: number; to: number };
/**
 * Asks the contact and waits (up to `timeoutMs`) for the answer: an option, a number of the scale, or (with `freeText`)
 * a reply. The answer is saved to the contact's `saveAs` attribute, stored, emitted as `<id>.answered`; then the
 * option's own steps run, or `then`/`else` on `if` (just `then` without one); `timeout` when no answer came.
 */
export type AskStep = {
  type: 'ask'; id: string; via: 'telegram' | 'email';
  text: string; subject?: string | undefined; parseMode?: ParseMode | undefined;
  /** Where an email answer's link lands (the answer is added to it as `af_answer=<id>`). */
  answerUrl?: string | undefined;
  options?: AskOption[] | undefined; scale?: AskScale | undefined; freeText?: boolean | undefined;
  saveAs?: string | undefined;
  /** Whether option scores add to the running quiz score (default true; a scale never does). */
  quiz?: boolean | undefined;
  /** A free-text ask whose answer comments another ask (the "why?" after an NPS question): its id. */
  commentOf?: string | undefined;
  timeoutMs: number;
  if?: Condition | undefined; then: Step[]; else: Step[]; timeout: Step[];
  utm?: Utm | false | undefined;
  /** An ask has no fallbacks or holdout (its answers need its own buttons or links). */
  fallback?: undefined; holdout?: undefined;
};
/** Writes a contact attribute (a declared one); `tag()` writes `true`. */
export type SetAttributeStep = { type: 'setAttribute'; id: string; key: string; value: Scalar | null };
/** Posts the signed hand-off payload (contact, funnel, step, the trigger) to the URL; recorded in the ledger. */
export type WebhookStep = { type: 'webhook'; id: string; url: string; event?: string | undefined; data?: Record<string, Scalar> | undefined };
/** Sends the team (TEAM_EMAIL / TEAM_TELEGRAM_CHAT_ID) a message with a link to the contact's card; Liquid templates. */
export type NotifyStep = { type: 'notify'; id: string; subject: string; text: string };
/** Ends the enrollment. */
export type ExitStep = { type: 'exit'; id: string; reason?: string | undefined };
/** Every step a plan can hold. */
export type Step = EmailStep | SmsStep | TelegramStep | VkStep | WebinarInviteStep | PushStep | WaitStep | WaitUntilStep | WaitForStep | TaskStep | BranchStep | SplitStep | ExitStep
  | AskStep | SetAttributeStep | WebhookStep | NotifyStep;

/** Ends the enrollment, with an optional reason shown on the contact's timeline. */
export const ExitStep = z.object({ type: z.literal('exit'), id: StepId, reason: z.string().optional() });

/** Validates any step; a discriminated union on `type`, so a broken step's issues point at its exact path. */
export const Step: z.ZodType<Step> = z.lazy(() =>
  z.discriminatedUnion('type', [
    EmailStep,
    SmsStep,
    TelegramStep,
    VkStep,
    WebinarInviteStep,
    PushStep,
    WaitStep,
    WaitUntilSchema(),
    z.object({
      type: z.literal('waitFor'),
      id: StepId,
      events: z.array(EventFilter).min(1, 'waitFor needs at least one event'),
      timeoutMs: Ms,
      then: z.array(Step),
      else: z.array(Step),
    }),
    z.object({
      type: z.literal('task'),
      id: StepId,
      kind: z.enum(LOGGED_TOUCH_KINDS),
      title: z.string().min(1, 'a task needs a title').max(500),
      assignee: z.string().min(1).max(200).optional(),
      timeoutMs: Ms,
      then: z.array(Step),
      else: z.array(Step),
    }),
    z.object({ type: z.literal('branch'), id: StepId, if: Condition, then: z.array(Step), else: z.array(Step) }),
    z.object({
      type: z.literal('split'),
      id: StepId,
      variants: z.array(z.object({ id: StepId, weight: z.number().positive(), steps: z.array(Step) })).min(2, 'a split needs at least two variants'),
    }),
    ExitStep,
    AskSchema(),
    z.object({ type: z.literal('setAttribute'), id: StepId, key: z.string().min(1), value: z.union([Scalar, z.null()]) }),
    z.object({ type: z.literal('webhook'), id: StepId, url: z.url(), event: EventName.optional(), data: z.record(z.string(), Scalar).optional() }),
    z.object({ type: z.literal('notify'), id: StepId, subject: z.string().min(1), text: z.string().min(1) }),
  ]),
);

/** Step-list keys an ask uses beside its options' ids. */
const ASK_LISTS = new Set(['then', 'else', 'timeout']);

function AskSchema() {
  return z.object({
    type: z.literal('ask'),
    id: StepId,
    via: z.enum(['telegram', 'email']),
    text: z.string().min(1),
    subject: z.string().min(1).optional(),
    parseMode: ParseMode.optional(),
    answerUrl: z.url().optional(),
    options: z.array(z.object({
      id: StepId.max(40, 'option ids are at most 40 characters (they travel in Telegram callback data)')
        .refine((id) => !ASK_LISTS.has(id), { message: "'then', 'else' and 'timeout' are not option ids" }),
      text: z.string().min(1).max(64), score: z.number().optional(), steps: z.array(Step).optional(),
    }).strict()).min(1).optional(),
    scale: z.object({ from: z.number().int().min(0).max(1), to: z.number().int().min(2).max(10) }).strict().optional(),
    freeText: z.boolean().optional(),
    saveAs: z.string().min(1).optional(),
    quiz: z.boolean().optional(),
    commentOf: StepId.optional(),
    timeoutMs: Ms,
    if: Condition.optional(),
    then: z.array(Step),
    else: z.array(Step),
    timeout: z.array(Step),
    utm: z.union([Utm, z.literal(false)]).optional(),
  }).strict()
    .refine((s) => s.options !== undefined || s.scale !== undefined || s.freeText === true, { message: 'an ask needs options, a scale or freeText' })
    .refine((s) => !(s.options !== undefined && s.scale !== undefined), { message: 'an ask offers options or a scale, not both' })
    .refine((s) => s.via !== 'email' || (s.subject !== undefined && (s.answerUrl !== undefined || (s.options === undefined && s.scale === undefined))), { message: 'an email ask needs a subject and an answerUrl (where its answer links land); free text is answered on its answer page' })
    .refine((s) => s.options === undefined || new Set(s.options.map((o) => o.id)).size === s.options.length, { message: 'option ids are unique within an ask' });
}

/** The conversion goal: an event, the window after enrollment in which it counts, whether it ends the funnel, its default revenue. */
export const Goal = z.object({ event: EventName, withinMs: Ms, exit: z.boolean(), value: z.number().nonnegative().optional() });
export type Goal = z.infer<typeof Goal>;

/** A webinar the funnel invites to: a fixed start (ISO), or an auto-webinar whose sessions recur in the contact's zone. */
export const Webinar = z.object({
  id: StepId,
  title: z.string().min(1),
  startsAt: z.iso.datetime({ offset: true, message: 'startsAt is an ISO 8601 date-time with an offset, e.g. 2026-12-03T19:00:00+03:00' }).optional(),
  schedule: z.object({ times: z.array(LocalTime).min(1), weekdays: z.array(z.number().int().min(1).max(7)).min(1).optional() }).strict().optional(),
  /** An auto-webinar session is at least this far away when assigned. */
  minLeadMs: z.number().int().nonnegative().default(0),
  durationMs: Ms.default(2 * 3_600_000),
  joinUrl: z.url(),
  replayUrl: z.url().optional(),
}).strict().refine((w) => (w.startsAt === undefined) !== (w.schedule === undefined), { message: 'a webinar has either startsAt or a schedule' });
export type Webinar = z.infer<typeof Webinar>;

/** A page served at `/p/<funnelId>/<pageId>`: a touch whose visit is `<pageId>.viewed`. */
export const Page = z.object({ id: StepId, title: z.string().min(1), html: z.string().min(1) }).strict();
export type Page = z.infer<typeof Page>;

/** A contact field a lead form asks for. */
export const FormField = z.object({
  name: z.enum(['name', 'email', 'phone', 'timezone']).or(z.string().regex(/^attributes\.[A-Za-z0-9_]+$/, 'custom form fields are attributes.<name>')),
  label: z.string().min(1),
  required: z.boolean().default(false),
}).strict();
export type FormField = z.infer<typeof FormField>;

/** The lead form at `/f/<funnelId>`: fields, consent boxes (with their exact wording), the thank-you page it leads to. */
export const Form = z.object({
  title: z.string().min(1),
  fields: z.array(FormField).min(1),
  consents: z.array(z.object({ channel: z.enum(['email', 'sms', 'telegram', 'vk']), label: z.string().min(1), required: z.boolean().default(false) }).strict()).default([]),
  thankYouPage: StepId,
}).strict();
export type Form = z.infer<typeof Form>;

/** Send policy: the local send window (touches due outside it wait for its opening) and the funnel's priority under the frequency cap. */
export const Policy = z.object({
  sendWindow: z.object({ from: LocalTime, to: LocalTime }).strict().optional(),
  priority: z.number().int().default(0),
}).strict();
export type Policy = z.infer<typeof Policy>;

/** Attribution settings: the window before a goal in which touches earn credit, and the time-decay half-life. */
export const Attribution = z.object({ windowMs: Ms.optional(), halfLifeMs: Ms.default(7 * 86_400_000) }).strict();
export type Attribution = z.infer<typeof Attribution>;

/**
 * Whether a contact may enter the funnel again: 'never' once enrolled; `{ afterMs }` once its last enrollment ended
 * at least that long ago; `{ key }` once per value of that entry-event property, side by side. Without it, today's rule:
 * one active enrollment at a time.
 */
export const Reentry = z.union([
  z.literal('never'),
  z.object({ afterMs: Ms }).strict(),
  z.object({ key: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an entry-event property name, such as orderId') }).strict(),
]);
export type Reentry = z.infer<typeof Reentry>;

/** A funnel's plan: plain data, safe to store, hash and pin into a workflow. */
export const Plan = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'funnel ids are lowercase letters, digits and "-"'),
  name: z.string().min(1),
  entry: EventName.nullable(),
  timezone: z.string().min(1),
  goal: Goal,
  attributes: z.array(z.string().min(1)).default([]),
  events: z.array(EventName).default([]),
  steps: z.array(Step).min(1, 'a funnel needs at least one step'),
  /**
   * Funnel-level event subscriptions: when an event of that name reaches the enrollment, at any point (during a wait,
   * between steps), its steps run there and then — webhook(), notify(), setAttribute()/tag() or exit() — and the
   * enrollment goes on where it was (unless it exited). Each subscription fires once per enrollment.
   */
  on: z.record(EventName, z.array(Step).min(1, 'a subscription needs at least one step')).optional(),
  webinars: z.array(Webinar).optional(),
  pages: z.array(Page).optional(),
  form: Form.optional(),
  policy: Policy.optional(),
  attribution: Attribution.optional(),
  utm: Utm.optional(),
  reentry: Reentry.optional(),
  /** A draft is checked, drawn and simulated, and enrolls only test contacts or explicit API enrollments. */
  draft: z.boolean().optional(),
});
export type Plan = z.infer<typeof Plan>;

/** Channels a touch can go out on; `page` is a thank-you or landing page the contact visits. */
export type Channel = 'email' | 'sms' | 'telegram' | 'vk' | 'push' | 'page';

const TOUCH_TYPES = new Set<Step['type']>(['email', 'sms', 'telegram', 'vk', 'webinarInvite', 'ask', 'push']);

/** Whether a step reaches the customer (and so has a ledger row). */
export function isTouch(step: Step): step is TouchStep {
  return TOUCH_TYPES.has(step.type);
}

/** The channel a touch step goes out on first. */
export function primaryChannel(step: TouchStep): Exclude<Channel, 'page'> {
  return step.type === 'webinarInvite' || step.type === 'ask' ? step.via : step.type;
}

/** The touch steps of a plan, in document order. */
export function touchesOf(steps: Step[]): TouchStep[] {
  const out: TouchStep[] = [];
  for (const step of walkSteps(steps)) if (isTouch(step)) out.push(step);
  return out;
}

/** What kind of touch it is: the step type, or `page` for a funnel page. */
export type TouchType = TouchStep['type'] | 'page';

/** Every touch of a plan with its channel and type: the steps in document order, then the pages. */
export function planTouches(plan: Pick<Plan, 'steps' | 'pages'>): Array<{ id: string; channel: Channel; type: TouchType }> {
  return [
    ...touchesOf(plan.steps).map((t) => ({ id: t.id, channel: primaryChannel(t) as Channel, type: t.type })),
    ...(plan.pages ?? []).map((p) => ({ id: p.id, channel: 'page' as const, type: 'page' as const })),
  ];
}

/** The step types a funnel-level event subscription (`on`) may run: actions that take no time. */
export const REACTION_STEP_TYPES: ReadonlySet<Step['type']> = new Set(['webhook', 'notify', 'setAttribute', 'exit']);

/** Every step of a plan: its steps, then the steps of its event subscriptions (`on`), depth first. */
export function* allPlanSteps(plan: Pick<Plan, 'steps' | 'on'>): Generator<Step> {
  yield* walkSteps(plan.steps);
  for (const steps of Object.values(plan.on ?? {})) yield* walkSteps(steps);
}

/** The ids of the asks among the steps, in document order (each has an answer page: `{{ links.asks.<id> }}`). */
export function askIdsOf(steps: Step[]): string[] {
  return [...walkSteps(steps)].filter((s) => s.type === 'ask').map((s) => s.id);
}

/** Every step of a plan, depth first, in document order. */
export function* walkSteps(steps: Step[]): Generator<Step> {
  for (const step of steps) {
    yield step;
    for (const list of childLists(step)) yield* walkSteps(list.steps);
  }
}

/** The nested step lists of a step, each with a stable key (`<stepId>.then`, `<splitId>.<variantId>`). */
export function childLists(step: Step): { key: string; steps: Step[] }[] {
  switch (step.type) {
    case 'waitFor':
    case 'task':
    case 'branch':
      return [{ key: `${step.id}.then`, steps: step.then }, { key: `${step.id}.else`, steps: step.else }];
    case 'split':
      return step.variants.map((v) => ({ key: `${step.id}.${v.id}`, steps: v.steps }));
    case 'waitUntil':
      return step.else !== undefined ? [{ key: `${step.id}.else`, steps: step.else }] : [];
    case 'ask':
      return [
        ...(step.options ?? []).filter((o) => o.steps !== undefined).map((o) => ({ key: `${step.id}.${o.id}`, steps: o.steps! })),
        { key: `${step.id}.then`, steps: step.then }, { key: `${step.id}.else`, steps: step.else }, { key: `${step.id}.timeout`, steps: step.timeout },
      ];
    default:
      return [];
  }
}
