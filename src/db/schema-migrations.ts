import type { Selectable } from 'kysely';

/** What a migration did with one enrollment: moved it, left it on its version (and why), or found it finished. */
export type MigrationOutcome = 'moved' | 'stayed' | 'finished';

/** One migration of a funnel's in-flight enrollments onto a version (0007). */
export interface FunnelMigrationsTable {
  id: string;
  funnel_id: string;
  /** A version, or `all`. */
  from_version: string;
  to_version: string;
  /** JSON `{ "<old step>": "<new step>" }`. */
  step_map: string;
  status: 'running' | 'done';
  /** Enrollments it found to ask when it started. */
  total: number;
  /** Enrollments it has asked so far. */
  signalled: number;
  created_at: number;
  finished_at: number | null;
}
export type FunnelMigrationRow = Selectable<FunnelMigrationsTable>;

/** One enrollment's answer to one migration (0007); unique per (migration, enrollment). */
export interface EnrollmentMigrationsTable {
  id: string;
  migration_id: string;
  enrollment_id: string;
  funnel_id: string;
  contact_id: string;
  from_version: string;
  to_version: string;
  from_step: string | null;
  to_step: string | null;
  outcome: MigrationOutcome;
  reason: string | null;
  at: number;
}
export type EnrollmentMigrationRow = Selectable<EnrollmentMigrationsTable>;

/** The tables 0007 adds. */
export interface MigrationTables {
  funnel_migrations: FunnelMigrationsTable;
  enrollment_migrations: EnrollmentMigrationsTable;
}
