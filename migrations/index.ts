import type { Migration } from 'kysely';
import * as createCore from './0001_create_core';
import * as addChannels from './0002_add_channels';
import * as createRollups from './0003_create_rollups';
import * as addErasure from './0004_add_erasure';
import * as addCrashMarks from './0005_add_crash_marks';
import * as addTestContactsAndSends from './0006_add_test_contacts_and_sends';
import * as addEnrollmentMigrations from './0007_add_enrollment_migrations';
import * as addEventDispatchLease from './0008_add_event_dispatch_lease';
import * as addReferralsAndBroadcasts from './0011_add_referrals_and_broadcasts';
import * as addOrdersSpendSources from './0013_add_orders_spend_sources';
import * as addLoggedTouches from './0014_add_logged_touches';
import * as addLeasesAndSendSlots from './0015_add_leases_and_send_slots';
import * as addAnswers from './0016_add_answers';
import * as addVkUser from './0017_add_vk_user';
import * as addPushSubscriptions from './0018_add_push_subscriptions';
import * as addPageViaAndMoneyRollups from './0020_add_page_via_and_money_rollups';
import * as addReentryKey from './0021_add_reentry_key';
import * as addMoneyRollups from './0022_add_money_rollups';
import * as addFallbackIndex from './0023_add_fallback_index';

/** Every migration, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '0001_create_core': createCore,
  '0002_add_channels': addChannels,
  '0003_create_rollups': createRollups,
  '0004_add_erasure': addErasure,
  '0005_add_crash_marks': addCrashMarks,
  '0006_add_test_contacts_and_sends': addTestContactsAndSends,
  '0007_add_enrollment_migrations': addEnrollmentMigrations,
  '0008_add_event_dispatch_lease': addEventDispatchLease,
  '0011_add_referrals_and_broadcasts': addReferralsAndBroadcasts,
  '0013_add_orders_spend_sources': addOrdersSpendSources,
  '0014_add_logged_touches': addLoggedTouches,
  '0015_add_leases_and_send_slots': addLeasesAndSendSlots,
  '0016_add_answers': addAnswers,
  '0017_add_vk_user': addVkUser,
  '0018_add_push_subscriptions': addPushSubscriptions,
  '0020_add_page_via_and_money_rollups': addPageViaAndMoneyRollups,
  '0021_add_reentry_key': addReentryKey,
  '0022_add_money_rollups': addMoneyRollups,
  '0023_add_fallback_index': addFallbackIndex,
};
