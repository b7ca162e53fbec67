import type { Migration } from 'kysely';
import * as createCore from './0001_create_core';
import * as addChannels from './0002_add_channels';
import * as createRollups from './0003_create_rollups';
import * as addCrashMarks from './0005_add_crash_marks';

/** Every migration, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '0001_create_core': createCore,
  '0002_add_channels': addChannels,
  '0003_create_rollups': createRollups,
  '0005_add_crash_marks': addCrashMarks,
};
