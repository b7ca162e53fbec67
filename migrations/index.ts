import type { Migration } from 'kysely';
import * as createCore from './0001_create_core';
import * as addChannels from './0002_add_channels';

/** Every migration, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '0001_create_core': createCore,
  '0002_add_channels': addChannels,
};
