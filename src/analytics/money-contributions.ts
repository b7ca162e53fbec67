import type { SqlDialect } from '../db/database';
import { flagSql, sqlList } from './rollup-sql';
import type { Contribution } from './rollup-contributions';

/*
 * What each row adds to the money rollups (`rollup_money_*`, `rollup_lead_*`). A row's group is its contact's
 * CURRENT source or campaign: the ledger row joins `contacts`, and the contact's own trigger moves the contributions
 * of all its rows when the source or campaign changes, so the rollups always equal the raw GROUP BY over a join.
 * Changing a fragment changes what new databases count: ship it with a migration (0022 froze these).
 */

/** Statuses of a delivery that was billed: sent or delivered (the dev outbox costs nothing), as messageCostSql counts. */
export const BILLED_SQL = sqlList(['sent', 'delivered']);

/** One money row: when it counts, its funnel and currency, what it adds, and the condition it counts under (alias `x`). */
interface MoneyRow {
  at: string;
  currency: string;
  counters: Record<string, string>;
  where?: string;
  /** Deliveries: the touch, their whole-funnel key (the funnel's message cost is its touches'). */
  touch?: string;
}

/** The money of each ledger table's row `x`. */
const moneyRows = (dialect: SqlDialect): Record<string, (x: string) => MoneyRow> => ({
  enrollments: (x) => ({ at: `${x}.enrolled_at`, currency: `''`, counters: { enrolled: '1' } }),
  conversions: (x) => ({ at: `${x}.occurred_at`, currency: `''`, counters: { converted: '1' } }),
  orders: (x) => ({
    at: `${x}.occurred_at`, currency: `${x}.currency`,
    counters: {
      orders: '1', first_orders: `${x}.is_first`, revenue_minor: `${x}.amount_minor`,
      first_revenue_minor: `(CASE WHEN ${x}.is_first = 1 THEN ${x}.amount_minor ELSE 0 END)`,
    },
  }),
  deliveries: (x) => ({
    at: `${x}.scheduled_at`, currency: `''`, where: `${x}.status IN ${BILLED_SQL}`, touch: `${x}.touch_id`,
    counters: {
      reached: '1',
      sms_cost_minor: `(CASE WHEN ${x}.channel = 'sms' THEN CAST(round(coalesce(${x}.cost, 0) * 100) AS INTEGER) ELSE 0 END)`,
      email_reached: flagSql(`${x}.channel = 'email'`, dialect),
      telegram_reached: flagSql(`${x}.channel = 'telegram'`, dialect),
    },
  }),
});

/** A lead's campaign as a key column: '' without one, else '=' and the campaign (so no campaign and an empty one differ). */
export const leadCampaignSql = (k: string) => `(CASE WHEN ${k}.campaign IS NULL THEN '' ELSE '=' || ${k}.campaign END)`;

const and = (...conditions: Array<string | undefined>) => conditions.filter((c) => c !== undefined).join(' AND ');

/** The per-contact contribution of money row `row` (of alias `x`) with its contact `k`: keyed by source and campaign ('' for none). */
function perContact(row: MoneyRow, x: string, k: string, from: string, where: string, onBehalfOf?: string): Contribution {
  return {
    family: 'money', at: row.at, from, where: and(where, row.where),
    keys: { funnel_id: `${x}.funnel_id`, dim: `'contact'`, gkey: `coalesce(${k}.source, '')`, gkey2: `coalesce(${k}.campaign, '')`, currency: row.currency },
    counters: row.counters, ...(onBehalfOf && { onBehalfOf }),
  };
}

/** The attributes the money is rolled up by, as a join alias `m` (`money_attributes`, one row per name). */
export const ROLLED_UP_ATTRIBUTES = 'money_attributes m';

/** Whether contact `k` has attribute `m.name` (a JSON null counts: its key is none, as an absent one's). */
const hasAttribute = (k: string, dialect: SqlDialect) => (dialect === 'postgres'
  ? `(${k}.attributes::jsonb -> m.name) IS NOT NULL`
  : `json_type(${k}.attributes, '$."' || m.name || '"') IS NOT NULL`);
/** The value of attribute `m.name` of contact `k` as the raw path's group key (group-key.ts), '' for none. */
const attributeValue = (k: string, dialect: SqlDialect) => {
  const path = `'$."' || m.name || '"'`;
  return dialect === 'postgres'
    ? `coalesce(${k}.attributes::jsonb ->> m.name, '')`
    : `coalesce(CASE json_type(${k}.attributes, ${path}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(json_extract(${k}.attributes, ${path}) AS TEXT) END, '')`;
};

/**
 * The per-attribute contribution of money row `row` (alias `x`) with its contact `k`: for each rolled-up attribute the
 * contact has, keyed by its name (`gkey`) and value (`gkey2`). Without any attribute rolled up it costs one empty join.
 */
function perAttribute(row: MoneyRow, x: string, k: string, from: string, where: string, dialect: SqlDialect, onBehalfOf?: string): Contribution {
  return {
    family: 'money', at: row.at, from: `${from}, ${ROLLED_UP_ATTRIBUTES}`, where: and(where, hasAttribute(k, dialect), row.where),
    keys: { funnel_id: `${x}.funnel_id`, dim: `'attribute'`, gkey: 'm.name', gkey2: attributeValue(k, dialect), currency: row.currency },
    counters: row.counters, ...(onBehalfOf && { onBehalfOf }),
  };
}

function lead(x: string, k: string, from: string, where: string, onBehalfOf?: string): Contribution {
  return {
    family: 'lead', at: `${x}.enrolled_at`, from, where: `${where} AND ${k}.source IS NOT NULL`,
    keys: { source: `${k}.source`, campaign: leadCampaignSql(k), funnel_id: `${x}.funnel_id` }, counters: { n: '1' },
    ...(onBehalfOf && { onBehalfOf }),
  };
}

/**
 * What each row (alias `r`) of each table adds to the money rollups, in the SQL of `dialect`: the whole funnel
 * (deliveries: each touch) without a join; per source and campaign, and per value of each attribute in `money_attributes`,
 * through the contact. A contact's own row carries
 * the per-contact contributions of all its rows (`onBehalfOf`), so changing its source, campaign or attributes moves them.
 */
export const moneyContributionsOf = (dialect: SqlDialect): Record<string, (r: string) => Contribution[]> => {
  const rows = moneyRows(dialect);
  const ledger = Object.fromEntries(Object.entries(rows).map(([table, money]) => [table, (r: string): Contribution[] => {
    const row = money(r);
    const whole: Contribution = {
      family: 'money', at: row.at, counters: row.counters, ...(row.where && { where: row.where }),
      keys: { funnel_id: `${r}.funnel_id`, dim: row.touch ? `'touch'` : `''`, gkey: row.touch ?? `''`, gkey2: `''`, currency: row.currency },
    };
    return [
      whole,
      perContact(row, r, 'k', 'contacts k', `k.id = ${r}.contact_id`),
      perAttribute(row, r, 'k', 'contacts k', `k.id = ${r}.contact_id`, dialect),
      ...(table === 'enrollments' ? [lead(r, 'k', 'contacts k', `k.id = ${r}.contact_id`)] : []),
    ];
  }]));
  return {
    ...ledger,
    contacts: (r) => [
      ...Object.entries(rows).flatMap(([table, money]) => [
        perContact(money('x'), 'x', r, `${table} x`, `x.contact_id = ${r}.id`, table),
        perAttribute(money('x'), 'x', r, `${table} x`, `x.contact_id = ${r}.id`, dialect, table),
      ]),
      lead('x', r, 'enrollments x', `x.contact_id = ${r}.id`, 'enrollments'),
    ],
  };
};

/** Columns whose change moves a row's money contributions. */
export const MONEY_WATCHED: Record<string, string[]> = {
  enrollments: ['funnel_id', 'contact_id', 'enrolled_at'],
  conversions: ['funnel_id', 'contact_id', 'occurred_at'],
  orders: ['funnel_id', 'contact_id', 'is_first', 'amount_minor', 'currency', 'occurred_at'],
  deliveries: ['funnel_id', 'contact_id', 'touch_id', 'channel', 'status', 'cost', 'scheduled_at'],
  contacts: ['source', 'campaign', 'attributes'],
};
