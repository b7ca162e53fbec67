import type { StaffTaskHandoff } from './staff-task';
import type { Db } from '../db/database';
import type { EmailChannel, SmsChannel, TelegramChannel, VkChannel } from '../channels/channel';
import type { FrequencyCap } from '../policy/frequency-cap';
import type { Plan } from '../dsl/plan';
import type { PushChannel } from '../channels/push/types';

/** A stored funnel version's plan; a version never changes, so an implementation may keep what it read. */
export type PlanSource = (funnelId: string, version: string) => Promise<Plan>;

/** Stores (and, where the process can, dispatches) an event the send pipeline observed, like `telegram.blocked`. */
export type EmitEvent = (contactId: string, name: string, properties: Record<string, unknown>, idempotencyKey: string) => Promise<void>;

/** What sending a touch needs from the outside world. */
export interface SendTouchDeps {
  db: Db;
  email: EmailChannel;
  /** SMS provider; the dev outbox when none is configured. */
  sms?: SmsChannel;
  /** The Telegram bot; the dev outbox when none is configured. */
  telegram?: TelegramChannel;
  /** Web push (VAPID); a push touch without it fails over to its fallbacks. */
  push?: PushChannel | undefined;
  /** The VK community; the dev outbox when none is configured. */
  vk?: VkChannel;
  mailFrom: string;
  /** Base of every link put into messages (tracking, pages, unsubscribe). */
  publicUrl: string;
  /** HMAC key for signed links. */
  secretKey: string;
  /** The bot's username, for `{{ links.telegram }}` deep links; null when no bot is configured. */
  telegramBot?: string | null;
  /** The VK community's short name (or `club<id>`), for `{{ links.vk }}`; null when no community is configured. */
  vkCommunity?: string | null;
  /** Per-contact cap across all funnels; none when unset. */
  frequencyCap?: FrequencyCap | undefined;
  /** How observed events get into the system; by default they are stored undispatched and the server's event dispatcher applies them. */
  emit?: EmitEvent;
  /** Where the content of a version is read from (createActivities defaults to the stored versions, cached per version). */
  plans?: PlanSource;
  /** Where a funnel's `task()` steps send staff tasks (STAFF_TASK_WEBHOOK_URL, signed like every hand-off); tasks also go to `team` when set. */
  staffTasks?: StaffTaskHandoff | undefined;
}
