import { sql, type RawBuilder } from 'kysely';
import type { SqlDialect } from '../db/database';

/** What the money figures are grouped by: the contact's first source, its campaign, or an attribute of the funnel. */
export type GroupBy = { kind: 'source' } | { kind: 'campaign' } | { kind: 'attribute'; name: string };

/** The key of contacts without a value to group by. */
export const NO_KEY = '(none)';

/** Reads `?groupBy=source|campaign|attribute:<name>`; undefined for an unknown form. */
export function parseGroupBy(text: string): GroupBy | undefined {
  if (text === 'source' || text === 'campaign') return { kind: text };
  const m = /^attribute:([\w.-]{1,100})$/.exec(text);
  return m ? { kind: 'attribute', name: m[1]! } : undefined;
}

/**
 * The SQL of a group's key over the contacts table aliased `k`, as text on both databases (a boolean attribute is
 * `true`/`false`, a number its decimal form); null when the contact has none. Without `groupBy`, one constant key.
 */
export function groupKeySql(groupBy: GroupBy | undefined, dialect: SqlDialect): RawBuilder<string | null> {
  if (!groupBy) return sql<string>`''`;
  if (groupBy.kind === 'source') return sql<string | null>`k.source`;
  if (groupBy.kind === 'campaign') return sql<string | null>`k.campaign`;
  if (dialect === 'postgres') return sql<string | null>`(k.attributes::jsonb ->> ${groupBy.name})`;
  const path = `$."${groupBy.name}"`;
  return sql<string | null>`(CASE json_type(k.attributes, ${path}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
    ELSE CAST(json_extract(k.attributes, ${path}) AS TEXT) END)`;
}
