import { PostgresAdapter, sql, type Kysely } from 'kysely';

/*
 * Staff and offline touches (a manager's call, a meeting, a printed letter) logged through `POST /api/touches`.
 * `logged_touches` keeps what was logged (who, what kind, when, outcome, notes, value); each enrollment the touch counts
 * in gets a ledger row in `deliveries` (touch id = the kind, channel `staff`) pointing back through `logged_touch_id`.
 * A contact can be called twice in one enrollment, so the ledger's "one row per enrollment and touch" rule
 * (`deliveries_once`) now holds for the engine's own touches only: it becomes a unique index on rows without
 * `logged_touch_id`. SQLite cannot drop a constraint, so there the table is copied (its indexes and the rollup
 * triggers are put back as they were, from their stored SQL); PostgreSQL drops the constraint.
 *
 * A conversion's trigger adds its "converted after" counters over the enrollment's deliveries in one INSERT … SELECT
 * … ON CONFLICT DO UPDATE. SQLite applies it row by row; PostgreSQL refuses a statement that updates one rollup row
 * twice, which two logged calls of one enrollment in the same hour now make. On PostgreSQL those statements of the
 * conversion triggers' functions are rewritten to add each rollup row's sum once (the same counts).
 */

const ONCE_CONSTRAINT = /,\s*constraint "deliveries_once" unique \("enrollment_id", "touch_id"\)/;

/** Creates the table of logged touches and lets the ledger hold several logged touches of one kind per enrollment; in one transaction. */
export async function up(db: Kysely<any>): Promise<void> {
  await inTransaction(db, upSteps);
}

/** Drops the logged touches (their ledger rows and credit with them) and puts the constraint back; in one transaction. */
export async function down(db: Kysely<any>): Promise<void> {
  await inTransaction(db, downSteps);
}

async function inTransaction(db: Kysely<any>, steps: (trx: Kysely<any>) => Promise<void>): Promise<void> {
  if (db.isTransaction) await steps(db);
  else await db.transaction().execute(steps);
}

async function upSteps(db: Kysely<any>): Promise<void> {
  const postgres = isPostgres(db);
  await db.schema.createTable('logged_touches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('funnel_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('by', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('notes', 'text')
    .addColumn('value', postgres ? 'double precision' : 'real')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('logged_touches_contact').on('logged_touches').columns(['contact_id', 'at']).execute();
  await db.schema.createIndex('logged_touches_by').on('logged_touches').columns(['by', 'at']).execute();

  await db.schema.alterTable('deliveries').addColumn('logged_touch_id', 'text').execute();
  if (postgres) await db.schema.alterTable('deliveries').dropConstraint('deliveries_once').execute();
  else await rebuildDeliveries(db, (create) => dropOnce(create));
  await db.schema.createIndex('deliveries_once').on('deliveries').columns(['enrollment_id', 'touch_id']).unique()
    .where(sql.ref('logged_touch_id'), 'is', null).execute();
  if (postgres) await rewriteConversionTriggers(db, groupDeliveryRows);
  await db.schema.createIndex('deliveries_logged').on('deliveries').column('logged_touch_id')
    .where(sql.ref('logged_touch_id'), 'is not', null).execute();
}

async function downSteps(db: Kysely<any>): Promise<void> {
  const logged = db.selectFrom('deliveries').select('id').where('logged_touch_id', 'is not', null);
  await db.deleteFrom('attributions').where('delivery_id', 'in', logged).execute();
  await db.deleteFrom('deliveries').where('logged_touch_id', 'is not', null).execute();
  await db.schema.dropIndex('deliveries_logged').execute();
  if (isPostgres(db)) await rewriteConversionTriggers(db, ungroupDeliveryRows);
  await db.schema.dropIndex('deliveries_once').execute();
  await db.schema.alterTable('deliveries').dropColumn('logged_touch_id').execute();
  if (isPostgres(db)) await db.schema.alterTable('deliveries').addUniqueConstraint('deliveries_once', ['enrollment_id', 'touch_id']).execute();
  else await rebuildDeliveries(db, (create) => create.replace(/\)\s*$/, ', constraint "deliveries_once" unique ("enrollment_id", "touch_id"))'));
  await db.schema.dropTable('logged_touches').execute();
}

/** The per-delivery SELECT of a conversion trigger (keys funnel, time bucket, touch; two counters), one line each. */
const PER_DELIVERY = /SELECT d\.funnel_id, CAST\(\(d\.scheduled_at\) \/ \d+ AS INTEGER\), d\.touch_id, [^\n]+? FROM deliveries d WHERE [^\n]+/g;
const GROUPED = /SELECT g\.f, g\.b, g\.t, sum\(g\.r\), sum\(g\.h\) FROM \((SELECT [^\n]+?)\) AS g\(f, b, t, r, h\) GROUP BY g\.f, g\.b, g\.t/g;
/** How many per-delivery statements each conversion trigger function has (two grains; the update trigger undoes and redoes). */
const CONVERSION_FUNCTIONS = { rollup_conversions_ai: 2, rollup_conversions_au: 4, rollup_conversions_ad: 2 } as const;

function groupDeliveryRows(body: string): { text: string; n: number } {
  let n = 0;
  const text = body.replace(PER_DELIVERY, (select) => {
    n += 1;
    return `SELECT g.f, g.b, g.t, sum(g.r), sum(g.h) FROM (${select}) AS g(f, b, t, r, h) GROUP BY g.f, g.b, g.t`;
  });
  return { text, n };
}

function ungroupDeliveryRows(body: string): { text: string; n: number } {
  let n = 0;
  const text = body.replace(GROUPED, (_, select: string) => {
    n += 1;
    return select;
  });
  return { text, n };
}

/** PostgreSQL: replaces each conversion trigger function with `rewrite` of its body (failing if it finds other SQL than expected). */
async function rewriteConversionTriggers(db: Kysely<any>, rewrite: (body: string) => { text: string; n: number }): Promise<void> {
  for (const [name, expected] of Object.entries(CONVERSION_FUNCTIONS)) {
    const found = await sql<{ prosrc: string }>`SELECT prosrc FROM pg_proc WHERE proname = ${name}`.execute(db);
    const { text, n } = rewrite(found.rows[0]?.prosrc ?? '');
    if (n !== expected) throw new Error(`0014: ${name} has ${n} per-delivery statements to rewrite, expected ${expected}`);
    await sql.raw(`CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$${text}$$`).execute(db);
  }
}

function dropOnce(create: string): string {
  if (!ONCE_CONSTRAINT.test(create)) throw new Error('0014: the deliveries table has no deliveries_once constraint to relax');
  return create.replace(ONCE_CONSTRAINT, '');
}

/**
 * SQLite: copies `deliveries` into a table made by `rewrite` of its CREATE statement and puts it in its place, with
 * the same rows, indexes and triggers (dropping a table drops both; renaming in legacy mode leaves the triggers of
 * other tables that read `deliveries` as they are).
 */
async function rebuildDeliveries(db: Kysely<any>, rewrite: (create: string) => string): Promise<void> {
  const table = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'deliveries'`.execute(db);
  const attached = await sql<{ type: string; sql: string }>`SELECT type, sql FROM sqlite_master
    WHERE tbl_name = 'deliveries' AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name`.execute(db);
  const create = rewrite(table.rows[0]!.sql).replace(/^CREATE TABLE "deliveries"/, 'CREATE TABLE "deliveries_next"');
  await sql.raw(create).execute(db);
  await sql`INSERT INTO deliveries_next SELECT * FROM deliveries`.execute(db);
  await sql`DROP TABLE deliveries`.execute(db);
  await sql`PRAGMA legacy_alter_table = ON`.execute(db);
  await sql`ALTER TABLE deliveries_next RENAME TO deliveries`.execute(db);
  await sql`PRAGMA legacy_alter_table = OFF`.execute(db);
  for (const { sql: statement } of attached.rows) await sql.raw(statement).execute(db);
}

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
