import { sql, type Kysely } from 'kysely';
import type { SqlDialect } from '../db/database';
import { DAY_MS, HOUR_MS } from './rollup-sql';
import { contributionsOf, WATCHED, type Contribution } from './rollup-contributions';

// The same contributions become SQLite triggers with inline bodies, or PostgreSQL triggers calling plpgsql functions.

/** Time grains of the rollups: whole days answer long periods cheaply, whole hours their ragged ends. */
export const GRAINS = { hour: HOUR_MS, day: DAY_MS } as const;
/** A rollup time grain. */
export type Grain = keyof typeof GRAINS;

/** A family of rollup tables: the same counters under the same key, one table per grain. */
interface Family {
  prefix: string;
  grains: readonly Grain[];
  /** Key columns before and after the time column, in primary-key order. */
  before: readonly string[];
  after: readonly string[];
  counters: Readonly<Record<string, 'INTEGER' | 'BIGINT' | 'REAL'>>;
}

const int = (...names: string[]) => Object.fromEntries(names.map((n) => [n, 'INTEGER' as const]));
const big = (...names: string[]) => Object.fromEntries(names.map((n) => [n, 'BIGINT' as const]));

/** Every rollup family. Primary keys put the time column right after the equality columns, so a period is one range scan. */
export const FAMILIES = {
  funnel: { prefix: 'rollup_funnel', grains: ['hour', 'day'], before: ['funnel_id'], after: [], counters: { ...int('enrolled', 'active', 'converted'), revenue: 'REAL' } },
  touch: {
    prefix: 'rollup_touch', grains: ['hour', 'day'], before: ['funnel_id'], after: ['touch_id'],
    counters: int('sent', 'delivered', 'outbox', 'failed', 'skipped', 'held_out', 'opened', 'clicked', 'replied', 'unsubscribed', 'deferred', 'reached_converted', 'held_out_converted'),
  },
  reason: { prefix: 'rollup_reason', grains: ['hour', 'day'], before: ['funnel_id'], after: ['touch_id', 'kind', 'reason'], counters: int('n') },
  credit: { prefix: 'rollup_credit', grains: ['hour', 'day'], before: ['funnel_id', 'model'], after: ['touch_id'], counters: { credit: 'REAL', revenue: 'REAL', ...int('conversions', 'assisted') } },
  lag: { prefix: 'rollup_lag', grains: ['day'], before: ['funnel_id', 'model'], after: ['touch_id', 'bucket'], counters: int('n') },
  split: { prefix: 'rollup_split', grains: ['hour', 'day'], before: ['funnel_id'], after: ['split_id', 'variant_id'], counters: int('assigned', 'converted') },
  // Money (migration 0022, src/analytics/money-contributions.ts), minor units: `dim` '' the whole funnel's enrollments,
  // conversions and orders, 'touch' each touch's billed messages (`gkey` the touch), 'contact' all of them per contact
  // source (`gkey`) and campaign (`gkey2`), 'attribute' per attribute (`gkey`, one of `money_attributes`) and value
  // (`gkey2`; contacts without it are not there); `currency` '' for rows without one (enrollments, messages).
  money: {
    prefix: 'rollup_money', grains: ['hour', 'day'], before: ['funnel_id', 'dim'], after: ['gkey', 'gkey2', 'currency'],
    counters: big('enrolled', 'converted', 'orders', 'first_orders', 'revenue_minor', 'first_revenue_minor', 'reached', 'sms_cost_minor', 'email_reached', 'telegram_reached'),
  },
  // Leads of every funnel per source and campaign (`campaign` '' for none, else '=' + the campaign): how spend is shared.
  lead: { prefix: 'rollup_lead', grains: ['hour', 'day'], before: [], after: ['source', 'campaign', 'funnel_id'], counters: big('n') },
} as const satisfies Record<string, Family>;
/** A rollup family's name. */
export type FamilyName = keyof typeof FAMILIES;

/** The table of a family at a grain: `rollup_touch_hours`, `rollup_touch_days`. */
export const rollupTable = (family: FamilyName, grain: Grain) => `${FAMILIES[family].prefix}_${grain}s`;

/** Every rollup table. */
export const ROLLUP_TABLE_NAMES: readonly string[] = Object.entries(FAMILIES)
  .flatMap(([name, f]) => f.grains.map((g) => rollupTable(name as FamilyName, g)));

/**
 * The rollup tables (on SQLite WITHOUT ROWID: their primary key is the range-scan order of the stats queries).
 * PostgreSQL's REAL is 4 bytes: sums of money and credit there are DOUBLE PRECISION, as SQLite's REAL is.
 */
export function rollupTablesDdl(dialect: SqlDialect, only?: readonly FamilyName[]): string[] {
  return Object.entries(FAMILIES).filter(([name]) => !only || only.includes(name as FamilyName)).flatMap(([name, f]: [string, Family]) => f.grains.map((grain) => {
    const keys = [...f.before, grain, ...f.after];
    const keyCols = keys.map((k) => `${k} ${k === grain || k === 'bucket' ? 'INTEGER' : 'TEXT'} NOT NULL`);
    const counterCols = Object.entries(f.counters)
      .map(([c, type]) => `${c} ${type === 'REAL' && dialect === 'postgres' ? 'DOUBLE PRECISION' : type} NOT NULL DEFAULT 0`);
    const table = `CREATE TABLE ${rollupTable(name as FamilyName, grain)} (${[...keyCols, ...counterCols].join(', ')}, PRIMARY KEY (${keys.join(', ')}))`;
    return dialect === 'postgres' ? table : `${table} WITHOUT ROWID`;
  }));
}

/** Indexes the raw-table queries of the ragged ends of a period need. */
export const ROLLUP_INDEXES_DDL: readonly string[] = [
  'CREATE INDEX deliveries_funnel_scheduled ON deliveries (funnel_id, scheduled_at)',
  'CREATE INDEX attributions_funnel_time ON attributions (funnel_id, model, occurred_at)',
  'CREATE INDEX touch_log_funnel_time ON touch_log (funnel_id, kind, at)',
  'CREATE INDEX split_assignments_funnel_time ON split_assignments (funnel_id, at)',
];

function upsert(c: Contribution, grain: Grain, values: (expr: string) => string, tail: string, dialect: SqlDialect): string {
  const f: Family = FAMILIES[c.family];
  const keys = [...f.before, grain, ...f.after];
  const keyValues = keys.map((k) => (k === grain ? `CAST((${c.at}) / ${GRAINS[grain]} AS INTEGER)` : c.keys[k]!));
  const names = Object.keys(c.counters);
  const table = rollupTable(c.family, grain);
  return `INSERT INTO ${table} (${[...keys, ...names].join(', ')})
    SELECT ${[...keyValues, ...names.map((n) => values(c.counters[n]!))].join(', ')} ${tail}
    ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${names.map((n) => `${n} = ${dialect === 'postgres' ? `${table}.` : ''}${n} + excluded.${n}`).join(', ')}`;
}

/** The statements adding `sign ×` a contribution to its rollup row at every grain (a trigger body). */
export function contributionSql(c: Contribution, sign: 1 | -1, dialect: SqlDialect): string[] {
  const tail = `${c.from ? `FROM ${c.from}` : ''} WHERE ${c.where ?? 'true'}`;
  return FAMILIES[c.family].grains.map((g) => upsert(c, g, (e) => (sign === 1 ? `(${e})` : `-(${e})`), tail, dialect));
}

/**
 * Like contributionSql, but a contribution over joined rows (`from`) adds one sum per rollup row (GROUP BY): PostgreSQL
 * refuses an INSERT … ON CONFLICT DO UPDATE that updates one row twice (a contact's deliveries in one hour).
 */
export function groupedContributionSql(c: Contribution, sign: 1 | -1, dialect: SqlDialect): string[] {
  if (!c.from) return contributionSql(c, sign, dialect);
  const f: Family = FAMILIES[c.family];
  return f.grains.map((g) => {
    const tail = `FROM ${c.from} WHERE ${c.where ?? 'true'} GROUP BY ${[...f.before, g, ...f.after].map((_, i) => i + 1).join(', ')}`;
    return upsert(c, g, (e) => (sign === 1 ? `sum(${e})` : `-sum(${e})`), tail, dialect);
  });
}

/** The same contribution summed over every row of `source` (aliased `r`), at every grain: statements of a rebuild. */
export function aggregateContributionSql(source: string, c: Contribution, dialect: SqlDialect): string[] {
  const f: Family = FAMILIES[c.family];
  return f.grains.map((g) => {
    const tail = `FROM ${source} AS r${c.from ? `, ${c.from}` : ''} WHERE ${c.where ?? 'true'} GROUP BY ${[...f.before, g, ...f.after].map((_, i) => i + 1).join(', ')}`;
    return upsert(c, g, (e) => `sum(${e})`, tail, dialect);
  });
}

/** What one table's triggers do: the statements adding a new row's contributions, those taking an old row's back, and the columns whose change moves them. */
export interface TableTriggers {
  add: string[];
  remove: string[];
  watched: readonly string[];
}

/**
 * AFTER INSERT / UPDATE / DELETE triggers `<prefix>_<table>_ai|au|ad` on each table: an insert adds the row's
 * contributions, a delete takes them back, an update touching a watched column does both (SQLite: inline bodies;
 * PostgreSQL: plpgsql functions of the same names).
 */
export function triggersDdl(prefix: string, tables: Readonly<Record<string, TableTriggers>>, dialect: SqlDialect): string[] {
  const out: string[] = [];
  for (const [table, { add, remove, watched }] of Object.entries(tables)) {
    const kinds = [
      { kind: 'ai', event: 'INSERT', when: [] as readonly string[], body: add },
      { kind: 'au', event: 'UPDATE', when: watched, body: [...remove, ...add] },
      { kind: 'ad', event: 'DELETE', when: [] as readonly string[], body: remove },
    ];
    for (const { kind, event, when, body } of kinds) {
      const name = `${prefix}_${table}_${kind}`;
      const stmts = body.map((x) => `${x};`).join('\n');
      if (dialect === 'sqlite') {
        const changed = when.length ? `WHEN ${when.map((c) => `old.${c} IS NOT new.${c}`).join(' OR ')} ` : '';
        out.push(`CREATE TRIGGER ${name} AFTER ${event} ON ${table} FOR EACH ROW ${changed}BEGIN\n${stmts}\nEND`);
      } else {
        const changed = when.length ? `WHEN (${when.map((c) => `old.${c} IS DISTINCT FROM new.${c}`).join(' OR ')}) ` : '';
        out.push(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n${stmts}\nRETURN NULL;\nEND\n$$`);
        out.push(`CREATE TRIGGER ${name} AFTER ${event} ON ${table} FOR EACH ROW ${changed}EXECUTE FUNCTION ${name}()`);
      }
    }
  }
  return out;
}

/** Statements dropping the triggers `triggersDdl(prefix, …)` created on `tables` (and on PostgreSQL their functions). */
export function dropTriggersDdl(prefix: string, tables: readonly string[], dialect: SqlDialect): string[] {
  return tables.flatMap((table) => ['ai', 'au', 'ad'].flatMap((k) => (dialect === 'sqlite'
    ? [`DROP TRIGGER IF EXISTS ${prefix}_${table}_${k}`]
    : [`DROP TRIGGER IF EXISTS ${prefix}_${table}_${k} ON ${table}`, `DROP FUNCTION IF EXISTS ${prefix}_${table}_${k}()`])));
}

/** AFTER INSERT / UPDATE / DELETE triggers on each ledger table keeping the rollups equal to a rebuild from scratch. */
export function rollupTriggersDdl(dialect: SqlDialect): string[] {
  const tables = Object.fromEntries(Object.entries(contributionsOf(dialect)).map(([table, contribute]) => [table, {
    add: contribute('new').flatMap((c) => contributionSql(c, 1, dialect)),
    remove: contribute('old').flatMap((c) => contributionSql(c, -1, dialect)),
    watched: WATCHED[table]!,
  }]));
  return triggersDdl('rollup', tables, dialect);
}

/** Statements dropping the triggers (and on PostgreSQL their functions). */
export function dropRollupTriggersDdl(dialect: SqlDialect): string[] {
  return dropTriggersDdl('rollup', Object.keys(contributionsOf('sqlite')), dialect);
}

/** Runs DDL statements one by one. */
export async function runDdl(db: Kysely<any>, statements: readonly string[]): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}
