import type { SqlDialect } from '../db/database';
import { aggregateContributionSql, dropTriggersDdl, groupedContributionSql, rollupTable, triggersDdl, type FamilyName } from './rollup-ddl';
import { moneyContributionsOf, MONEY_WATCHED, ROLLED_UP_ATTRIBUTES } from './money-contributions';

/*
 * The money rollups' DDL, generated from money-contributions.ts. Migration 0022 inlines what this generated the day it
 * shipped (migrations never import application code); rebuildRollups uses the same contributions.
 */

/** The money rollup families. */
export const MONEY_FAMILIES: readonly FamilyName[] = ['money', 'lead'];

/** The money rollup tables. */
export const MONEY_TABLE_NAMES: readonly string[] = MONEY_FAMILIES.flatMap((f) => (['hour', 'day'] as const).map((g) => rollupTable(f, g)));

/** The attributes the money is rolled up by (a funnel declares them; the first grouped read adds one and backfills it). */
export const MONEY_ATTRIBUTES_DDL = 'CREATE TABLE money_attributes (name TEXT NOT NULL PRIMARY KEY)';

/** Indexes the contact trigger and the ragged ends of the money reads need. */
export const MONEY_INDEXES_DDL: readonly string[] = [
  'CREATE INDEX conversions_contact ON conversions (contact_id)',
  'CREATE INDEX enrollments_enrolled_at ON enrollments (enrolled_at)',
];

/** AFTER INSERT / UPDATE / DELETE triggers `money_<table>_ai|au|ad` keeping the money rollups equal to a rebuild. */
export function moneyTriggersDdl(dialect: SqlDialect): string[] {
  const tables = Object.fromEntries(Object.entries(moneyContributionsOf(dialect)).map(([table, contribute]) => [table, {
    add: contribute('new').flatMap((c) => groupedContributionSql(c, 1, dialect)),
    remove: contribute('old').flatMap((c) => groupedContributionSql(c, -1, dialect)),
    watched: MONEY_WATCHED[table]!,
  }]));
  return triggersDdl('money', tables, dialect);
}

/** Statements dropping the money triggers (and on PostgreSQL their functions). */
export function dropMoneyTriggersDdl(dialect: SqlDialect): string[] {
  return dropTriggersDdl('money', Object.keys(MONEY_WATCHED), dialect);
}

/**
 * The statements adding the money of attribute `name` (newly in `money_attributes`) over the existing rows: the
 * attribute contributions of a rebuild, narrowed to that name.
 */
export function attributeBackfillSql(dialect: SqlDialect, name: string): string[] {
  const only = `m.name = '${name.replace(/'/g, "''")}'`;
  return Object.entries(moneyContributionsOf(dialect)).flatMap(([source, contribute]) => contribute('r')
    .filter((c) => c.onBehalfOf === undefined && c.from?.includes(ROLLED_UP_ATTRIBUTES))
    .flatMap((c) => aggregateContributionSql(source, { ...c, where: `${c.where} AND ${only}` }, dialect)));
}

/** The statements rebuilding the money rollups from the tables' rows (after emptying them). */
export function moneyRebuildSql(dialect: SqlDialect): string[] {
  return [
    ...MONEY_TABLE_NAMES.map((t) => `DELETE FROM ${t}`),
    ...Object.entries(moneyContributionsOf(dialect)).flatMap(([source, contribute]) => contribute('r')
      .filter((c) => c.onBehalfOf === undefined).flatMap((c) => aggregateContributionSql(source, c, dialect))),
  ];
}
