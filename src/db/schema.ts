import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { RollupTables } from './schema-rollups';
import type { AudienceTables } from './schema-audience';
import type { MigrationTables } from './schema-migrations';
import type { DeliveryStatus, EnrollmentStatus } from '../../workflows/statuses';
import type { AnswerTables } from './schema-answers';
import type { PushTables } from './schema-push';

/** Enrollment and ledger states, listed once in workflows/statuses.ts. */
export type { DeliveryStatus, EnrollmentStatus };

/** Times are epoch milliseconds; JSON columns are text. */
export interface ContactsTable {
  id: string;
  external_id: string | null;
  email: string | null;
  phone: string | null;
  telegram_chat_id: string | null;
  /** The VK user id the contact is bound to (migration 0017): VK community messages go to it. */
  vk_user_id: Generated<string | null>;
  name: string | null;
  timezone: string | null;
  locale: string | null;
  attributes: string;
  created_at: number;
  updated_at: number;
  /** 1 for a test contact (`test: true` in the API): the only kind a draft funnel enrolls from its entry or form. */
  test: Generated<number>;
  /** Set when the contact's personal data was erased: the emptied row stays for the ledger, lookups skip it. */
  erased_at: number | null;
  /** The first source's key (utm_source, else the referrer's host), for grouping; null when none was captured. */
  source: Generated<string | null>;
  /** The first source's utm_campaign. */
  campaign: Generated<string | null>;
  /** The first captured source (LeadSource JSON with `at`), kept forever. */
  source_first: Generated<string | null>;
  /** The latest captured source (LeadSource JSON with `at`). */
  source_latest: Generated<string | null>;
}
export type ContactRow = Selectable<ContactsTable>;
export type NewContactRow = Insertable<ContactsTable>;
export type ContactUpdate = Updateable<ContactsTable>;

export interface ConsentsTable {
  contact_id: string;
  channel: string;
  granted: number;
  source: string;
  updated_at: number;
}
export type ConsentRow = Selectable<ConsentsTable>;

export interface FunnelVersionsTable {
  funnel_id: string;
  version: string;
  name: string;
  plan: string;
  created_at: number;
}
export type FunnelVersionRow = Selectable<FunnelVersionsTable>;

export interface FunnelsTable {
  id: string;
  name: string;
  current_version: string;
  entry_event: string | null;
  updated_at: number;
}
export type FunnelRow = Selectable<FunnelsTable>;


export interface EnrollmentsTable {
  id: string;
  funnel_id: string;
  contact_id: string;
  version: string;
  workflow_id: string;
  status: EnrollmentStatus;
  /** Where the enrollment rests (a wait, or a deferred touch), as its workflow notes it; null before the first rest. */
  current_step: string | null;
  /** When it began resting there (0007). */
  current_step_at: number | null;
  exit_reason: string | null;
  trigger_event_id: string | null;
  enrolled_at: number;
  finished_at: number | null;
  converted_at: number | null;
  /** When Temporal accepted the workflow; null on an active row means "start it" to the server's sweep. */
  workflow_started_at: number | null;
  /** The entry key it was enrolled under (`reentry: { key }`, 0021); '' for funnels without one. */
  entry_key: Generated<string>;
}
export type EnrollmentRow = Selectable<EnrollmentsTable>;
export type NewEnrollmentRow = Insertable<EnrollmentsTable>;

export interface EventsTable {
  id: string;
  contact_id: string;
  name: string;
  properties: string;
  value: number | null;
  idempotency_key: string | null;
  occurred_at: number;
  received_at: number;
  /** Set once the event has been applied to the ledger, conversions, workflows and entries; null means "redo". */
  dispatched_at: number | null;
  /** Until when a dispatcher holds the undispatched event (migration 0008); null or past: anyone may claim it. */
  dispatch_lease_until: number | null;
}
/** A stored event as the engine applies it (the dispatcher's lease is its own business). */
export type EventRow = Omit<Selectable<EventsTable>, 'dispatch_lease_until'>;


export interface DeliveriesTable {
  id: string;
  enrollment_id: string;
  funnel_id: string;
  contact_id: string;
  touch_id: string;
  channel: string;
  status: DeliveryStatus;
  reason: string | null;
  recipient: string | null;
  subject: string | null;
  provider_message_id: string | null;
  attempts: number;
  scheduled_at: number;
  created_at: number;
  sent_at: number | null;
  delivered_at: number | null;
  opened_at: number | null;
  clicked_at: number | null;
  replied_at: number | null;
  failed_at: number | null;
  /** The touch's primary channel; `channel` is the one actually used (differs after a fallback). */
  planned_channel: string | null;
  segments: number | null;
  cost: number | null;
  /** While `deferred`: when the send is due again. */
  deferred_until: number | null;
  unsubscribed_at: number | null;
  /** The split variants the enrollment took before this touch (`split:variant,...`), for experiment stats. */
  variant: string | null;
  /** The funnel's priority under the frequency cap when the touch was sent. */
  priority: number | null;
  /** Set while an attempt is between claiming the send and recording its outcome; still set later = that attempt died there. */
  sending_since: number | null;
  /** Set on the row of a staff or offline touch (`logged_touches.id`); null on the engine's own touches. */
  logged_touch_id: Generated<string | null>;
  /** A page's row: the message of the same enrollment whose tracked link brought the contact here (migration 0020). */
  via_delivery_id: Generated<string | null>;
}
export type DeliveryRow = Selectable<DeliveriesTable>;

export interface OutboxTable {
  id: string;
  delivery_id: string;
  channel: string;
  recipient: string;
  subject: string | null;
  html: string | null;
  text: string | null;
  created_at: number;
}
export type OutboxRow = Selectable<OutboxTable>;

export interface ConversionsTable {
  id: string;
  enrollment_id: string;
  funnel_id: string;
  contact_id: string;
  event_id: string;
  value: number;
  occurred_at: number;
}
export type ConversionRow = Selectable<ConversionsTable>;

export interface AttributionsTable {
  conversion_id: string;
  model: string;
  delivery_id: string;
  funnel_id: string;
  touch_id: string;
  credit: number;
  revenue: number;
  occurred_at: number;
}

/** Every goal event of an enrollment: the first (its conversion) and each repeat, in minor units (kopecks). */
export interface OrdersTable {
  id: string;
  enrollment_id: string;
  funnel_id: string;
  contact_id: string;
  event_id: string;
  /** 1 for the enrollment's conversion, 0 for a repeat purchase. */
  is_first: number;
  amount_minor: number;
  currency: string;
  occurred_at: number;
}
export type OrderRow = Selectable<OrdersTable>;

/** The credit of a repeat order: the touches since the previous order, under every model. */
export interface RepeatCreditsTable {
  order_id: string;
  model: string;
  delivery_id: string;
  funnel_id: string;
  touch_id: string;
  credit: number;
  /** credit × the order's amount, in minor units (fractional). */
  amount_minor: number;
  currency: string;
  occurred_at: number;
}

/** Ad spend per source (and campaign, optionally funnel) and day, in minor units. */
export interface SpendTable {
  id: string;
  source: string;
  campaign: string | null;
  funnel_id: string | null;
  /** YYYY-MM-DD as sent. */
  day: string;
  /** The UTC start of `day` (epoch ms), for period filters. */
  day_start: number;
  amount_minor: number;
  currency: string;
  created_at: number;
}
export type SpendRow = Selectable<SpendTable>;

/** Kinds of touch-log entries: everything that happened to a touch besides the final ledger state. */
export type TouchLogKind = 'deferred' | 'skipped' | 'fallback' | 'failed' | 'held_out' | 'interrupted';

/** Every skip, deferral, fallback and failure of a touch, with its reason, for the timeline and the stats. */
export interface TouchLogTable {
  id: string;
  delivery_id: string;
  enrollment_id: string;
  funnel_id: string;
  contact_id: string;
  touch_id: string;
  channel: string | null;
  kind: TouchLogKind;
  reason: string;
  until: number | null;
  at: number;
}
export type TouchLogRow = Selectable<TouchLogTable>;

/** Consent history per channel: the proof 38-FZ asks for (who, when, where, what wording). */
export interface ConsentLogTable {
  id: string;
  contact_id: string;
  channel: string;
  granted: number;
  source: string;
  ip: string | null;
  user_agent: string | null;
  wording: string | null;
  at: number;
}
export type ConsentLogRow = Selectable<ConsentLogTable>;

/** Addresses nothing may be sent to on a channel (hard bounce, bot blocked, STOP reply). */
export interface SuppressionsTable {
  channel: string;
  address: string;
  reason: string;
  at: number;
}

/** Tracked links: the target URL stays on the server, the message carries only the id. */
export interface LinksTable {
  id: string;
  delivery_id: string;
  url: string;
  created_at: number;
}
export type LinkRow = Selectable<LinksTable>;

/** A webinar declared by a funnel: a fixed start, or an auto-webinar with a recurring schedule (JSON). */
export interface WebinarsTable {
  id: string;
  funnel_id: string;
  title: string;
  starts_at: number | null;
  duration_ms: number;
  join_url: string;
  replay_url: string | null;
  schedule: string | null;
  min_lead_ms: number;
  /** Set when the start was moved through the API; the file's start no longer overrides it. */
  moved_at: number | null;
  updated_at: number;
}
export type WebinarRow = Selectable<WebinarsTable>;

/** The session a contact is assigned to, and how it went. */
export interface WebinarSessionsTable {
  id: string;
  webinar_id: string;
  contact_id: string;
  starts_at: number;
  registered_at: number | null;
  outcome: 'attended' | 'missed' | null;
  minutes: number | null;
  stayed_to_offer: number | null;
  created_at: number;
}
export type WebinarSessionRow = Selectable<WebinarSessionsTable>;

/** Which variant of each split an enrollment took. */
export interface SplitAssignmentsTable {
  enrollment_id: string;
  split_id: string;
  variant_id: string;
  funnel_id: string;
  contact_id: string;
  at: number;
}

/** The kinds of staff and offline touches `POST /api/touches` logs. */
export const LOGGED_TOUCH_KINDS = ['call', 'meeting', 'visit', 'event', 'gift', 'letter', 'other'] as const;
/** One kind of staff or offline touch (its touch id in the stats). */
export type LoggedTouchKind = (typeof LOGGED_TOUCH_KINDS)[number];

/** A staff or offline touch as it was logged: who, what, when, how it went; its ledger rows point back to it. */
export interface LoggedTouchesTable {
  id: string;
  contact_id: string;
  /** The funnel it was logged for; null = every enrollment of the contact that had started by `at`. */
  funnel_id: string | null;
  kind: LoggedTouchKind;
  /** The staff member (a name or login, as the business names them). */
  by: string;
  at: number;
  outcome: string | null;
  notes: string | null;
  value: number | null;
  /** Where it was logged: `api`, `csv` or `dashboard`. */
  source: string;
  created_at: number;
}
export type LoggedTouchRow = Selectable<LoggedTouchesTable>;

/** A named lease (0015): `holder` owns `name` until `until`; an expired lease is anyone's to take. */
export interface LeasesTable {
  name: string;
  holder: string;
  until: number;
}

/** A shared send rate (0015): the earliest time the next send under `key` may start. */
export interface SendSlotsTable {
  key: string;
  next_at: number;
}

/** The whole database as kysely sees it (the analytics rollups, merges, referrals, broadcasts and migrations included). */
export interface Database extends RollupTables, AudienceTables, MigrationTables, AnswerTables, PushTables {
  leases: LeasesTable;
  send_slots: SendSlotsTable;
  contacts: ContactsTable;
  consents: ConsentsTable;
  funnel_versions: FunnelVersionsTable;
  funnels: FunnelsTable;
  enrollments: EnrollmentsTable;
  events: EventsTable;
  deliveries: DeliveriesTable;
  outbox: OutboxTable;
  conversions: ConversionsTable;
  attributions: AttributionsTable;
  touch_log: TouchLogTable;
  consent_log: ConsentLogTable;
  suppressions: SuppressionsTable;
  links: LinksTable;
  webinars: WebinarsTable;
  webinar_sessions: WebinarSessionsTable;
  split_assignments: SplitAssignmentsTable;
  logged_touches: LoggedTouchesTable;
  orders: OrdersTable;
  repeat_credits: RepeatCreditsTable;
  spend: SpendTable;
}
