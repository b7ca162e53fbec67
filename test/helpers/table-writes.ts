/*
 * Which tables a source file writes, read from its text: kysely builders (insertInto/updateTable/deleteFrom/
 * replaceInto/mergeInto) with the table named literally or not, and raw SQL writes to the ledger tables.
 */

const BUILDER = /\b(insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(\s*(?:(['"`])([\w.]+)\2|([^'"`\s)][^)]*))/g;
const RAW = /\b(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|update(?:\s+or\s+\w+)?|delete\s+from)\s+["`]?(\w+)/gi;

/** Source without comments (a comment may describe a write without making one). */
function code(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Every table write in `source`: `{ table }` for a literal table name, `{ dynamic }` for any other expression. */
export function tableWrites(source: string): Array<{ table: string } | { dynamic: string }> {
  const src = code(source);
  const out: Array<{ table: string } | { dynamic: string }> = [];
  for (const m of src.matchAll(BUILDER)) out.push(m[3] ? { table: m[3].split(/\s+as\s+|\./)[0]! } : { dynamic: m[4]!.trim() });
  for (const m of src.matchAll(RAW)) if (['deliveries', 'touch_log'].includes(m[1]!.toLowerCase())) out.push({ table: m[1]!.toLowerCase() });
  return out;
}

