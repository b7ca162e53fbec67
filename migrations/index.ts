import type { Migration } from 'kysely';
import * as createCore from './0001_create_core';

/** Every migration, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '0001_create_core': createCore,
};
