import type { Migration } from 'kysely';
import * as createCore from './0001_create_core';
import * as addChannels from './0002_add_channels';
import * as createRollups from './0003_create_rollups';
import * as addErasure from './0004_add_erasure';
import * as addCrashMarks from './0005_add_crash_marks';
import * as addTestContactsAndSends from './0006_add_test_contacts_and_sends';
import * as addOrdersSpendSources from './0013_add_orders_spend_sources';

/** Every migration, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '0001_create_core': createCore,
  '0002_add_channels': addChannels,
  '0003_create_rollups': createRollups,
  '0004_add_erasure': addErasure,
  '0005_add_crash_marks': addCrashMarks,
  '0006_add_test_contacts_and_sends': addTestContactsAndSends,
  '0013_add_orders_spend_sources': addOrdersSpendSources,
};
