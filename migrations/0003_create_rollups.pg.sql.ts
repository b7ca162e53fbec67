/*
 * The PostgreSQL SQL of migration 0003, inlined as the application generated it on the day PostgreSQL support
 * shipped (src/analytics/rollup-ddl.ts, rollup-rebuild.ts with dialect 'postgres'): the same tables, rebuild and
 * counting as ./0003_create_rollups.sql.ts, with PostgreSQL's types (DOUBLE PRECISION for SQLite's 8-byte REAL),
 * 0/1 counters cast from booleans, and each trigger calling a plpgsql function of its name. Frozen: never edit or
 * regenerate this file; a change to the rollups is a new migration. test/migrations/frozen-0003.test.ts checks that
 * it builds the same rows as the SQLite version.
 */

/** The rollup tables. */
export const PG_ROLLUP_TABLES: readonly string[] = [
  `CREATE TABLE rollup_funnel_hours (funnel_id TEXT NOT NULL, hour INTEGER NOT NULL, enrolled INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 0, converted INTEGER NOT NULL DEFAULT 0, revenue DOUBLE PRECISION NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, hour))`,
  `CREATE TABLE rollup_funnel_days (funnel_id TEXT NOT NULL, day INTEGER NOT NULL, enrolled INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 0, converted INTEGER NOT NULL DEFAULT 0, revenue DOUBLE PRECISION NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, day))`,
  `CREATE TABLE rollup_touch_hours (funnel_id TEXT NOT NULL, hour INTEGER NOT NULL, touch_id TEXT NOT NULL, sent INTEGER NOT NULL DEFAULT 0, delivered INTEGER NOT NULL DEFAULT 0, outbox INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0, held_out INTEGER NOT NULL DEFAULT 0, opened INTEGER NOT NULL DEFAULT 0, clicked INTEGER NOT NULL DEFAULT 0, replied INTEGER NOT NULL DEFAULT 0, unsubscribed INTEGER NOT NULL DEFAULT 0, deferred INTEGER NOT NULL DEFAULT 0, reached_converted INTEGER NOT NULL DEFAULT 0, held_out_converted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, hour, touch_id))`,
  `CREATE TABLE rollup_touch_days (funnel_id TEXT NOT NULL, day INTEGER NOT NULL, touch_id TEXT NOT NULL, sent INTEGER NOT NULL DEFAULT 0, delivered INTEGER NOT NULL DEFAULT 0, outbox INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0, held_out INTEGER NOT NULL DEFAULT 0, opened INTEGER NOT NULL DEFAULT 0, clicked INTEGER NOT NULL DEFAULT 0, replied INTEGER NOT NULL DEFAULT 0, unsubscribed INTEGER NOT NULL DEFAULT 0, deferred INTEGER NOT NULL DEFAULT 0, reached_converted INTEGER NOT NULL DEFAULT 0, held_out_converted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, day, touch_id))`,
  `CREATE TABLE rollup_reason_hours (funnel_id TEXT NOT NULL, hour INTEGER NOT NULL, touch_id TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL, n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, hour, touch_id, kind, reason))`,
  `CREATE TABLE rollup_reason_days (funnel_id TEXT NOT NULL, day INTEGER NOT NULL, touch_id TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL, n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, day, touch_id, kind, reason))`,
  `CREATE TABLE rollup_credit_hours (funnel_id TEXT NOT NULL, model TEXT NOT NULL, hour INTEGER NOT NULL, touch_id TEXT NOT NULL, credit DOUBLE PRECISION NOT NULL DEFAULT 0, revenue DOUBLE PRECISION NOT NULL DEFAULT 0, conversions INTEGER NOT NULL DEFAULT 0, assisted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, model, hour, touch_id))`,
  `CREATE TABLE rollup_credit_days (funnel_id TEXT NOT NULL, model TEXT NOT NULL, day INTEGER NOT NULL, touch_id TEXT NOT NULL, credit DOUBLE PRECISION NOT NULL DEFAULT 0, revenue DOUBLE PRECISION NOT NULL DEFAULT 0, conversions INTEGER NOT NULL DEFAULT 0, assisted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, model, day, touch_id))`,
  `CREATE TABLE rollup_lag_days (funnel_id TEXT NOT NULL, model TEXT NOT NULL, day INTEGER NOT NULL, touch_id TEXT NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, model, day, touch_id, bucket))`,
  `CREATE TABLE rollup_split_hours (funnel_id TEXT NOT NULL, hour INTEGER NOT NULL, split_id TEXT NOT NULL, variant_id TEXT NOT NULL, assigned INTEGER NOT NULL DEFAULT 0, converted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, hour, split_id, variant_id))`,
  `CREATE TABLE rollup_split_days (funnel_id TEXT NOT NULL, day INTEGER NOT NULL, split_id TEXT NOT NULL, variant_id TEXT NOT NULL, assigned INTEGER NOT NULL DEFAULT 0, converted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, day, split_id, variant_id))`,
];

/** Every rollup recomputed from the existing ledger rows. */
export const PG_ROLLUP_REBUILD: readonly string[] = [
  `DELETE FROM rollup_funnel_hours`,
  `DELETE FROM rollup_funnel_days`,
  `DELETE FROM rollup_touch_hours`,
  `DELETE FROM rollup_touch_days`,
  `DELETE FROM rollup_reason_hours`,
  `DELETE FROM rollup_reason_days`,
  `DELETE FROM rollup_credit_hours`,
  `DELETE FROM rollup_credit_days`,
  `DELETE FROM rollup_lag_days`,
  `DELETE FROM rollup_split_hours`,
  `DELETE FROM rollup_split_days`,
  `INSERT INTO rollup_funnel_hours (funnel_id, hour, enrolled, active)
    SELECT r.funnel_id, CAST((r.enrolled_at) / 3600000 AS INTEGER), sum(1), sum(CAST(r.status = 'active' AS INTEGER)) FROM enrollments AS r WHERE true GROUP BY 1, 2
    ON CONFLICT (funnel_id, hour) DO UPDATE SET enrolled = rollup_funnel_hours.enrolled + excluded.enrolled, active = rollup_funnel_hours.active + excluded.active`,
  `INSERT INTO rollup_funnel_days (funnel_id, day, enrolled, active)
    SELECT r.funnel_id, CAST((r.enrolled_at) / 86400000 AS INTEGER), sum(1), sum(CAST(r.status = 'active' AS INTEGER)) FROM enrollments AS r WHERE true GROUP BY 1, 2
    ON CONFLICT (funnel_id, day) DO UPDATE SET enrolled = rollup_funnel_days.enrolled + excluded.enrolled, active = rollup_funnel_days.active + excluded.active`,
  `INSERT INTO rollup_funnel_hours (funnel_id, hour, converted, revenue)
    SELECT r.funnel_id, CAST((r.occurred_at) / 3600000 AS INTEGER), sum(1), sum(r.value) FROM conversions AS r WHERE true GROUP BY 1, 2
    ON CONFLICT (funnel_id, hour) DO UPDATE SET converted = rollup_funnel_hours.converted + excluded.converted, revenue = rollup_funnel_hours.revenue + excluded.revenue`,
  `INSERT INTO rollup_funnel_days (funnel_id, day, converted, revenue)
    SELECT r.funnel_id, CAST((r.occurred_at) / 86400000 AS INTEGER), sum(1), sum(r.value) FROM conversions AS r WHERE true GROUP BY 1, 2
    ON CONFLICT (funnel_id, day) DO UPDATE SET converted = rollup_funnel_days.converted + excluded.converted, revenue = rollup_funnel_days.revenue + excluded.revenue`,
  `INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT r.funnel_id, CAST((r.scheduled_at) / 3600000 AS INTEGER), r.touch_id, sum(CAST((r.status IN ('sent', 'delivered')) AS INTEGER)), sum(CAST((r.status = 'delivered' OR (r.status = 'sent' AND r.delivered_at IS NOT NULL)) AS INTEGER)), sum(CAST((r.status = 'outbox') AS INTEGER)), sum(CAST((r.status = 'failed') AS INTEGER)), sum(CAST((r.status = 'skipped') AS INTEGER)), sum(CAST((r.status = 'held_out') AS INTEGER)), sum(CAST((r.opened_at IS NOT NULL) AS INTEGER)), sum(CAST((r.clicked_at IS NOT NULL) AS INTEGER)), sum(CAST((r.replied_at IS NOT NULL) AS INTEGER)), sum(CAST((r.unsubscribed_at IS NOT NULL) AS INTEGER)), sum(CAST((r.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = r.enrollment_id AND c.occurred_at >= r.scheduled_at)) AS INTEGER)), sum(CAST((r.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = r.enrollment_id AND c.occurred_at >= r.scheduled_at)) AS INTEGER)) FROM deliveries AS r WHERE true GROUP BY 1, 2, 3
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET sent = rollup_touch_hours.sent + excluded.sent, delivered = rollup_touch_hours.delivered + excluded.delivered, outbox = rollup_touch_hours.outbox + excluded.outbox, failed = rollup_touch_hours.failed + excluded.failed, skipped = rollup_touch_hours.skipped + excluded.skipped, held_out = rollup_touch_hours.held_out + excluded.held_out, opened = rollup_touch_hours.opened + excluded.opened, clicked = rollup_touch_hours.clicked + excluded.clicked, replied = rollup_touch_hours.replied + excluded.replied, unsubscribed = rollup_touch_hours.unsubscribed + excluded.unsubscribed, reached_converted = rollup_touch_hours.reached_converted + excluded.reached_converted, held_out_converted = rollup_touch_hours.held_out_converted + excluded.held_out_converted`,
  `INSERT INTO rollup_touch_days (funnel_id, day, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT r.funnel_id, CAST((r.scheduled_at) / 86400000 AS INTEGER), r.touch_id, sum(CAST((r.status IN ('sent', 'delivered')) AS INTEGER)), sum(CAST((r.status = 'delivered' OR (r.status = 'sent' AND r.delivered_at IS NOT NULL)) AS INTEGER)), sum(CAST((r.status = 'outbox') AS INTEGER)), sum(CAST((r.status = 'failed') AS INTEGER)), sum(CAST((r.status = 'skipped') AS INTEGER)), sum(CAST((r.status = 'held_out') AS INTEGER)), sum(CAST((r.opened_at IS NOT NULL) AS INTEGER)), sum(CAST((r.clicked_at IS NOT NULL) AS INTEGER)), sum(CAST((r.replied_at IS NOT NULL) AS INTEGER)), sum(CAST((r.unsubscribed_at IS NOT NULL) AS INTEGER)), sum(CAST((r.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = r.enrollment_id AND c.occurred_at >= r.scheduled_at)) AS INTEGER)), sum(CAST((r.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = r.enrollment_id AND c.occurred_at >= r.scheduled_at)) AS INTEGER)) FROM deliveries AS r WHERE true GROUP BY 1, 2, 3
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET sent = rollup_touch_days.sent + excluded.sent, delivered = rollup_touch_days.delivered + excluded.delivered, outbox = rollup_touch_days.outbox + excluded.outbox, failed = rollup_touch_days.failed + excluded.failed, skipped = rollup_touch_days.skipped + excluded.skipped, held_out = rollup_touch_days.held_out + excluded.held_out, opened = rollup_touch_days.opened + excluded.opened, clicked = rollup_touch_days.clicked + excluded.clicked, replied = rollup_touch_days.replied + excluded.replied, unsubscribed = rollup_touch_days.unsubscribed + excluded.unsubscribed, reached_converted = rollup_touch_days.reached_converted + excluded.reached_converted, held_out_converted = rollup_touch_days.held_out_converted + excluded.held_out_converted`,
  `INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT r.funnel_id, CAST((r.scheduled_at) / 3600000 AS INTEGER), r.touch_id, 'skipped', coalesce(r.reason, 'unspecified'), sum(1) FROM deliveries AS r WHERE r.status = 'skipped' GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_hours.n + excluded.n`,
  `INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT r.funnel_id, CAST((r.scheduled_at) / 86400000 AS INTEGER), r.touch_id, 'skipped', coalesce(r.reason, 'unspecified'), sum(1) FROM deliveries AS r WHERE r.status = 'skipped' GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_days.n + excluded.n`,
  `INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, deferred)
    SELECT r.funnel_id, CAST((r.at) / 3600000 AS INTEGER), r.touch_id, sum(1) FROM touch_log AS r WHERE r.kind = 'deferred' GROUP BY 1, 2, 3
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET deferred = rollup_touch_hours.deferred + excluded.deferred`,
  `INSERT INTO rollup_touch_days (funnel_id, day, touch_id, deferred)
    SELECT r.funnel_id, CAST((r.at) / 86400000 AS INTEGER), r.touch_id, sum(1) FROM touch_log AS r WHERE r.kind = 'deferred' GROUP BY 1, 2, 3
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET deferred = rollup_touch_days.deferred + excluded.deferred`,
  `INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT r.funnel_id, CAST((r.at) / 3600000 AS INTEGER), r.touch_id, 'deferred', r.reason, sum(1) FROM touch_log AS r WHERE r.kind = 'deferred' GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_hours.n + excluded.n`,
  `INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT r.funnel_id, CAST((r.at) / 86400000 AS INTEGER), r.touch_id, 'deferred', r.reason, sum(1) FROM touch_log AS r WHERE r.kind = 'deferred' GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_days.n + excluded.n`,
  `INSERT INTO rollup_credit_hours (funnel_id, model, hour, touch_id, credit, revenue, conversions, assisted)
    SELECT r.funnel_id, r.model, CAST((r.occurred_at) / 3600000 AS INTEGER), r.touch_id, sum(r.credit), sum(r.revenue), sum(1), sum(CAST((r.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = r.conversion_id AND l.model = 'last_touch' AND l.delivery_id = r.delivery_id)) AS INTEGER)) FROM attributions AS r WHERE true GROUP BY 1, 2, 3, 4
    ON CONFLICT (funnel_id, model, hour, touch_id) DO UPDATE SET credit = rollup_credit_hours.credit + excluded.credit, revenue = rollup_credit_hours.revenue + excluded.revenue, conversions = rollup_credit_hours.conversions + excluded.conversions, assisted = rollup_credit_hours.assisted + excluded.assisted`,
  `INSERT INTO rollup_credit_days (funnel_id, model, day, touch_id, credit, revenue, conversions, assisted)
    SELECT r.funnel_id, r.model, CAST((r.occurred_at) / 86400000 AS INTEGER), r.touch_id, sum(r.credit), sum(r.revenue), sum(1), sum(CAST((r.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = r.conversion_id AND l.model = 'last_touch' AND l.delivery_id = r.delivery_id)) AS INTEGER)) FROM attributions AS r WHERE true GROUP BY 1, 2, 3, 4
    ON CONFLICT (funnel_id, model, day, touch_id) DO UPDATE SET credit = rollup_credit_days.credit + excluded.credit, revenue = rollup_credit_days.revenue + excluded.revenue, conversions = rollup_credit_days.conversions + excluded.conversions, assisted = rollup_credit_days.assisted + excluded.assisted`,
  `INSERT INTO rollup_lag_days (funnel_id, model, day, touch_id, bucket, n)
    SELECT r.funnel_id, r.model, CAST((r.occurred_at) / 86400000 AS INTEGER), r.touch_id, (CASE WHEN (greatest(0, r.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), r.occurred_at))) < 1000 THEN 0 ELSE 1 + CAST(floor(8 * log(2.0, (greatest(0, r.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), r.occurred_at))) / 1000.0)) AS INTEGER) END), sum(1) FROM attributions AS r, deliveries d WHERE d.id = r.delivery_id GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (funnel_id, model, day, touch_id, bucket) DO UPDATE SET n = rollup_lag_days.n + excluded.n`,
  `INSERT INTO rollup_split_hours (funnel_id, hour, split_id, variant_id, assigned, converted)
    SELECT r.funnel_id, CAST((r.at) / 3600000 AS INTEGER), r.split_id, r.variant_id, sum(1), sum(CAST(EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = r.enrollment_id AND c.occurred_at >= r.at) AS INTEGER)) FROM split_assignments AS r WHERE true GROUP BY 1, 2, 3, 4
    ON CONFLICT (funnel_id, hour, split_id, variant_id) DO UPDATE SET assigned = rollup_split_hours.assigned + excluded.assigned, converted = rollup_split_hours.converted + excluded.converted`,
  `INSERT INTO rollup_split_days (funnel_id, day, split_id, variant_id, assigned, converted)
    SELECT r.funnel_id, CAST((r.at) / 86400000 AS INTEGER), r.split_id, r.variant_id, sum(1), sum(CAST(EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = r.enrollment_id AND c.occurred_at >= r.at) AS INTEGER)) FROM split_assignments AS r WHERE true GROUP BY 1, 2, 3, 4
    ON CONFLICT (funnel_id, day, split_id, variant_id) DO UPDATE SET assigned = rollup_split_days.assigned + excluded.assigned, converted = rollup_split_days.converted + excluded.converted`,
];

/** The trigger functions and the triggers that keep the rollups current from then on. */
export const PG_ROLLUP_TRIGGERS: readonly string[] = [
  `CREATE FUNCTION rollup_enrollments_ai() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO rollup_funnel_hours (funnel_id, hour, enrolled, active)
    SELECT new.funnel_id, CAST((new.enrolled_at) / 3600000 AS INTEGER), (1), (CAST(new.status = 'active' AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, hour) DO UPDATE SET enrolled = rollup_funnel_hours.enrolled + excluded.enrolled, active = rollup_funnel_hours.active + excluded.active;
INSERT INTO rollup_funnel_days (funnel_id, day, enrolled, active)
    SELECT new.funnel_id, CAST((new.enrolled_at) / 86400000 AS INTEGER), (1), (CAST(new.status = 'active' AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, day) DO UPDATE SET enrolled = rollup_funnel_days.enrolled + excluded.enrolled, active = rollup_funnel_days.active + excluded.active;
RETURN NULL;
END
$$`,
  `CREATE TRIGGER rollup_enrollments_ai AFTER INSERT ON enrollments FOR EACH ROW EXECUTE FUNCTION rollup_enrollments_ai()`,
  `CREATE FUNCTION rollup_enrollments_au() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO rollup_funnel_hours (funnel_id, hour, enrolled, active)
    SELECT old.funnel_id, CAST((old.enrolled_at) / 3600000 AS INTEGER), -(1), -(CAST(old.status = 'active' AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, hour) DO UPDATE SET enrolled = rollup_funnel_hours.enrolled + excluded.enrolled, active = rollup_funnel_hours.active + excluded.active;
INSERT INTO rollup_funnel_days (funnel_id, day, enrolled, active)
    SELECT old.funnel_id, CAST((old.enrolled_at) / 86400000 AS INTEGER), -(1), -(CAST(old.status = 'active' AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, day) DO UPDATE SET enrolled = rollup_funnel_days.enrolled + excluded.enrolled, active = rollup_funnel_days.active + excluded.active;
INSERT INTO rollup_funnel_hours (funnel_id, hour, enrolled, active)
    SELECT new.funnel_id, CAST((new.enrolled_at) / 3600000 AS INTEGER), (1), (CAST(new.status = 'active' AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, hour) DO UPDATE SET enrolled = rollup_funnel_hours.enrolled + excluded.enrolled, active = rollup_funnel_hours.active + excluded.active;
INSERT INTO rollup_funnel_days (funnel_id, day, enrolled, active)
    SELECT new.funnel_id, CAST((new.enrolled_at) / 86400000 AS INTEGER), (1), (CAST(new.status = 'active' AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, day) DO UPDATE SET enrolled = rollup_funnel_days.enrolled + excluded.enrolled, active = rollup_funnel_days.active + excluded.active;
RETURN NULL;
END
$$`,
  `CREATE TRIGGER rollup_enrollments_au AFTER UPDATE ON enrollments FOR EACH ROW WHEN (old.funnel_id IS DISTINCT FROM new.funnel_id OR old.status IS DISTINCT FROM new.status OR old.enrolled_at IS DISTINCT FROM new.enrolled_at) EXECUTE FUNCTION rollup_enrollments_au()`,
  `CREATE FUNCTION rollup_enrollments_ad() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO rollup_funnel_hours (funnel_id, hour, enrolled, active)
    SELECT old.funnel_id, CAST((old.enrolled_at) / 3600000 AS INTEGER), -(1), -(CAST(old.status = 'active' AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, hour) DO UPDATE SET enrolled = rollup_funnel_hours.enrolled + excluded.enrolled, active = rollup_funnel_hours.active + excluded.active;
INSERT INTO rollup_funnel_days (funnel_id, day, enrolled, active)
    SELECT old.funnel_id, CAST((old.enrolled_at) / 86400000 AS INTEGER), -(1), -(CAST(old.status = 'active' AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, day) DO UPDATE SET enrolled = rollup_funnel_days.enrolled + excluded.enrolled, active = rollup_funnel_days.active + excluded.active;
RETURN NULL;
END
$$`,
  `CREATE TRIGGER rollup_enrollments_ad AFTER DELETE ON enrollments FOR EACH ROW EXECUTE FUNCTION rollup_enrollments_ad()`,
  `CREATE FUNCTION rollup_conversions_ai() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO rollup_funnel_hours (funnel_id, hour, converted, revenue)
    SELECT new.funnel_id, CAST((new.occurred_at) / 3600000 AS INTEGER), (1), (new.value)  WHERE true
    ON CONFLICT (funnel_id, hour) DO UPDATE SET converted = rollup_funnel_hours.converted + excluded.converted, revenue = rollup_funnel_hours.revenue + excluded.revenue;
INSERT INTO rollup_funnel_days (funnel_id, day, converted, revenue)
    SELECT new.funnel_id, CAST((new.occurred_at) / 86400000 AS INTEGER), (1), (new.value)  WHERE true
    ON CONFLICT (funnel_id, day) DO UPDATE SET converted = rollup_funnel_days.converted + excluded.converted, revenue = rollup_funnel_days.revenue + excluded.revenue;
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, reached_converted, held_out_converted)
    SELECT d.funnel_id, CAST((d.scheduled_at) / 3600000 AS INTEGER), d.touch_id, (CAST(d.status IN ('sent', 'delivered', 'outbox') AS INTEGER)), (CAST(d.status = 'held_out' AS INTEGER)) FROM deliveries d WHERE d.enrollment_id = new.enrollment_id AND d.scheduled_at <= new.occurred_at AND d.status IN ('sent', 'delivered', 'outbox', 'held_out')
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET reached_converted = rollup_touch_hours.reached_converted + excluded.reached_converted, held_out_converted = rollup_touch_hours.held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, reached_converted, held_out_converted)
    SELECT d.funnel_id, CAST((d.scheduled_at) / 86400000 AS INTEGER), d.touch_id, (CAST(d.status IN ('sent', 'delivered', 'outbox') AS INTEGER)), (CAST(d.status = 'held_out' AS INTEGER)) FROM deliveries d WHERE d.enrollment_id = new.enrollment_id AND d.scheduled_at <= new.occurred_at AND d.status IN ('sent', 'delivered', 'outbox', 'held_out')
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET reached_converted = rollup_touch_days.reached_converted + excluded.reached_converted, held_out_converted = rollup_touch_days.held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_split_hours (funnel_id, hour, split_id, variant_id, converted)
    SELECT a.funnel_id, CAST((a.at) / 3600000 AS INTEGER), a.split_id, a.variant_id, (1) FROM split_assignments a WHERE a.enrollment_id = new.enrollment_id AND a.at <= new.occurred_at
    ON CONFLICT (funnel_id, hour, split_id, variant_id) DO UPDATE SET converted = rollup_split_hours.converted + excluded.converted;
INSERT INTO rollup_split_days (funnel_id, day, split_id, variant_id, converted)
    SELECT a.funnel_id, CAST((a.at) / 86400000 AS INTEGER), a.split_id, a.variant_id, (1) FROM split_assignments a WHERE a.enrollment_id = new.enrollment_id AND a.at <= new.occurred_at
    ON CONFLICT (funnel_id, day, split_id, variant_id) DO UPDATE SET converted = rollup_split_days.converted + excluded.converted;
RETURN NULL;
END
$$`,
  `CREATE TRIGGER rollup_conversions_ai AFTER INSERT ON conversions FOR EACH ROW EXECUTE FUNCTION rollup_conversions_ai()`,
  `CREATE FUNCTION rollup_conversions_au() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO rollup_funnel_hours (funnel_id, hour, converted, revenue)
    SELECT old.funnel_id, CAST((old.occurred_at) / 3600000 AS INTEGER), -(1), -(old.value)  WHERE true
    ON CONFLICT (funnel_id, hour) DO UPDATE SET converted = rollup_funnel_hours.converted + excluded.converted, revenue = rollup_funnel_hours.revenue + excluded.revenue;
INSERT INTO rollup_funnel_days (funnel_id, day, converted, revenue)
    SELECT old.funnel_id, CAST((old.occurred_at) / 86400000 AS INTEGER), -(1), -(old.value)  WHERE true
    ON CONFLICT (funnel_id, day) DO UPDATE SET converted = rollup_funnel_days.converted + excluded.converted, revenue = rollup_funnel_days.revenue + excluded.revenue;
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, reached_converted, held_out_converted)
    SELECT d.funnel_id, CAST((d.scheduled_at) / 3600000 AS INTEGER), d.touch_id, -(CAST(d.status IN ('sent', 'delivered', 'outbox') AS INTEGER)), -(CAST(d.status = 'held_out' AS INTEGER)) FROM deliveries d WHERE d.enrollment_id = old.enrollment_id AND d.scheduled_at <= old.occurred_at AND d.status IN ('sent', 'delivered', 'outbox', 'held_out')
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET reached_converted = rollup_touch_hours.reached_converted + excluded.reached_converted, held_out_converted = rollup_touch_hours.held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, reached_converted, held_out_converted)
    SELECT d.funnel_id, CAST((d.scheduled_at) / 86400000 AS INTEGER), d.touch_id, -(CAST(d.status IN ('sent', 'delivered', 'outbox') AS INTEGER)), -(CAST(d.status = 'held_out' AS INTEGER)) FROM deliveries d WHERE d.enrollment_id = old.enrollment_id AND d.scheduled_at <= old.occurred_at AND d.status IN ('sent', 'delivered', 'outbox', 'held_out')
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET reached_converted = rollup_touch_days.reached_converted + excluded.reached_converted, held_out_converted = rollup_touch_days.held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_split_hours (funnel_id, hour, split_id, variant_id, converted)
    SELECT a.funnel_id, CAST((a.at) / 3600000 AS INTEGER), a.split_id, a.variant_id, -(1) FROM split_assignments a WHERE a.enrollment_id = old.enrollment_id AND a.at <= old.occurred_at
    ON CONFLICT (funnel_id, hour, split_id, variant_id) DO UPDATE SET converted = rollup_split_hours.converted + excluded.converted;
INSERT INTO rollup_split_days (funnel_id, day, split_id, variant_id, converted)
    SELECT a.funnel_id, CAST((a.at) / 86400000 AS INTEGER), a.split_id, a.variant_id, -(1) FROM split_assignments a WHERE a.enrollment_id = old.enrollment_id AND a.at <= old.occurred_at
    ON CONFLICT (funnel_id, day, split_id, variant_id) DO UPDATE SET converted = rollup_split_days.converted + excluded.converted;
INSERT INTO rollup_funnel_hours (funnel_id, hour, converted, revenue)
    SELECT new.funnel_id, CAST((new.occurred_at) / 3600000 AS INTEGER), (1), (new.value)  WHERE true
    ON CONFLICT (funnel_id, hour) DO UPDATE SET converted = rollup_funnel_hours.converted + excluded.converted, revenue = rollup_funnel_hours.revenue + excluded.revenue;
INSERT INTO rollup_funnel_days (funnel_id, day, converted, revenue)
    SELECT new.funnel_id, CAST((new.occurred_at) / 86400000 AS INTEGER), (1), (new.value)  WHERE true
    ON CONFLICT (funnel_id, day) DO UPDATE SET converted = rollup_funnel_days.converted + excluded.converted, revenue = rollup_funnel_days.revenue + excluded.revenue;
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, reached_converted, held_out_converted)
    SELECT d.funnel_id, CAST((d.scheduled_at) / 3600000 AS INTEGER), d.touch_id, (CAST(d.status IN ('sent', 'delivered', 'outbox') AS INTEGER)), (CAST(d.status = 'held_out' AS INTEGER)) FROM deliveries d WHERE d.enrollment_id = new.enrollment_id AND d.scheduled_at <= new.occurred_at AND d.status IN ('sent', 'delivered', 'outbox', 'held_out')
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET reached_converted = rollup_touch_hours.reached_converted + excluded.reached_converted, held_out_converted = rollup_touch_hours.held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, reached_converted, held_out_converted)
    SELECT d.funnel_id, CAST((d.scheduled_at) / 86400000 AS INTEGER), d.touch_id, (CAST(d.status IN ('sent', 'delivered', 'outbox') AS INTEGER)), (CAST(d.status = 'held_out' AS INTEGER)) FROM deliveries d WHERE d.enrollment_id = new.enrollment_id AND d.scheduled_at <= new.occurred_at AND d.status IN ('sent', 'delivered', 'outbox', 'held_out')
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET reached_converted = rollup_touch_days.reached_converted + excluded.reached_converted, held_out_converted = rollup_touch_days.held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_split_hours (funnel_id, hour, split_id, variant_id, converted)
    SELECT a.funnel_id, CAST((a.at) / 3600000 AS INTEGER), a.split_id, a.variant_id, (1) FROM split_assignments a WHERE a.enrollment_id = new.enrollment_id AND a.at <= new.occurred_at
    ON CONFLICT (funnel_id, hour, split_id, variant_id) DO UPDATE SET converted = rollup_split_hours.converted + excluded.converted;
INSERT INTO rollup_split_days (funnel_id, day, split_id, variant_id, converted)
    SELECT a.funnel_id, CAST((a.at) / 86400000 AS INTEGER), a.split_id, a.variant_id, (1) FROM split_assignments a WHERE a.enrollment_id = new.enrollment_id AND a.at <= new.occurred_at
    ON CONFLICT (funnel_id, day, split_id, variant_id) DO UPDATE SET converted = rollup_split_days.converted + excluded.converted;
RETURN NULL;
END
$$`,
  `CREATE TRIGGER rollup_conversions_au AFTER UPDATE ON conversions FOR EACH ROW WHEN (old.funnel_id IS DISTINCT FROM new.funnel_id OR old.enrollment_id IS DISTINCT FROM new.enrollment_id OR old.value IS DISTINCT FROM new.value OR old.occurred_at IS DISTINCT FROM new.occurred_at) EXECUTE FUNCTION rollup_conversions_au()`,
  `CREATE FUNCTION rollup_conversions_ad() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO rollup_funnel_hours (funnel_id, hour, converted, revenue)
    SELECT old.funnel_id, CAST((old.occurred_at) / 3600000 AS INTEGER), -(1), -(old.value)  WHERE true
    ON CONFLICT (funnel_id, hour) DO UPDATE SET converted = rollup_funnel_hours.converted + excluded.converted, revenue = rollup_funnel_hours.revenue + excluded.revenue;
INSERT INTO rollup_funnel_days (funnel_id, day, converted, revenue)
    SELECT old.funnel_id, CAST((old.occurred_at) / 86400000 AS INTEGER), -(1), -(old.value)  WHERE true
    ON CONFLICT (funnel_id, day) DO UPDATE SET converted = rollup_funnel_days.converted + excluded.converted, revenue = rollup_funnel_days.revenue + excluded.revenue;
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, reached_converted, held_out_converted)
    SELECT d.funnel_id, CAST((d.scheduled_at) / 3600000 AS INTEGER), d.touch_id, -(CAST(d.status IN ('sent', 'delivered', 'outbox') AS INTEGER)), -(CAST(d.status = 'held_out' AS INTEGER)) FROM deliveries d WHERE d.enrollment_id = old.enrollment_id AND d.scheduled_at <= old.occurred_at AND d.status IN ('sent', 'delivered', 'outbox', 'held_out')
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET reached_converted = rollup_touch_hours.reached_converted + excluded.reached_converted, held_out_converted = rollup_touch_hours.held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, reached_converted, held_out_converted)
    SELECT d.funnel_id, CAST((d.scheduled_at) / 86400000 AS INTEGER), d.touch_id, -(CAST(d.status IN ('sent', 'delivered', 'outbox') AS INTEGER)), -(CAST(d.status = 'held_out' AS INTEGER)) FROM deliveries d WHERE d.enrollment_id = old.enrollment_id AND d.scheduled_at <= old.occurred_at AND d.status IN ('sent', 'delivered', 'outbox', 'held_out')
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET reached_converted = rollup_touch_days.reached_converted + excluded.reached_converted, held_out_converted = rollup_touch_days.held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_split_hours (funnel_id, hour, split_id, variant_id, converted)
    SELECT a.funnel_id, CAST((a.at) / 3600000 AS INTEGER), a.split_id, a.variant_id, -(1) FROM split_assignments a WHERE a.enrollment_id = old.enrollment_id AND a.at <= old.occurred_at
    ON CONFLICT (funnel_id, hour, split_id, variant_id) DO UPDATE SET converted = rollup_split_hours.converted + excluded.converted;
INSERT INTO rollup_split_days (funnel_id, day, split_id, variant_id, converted)
    SELECT a.funnel_id, CAST((a.at) / 86400000 AS INTEGER), a.split_id, a.variant_id, -(1) FROM split_assignments a WHERE a.enrollment_id = old.enrollment_id AND a.at <= old.occurred_at
    ON CONFLICT (funnel_id, day, split_id, variant_id) DO UPDATE SET converted = rollup_split_days.converted + excluded.converted;
RETURN NULL;
END
$$`,
  `CREATE TRIGGER rollup_conversions_ad AFTER DELETE ON conversions FOR EACH ROW EXECUTE FUNCTION rollup_conversions_ad()`,
  `CREATE FUNCTION rollup_deliveries_ai() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT new.funnel_id, CAST((new.scheduled_at) / 3600000 AS INTEGER), new.touch_id, (CAST((new.status IN ('sent', 'delivered')) AS INTEGER)), (CAST((new.status = 'delivered' OR (new.status = 'sent' AND new.delivered_at IS NOT NULL)) AS INTEGER)), (CAST((new.status = 'outbox') AS INTEGER)), (CAST((new.status = 'failed') AS INTEGER)), (CAST((new.status = 'skipped') AS INTEGER)), (CAST((new.status = 'held_out') AS INTEGER)), (CAST((new.opened_at IS NOT NULL) AS INTEGER)), (CAST((new.clicked_at IS NOT NULL) AS INTEGER)), (CAST((new.replied_at IS NOT NULL) AS INTEGER)), (CAST((new.unsubscribed_at IS NOT NULL) AS INTEGER)), (CAST((new.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.scheduled_at)) AS INTEGER)), (CAST((new.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.scheduled_at)) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET sent = rollup_touch_hours.sent + excluded.sent, delivered = rollup_touch_hours.delivered + excluded.delivered, outbox = rollup_touch_hours.outbox + excluded.outbox, failed = rollup_touch_hours.failed + excluded.failed, skipped = rollup_touch_hours.skipped + excluded.skipped, held_out = rollup_touch_hours.held_out + excluded.held_out, opened = rollup_touch_hours.opened + excluded.opened, clicked = rollup_touch_hours.clicked + excluded.clicked, replied = rollup_touch_hours.replied + excluded.replied, unsubscribed = rollup_touch_hours.unsubscribed + excluded.unsubscribed, reached_converted = rollup_touch_hours.reached_converted + excluded.reached_converted, held_out_converted = rollup_touch_hours.held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT new.funnel_id, CAST((new.scheduled_at) / 86400000 AS INTEGER), new.touch_id, (CAST((new.status IN ('sent', 'delivered')) AS INTEGER)), (CAST((new.status = 'delivered' OR (new.status = 'sent' AND new.delivered_at IS NOT NULL)) AS INTEGER)), (CAST((new.status = 'outbox') AS INTEGER)), (CAST((new.status = 'failed') AS INTEGER)), (CAST((new.status = 'skipped') AS INTEGER)), (CAST((new.status = 'held_out') AS INTEGER)), (CAST((new.opened_at IS NOT NULL) AS INTEGER)), (CAST((new.clicked_at IS NOT NULL) AS INTEGER)), (CAST((new.replied_at IS NOT NULL) AS INTEGER)), (CAST((new.unsubscribed_at IS NOT NULL) AS INTEGER)), (CAST((new.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.scheduled_at)) AS INTEGER)), (CAST((new.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.scheduled_at)) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET sent = rollup_touch_days.sent + excluded.sent, delivered = rollup_touch_days.delivered + excluded.delivered, outbox = rollup_touch_days.outbox + excluded.outbox, failed = rollup_touch_days.failed + excluded.failed, skipped = rollup_touch_days.skipped + excluded.skipped, held_out = rollup_touch_days.held_out + excluded.held_out, opened = rollup_touch_days.opened + excluded.opened, clicked = rollup_touch_days.clicked + excluded.clicked, replied = rollup_touch_days.replied + excluded.replied, unsubscribed = rollup_touch_days.unsubscribed + excluded.unsubscribed, reached_converted = rollup_touch_days.reached_converted + excluded.reached_converted, held_out_converted = rollup_touch_days.held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT new.funnel_id, CAST((new.scheduled_at) / 3600000 AS INTEGER), new.touch_id, 'skipped', coalesce(new.reason, 'unspecified'), (1)  WHERE new.status = 'skipped'
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_hours.n + excluded.n;
INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT new.funnel_id, CAST((new.scheduled_at) / 86400000 AS INTEGER), new.touch_id, 'skipped', coalesce(new.reason, 'unspecified'), (1)  WHERE new.status = 'skipped'
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_days.n + excluded.n;
RETURN NULL;
END
$$`,
  `CREATE TRIGGER rollup_deliveries_ai AFTER INSERT ON deliveries FOR EACH ROW EXECUTE FUNCTION rollup_deliveries_ai()`,
  `CREATE FUNCTION rollup_deliveries_au() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT old.funnel_id, CAST((old.scheduled_at) / 3600000 AS INTEGER), old.touch_id, -(CAST((old.status IN ('sent', 'delivered')) AS INTEGER)), -(CAST((old.status = 'delivered' OR (old.status = 'sent' AND old.delivered_at IS NOT NULL)) AS INTEGER)), -(CAST((old.status = 'outbox') AS INTEGER)), -(CAST((old.status = 'failed') AS INTEGER)), -(CAST((old.status = 'skipped') AS INTEGER)), -(CAST((old.status = 'held_out') AS INTEGER)), -(CAST((old.opened_at IS NOT NULL) AS INTEGER)), -(CAST((old.clicked_at IS NOT NULL) AS INTEGER)), -(CAST((old.replied_at IS NOT NULL) AS INTEGER)), -(CAST((old.unsubscribed_at IS NOT NULL) AS INTEGER)), -(CAST((old.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.scheduled_at)) AS INTEGER)), -(CAST((old.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.scheduled_at)) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET sent = rollup_touch_hours.sent + excluded.sent, delivered = rollup_touch_hours.delivered + excluded.delivered, outbox = rollup_touch_hours.outbox + excluded.outbox, failed = rollup_touch_hours.failed + excluded.failed, skipped = rollup_touch_hours.skipped + excluded.skipped, held_out = rollup_touch_hours.held_out + excluded.held_out, opened = rollup_touch_hours.opened + excluded.opened, clicked = rollup_touch_hours.clicked + excluded.clicked, replied = rollup_touch_hours.replied + excluded.replied, unsubscribed = rollup_touch_hours.unsubscribed + excluded.unsubscribed, reached_converted = rollup_touch_hours.reached_converted + excluded.reached_converted, held_out_converted = rollup_touch_hours.held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT old.funnel_id, CAST((old.scheduled_at) / 86400000 AS INTEGER), old.touch_id, -(CAST((old.status IN ('sent', 'delivered')) AS INTEGER)), -(CAST((old.status = 'delivered' OR (old.status = 'sent' AND old.delivered_at IS NOT NULL)) AS INTEGER)), -(CAST((old.status = 'outbox') AS INTEGER)), -(CAST((old.status = 'failed') AS INTEGER)), -(CAST((old.status = 'skipped') AS INTEGER)), -(CAST((old.status = 'held_out') AS INTEGER)), -(CAST((old.opened_at IS NOT NULL) AS INTEGER)), -(CAST((old.clicked_at IS NOT NULL) AS INTEGER)), -(CAST((old.replied_at IS NOT NULL) AS INTEGER)), -(CAST((old.unsubscribed_at IS NOT NULL) AS INTEGER)), -(CAST((old.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.scheduled_at)) AS INTEGER)), -(CAST((old.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.scheduled_at)) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET sent = rollup_touch_days.sent + excluded.sent, delivered = rollup_touch_days.delivered + excluded.delivered, outbox = rollup_touch_days.outbox + excluded.outbox, failed = rollup_touch_days.failed + excluded.failed, skipped = rollup_touch_days.skipped + excluded.skipped, held_out = rollup_touch_days.held_out + excluded.held_out, opened = rollup_touch_days.opened + excluded.opened, clicked = rollup_touch_days.clicked + excluded.clicked, replied = rollup_touch_days.replied + excluded.replied, unsubscribed = rollup_touch_days.unsubscribed + excluded.unsubscribed, reached_converted = rollup_touch_days.reached_converted + excluded.reached_converted, held_out_converted = rollup_touch_days.held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT old.funnel_id, CAST((old.scheduled_at) / 3600000 AS INTEGER), old.touch_id, 'skipped', coalesce(old.reason, 'unspecified'), -(1)  WHERE old.status = 'skipped'
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_hours.n + excluded.n;
INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT old.funnel_id, CAST((old.scheduled_at) / 86400000 AS INTEGER), old.touch_id, 'skipped', coalesce(old.reason, 'unspecified'), -(1)  WHERE old.status = 'skipped'
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_days.n + excluded.n;
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT new.funnel_id, CAST((new.scheduled_at) / 3600000 AS INTEGER), new.touch_id, (CAST((new.status IN ('sent', 'delivered')) AS INTEGER)), (CAST((new.status = 'delivered' OR (new.status = 'sent' AND new.delivered_at IS NOT NULL)) AS INTEGER)), (CAST((new.status = 'outbox') AS INTEGER)), (CAST((new.status = 'failed') AS INTEGER)), (CAST((new.status = 'skipped') AS INTEGER)), (CAST((new.status = 'held_out') AS INTEGER)), (CAST((new.opened_at IS NOT NULL) AS INTEGER)), (CAST((new.clicked_at IS NOT NULL) AS INTEGER)), (CAST((new.replied_at IS NOT NULL) AS INTEGER)), (CAST((new.unsubscribed_at IS NOT NULL) AS INTEGER)), (CAST((new.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.scheduled_at)) AS INTEGER)), (CAST((new.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.scheduled_at)) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET sent = rollup_touch_hours.sent + excluded.sent, delivered = rollup_touch_hours.delivered + excluded.delivered, outbox = rollup_touch_hours.outbox + excluded.outbox, failed = rollup_touch_hours.failed + excluded.failed, skipped = rollup_touch_hours.skipped + excluded.skipped, held_out = rollup_touch_hours.held_out + excluded.held_out, opened = rollup_touch_hours.opened + excluded.opened, clicked = rollup_touch_hours.clicked + excluded.clicked, replied = rollup_touch_hours.replied + excluded.replied, unsubscribed = rollup_touch_hours.unsubscribed + excluded.unsubscribed, reached_converted = rollup_touch_hours.reached_converted + excluded.reached_converted, held_out_converted = rollup_touch_hours.held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT new.funnel_id, CAST((new.scheduled_at) / 86400000 AS INTEGER), new.touch_id, (CAST((new.status IN ('sent', 'delivered')) AS INTEGER)), (CAST((new.status = 'delivered' OR (new.status = 'sent' AND new.delivered_at IS NOT NULL)) AS INTEGER)), (CAST((new.status = 'outbox') AS INTEGER)), (CAST((new.status = 'failed') AS INTEGER)), (CAST((new.status = 'skipped') AS INTEGER)), (CAST((new.status = 'held_out') AS INTEGER)), (CAST((new.opened_at IS NOT NULL) AS INTEGER)), (CAST((new.clicked_at IS NOT NULL) AS INTEGER)), (CAST((new.replied_at IS NOT NULL) AS INTEGER)), (CAST((new.unsubscribed_at IS NOT NULL) AS INTEGER)), (CAST((new.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.scheduled_at)) AS INTEGER)), (CAST((new.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.scheduled_at)) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET sent = rollup_touch_days.sent + excluded.sent, delivered = rollup_touch_days.delivered + excluded.delivered, outbox = rollup_touch_days.outbox + excluded.outbox, failed = rollup_touch_days.failed + excluded.failed, skipped = rollup_touch_days.skipped + excluded.skipped, held_out = rollup_touch_days.held_out + excluded.held_out, opened = rollup_touch_days.opened + excluded.opened, clicked = rollup_touch_days.clicked + excluded.clicked, replied = rollup_touch_days.replied + excluded.replied, unsubscribed = rollup_touch_days.unsubscribed + excluded.unsubscribed, reached_converted = rollup_touch_days.reached_converted + excluded.reached_converted, held_out_converted = rollup_touch_days.held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT new.funnel_id, CAST((new.scheduled_at) / 3600000 AS INTEGER), new.touch_id, 'skipped', coalesce(new.reason, 'unspecified'), (1)  WHERE new.status = 'skipped'
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_hours.n + excluded.n;
INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT new.funnel_id, CAST((new.scheduled_at) / 86400000 AS INTEGER), new.touch_id, 'skipped', coalesce(new.reason, 'unspecified'), (1)  WHERE new.status = 'skipped'
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_days.n + excluded.n;
RETURN NULL;
END
$$`,
  `CREATE TRIGGER rollup_deliveries_au AFTER UPDATE ON deliveries FOR EACH ROW WHEN (old.funnel_id IS DISTINCT FROM new.funnel_id OR old.enrollment_id IS DISTINCT FROM new.enrollment_id OR old.touch_id IS DISTINCT FROM new.touch_id OR old.status IS DISTINCT FROM new.status OR old.reason IS DISTINCT FROM new.reason OR old.scheduled_at IS DISTINCT FROM new.scheduled_at OR old.delivered_at IS DISTINCT FROM new.delivered_at OR old.opened_at IS DISTINCT FROM new.opened_at OR old.clicked_at IS DISTINCT FROM new.clicked_at OR old.replied_at IS DISTINCT FROM new.replied_at OR old.unsubscribed_at IS DISTINCT FROM new.unsubscribed_at) EXECUTE FUNCTION rollup_deliveries_au()`,
  `CREATE FUNCTION rollup_deliveries_ad() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT old.funnel_id, CAST((old.scheduled_at) / 3600000 AS INTEGER), old.touch_id, -(CAST((old.status IN ('sent', 'delivered')) AS INTEGER)), -(CAST((old.status = 'delivered' OR (old.status = 'sent' AND old.delivered_at IS NOT NULL)) AS INTEGER)), -(CAST((old.status = 'outbox') AS INTEGER)), -(CAST((old.status = 'failed') AS INTEGER)), -(CAST((old.status = 'skipped') AS INTEGER)), -(CAST((old.status = 'held_out') AS INTEGER)), -(CAST((old.opened_at IS NOT NULL) AS INTEGER)), -(CAST((old.clicked_at IS NOT NULL) AS INTEGER)), -(CAST((old.replied_at IS NOT NULL) AS INTEGER)), -(CAST((old.unsubscribed_at IS NOT NULL) AS INTEGER)), -(CAST((old.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.scheduled_at)) AS INTEGER)), -(CAST((old.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.scheduled_at)) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET sent = rollup_touch_hours.sent + excluded.sent, delivered = rollup_touch_hours.delivered + excluded.delivered, outbox = rollup_touch_hours.outbox + excluded.outbox, failed = rollup_touch_hours.failed + excluded.failed, skipped = rollup_touch_hours.skipped + excluded.skipped, held_out = rollup_touch_hours.held_out + excluded.held_out, opened = rollup_touch_hours.opened + excluded.opened, clicked = rollup_touch_hours.clicked + excluded.clicked, replied = rollup_touch_hours.replied + excluded.replied, unsubscribed = rollup_touch_hours.unsubscribed + excluded.unsubscribed, reached_converted = rollup_touch_hours.reached_converted + excluded.reached_converted, held_out_converted = rollup_touch_hours.held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT old.funnel_id, CAST((old.scheduled_at) / 86400000 AS INTEGER), old.touch_id, -(CAST((old.status IN ('sent', 'delivered')) AS INTEGER)), -(CAST((old.status = 'delivered' OR (old.status = 'sent' AND old.delivered_at IS NOT NULL)) AS INTEGER)), -(CAST((old.status = 'outbox') AS INTEGER)), -(CAST((old.status = 'failed') AS INTEGER)), -(CAST((old.status = 'skipped') AS INTEGER)), -(CAST((old.status = 'held_out') AS INTEGER)), -(CAST((old.opened_at IS NOT NULL) AS INTEGER)), -(CAST((old.clicked_at IS NOT NULL) AS INTEGER)), -(CAST((old.replied_at IS NOT NULL) AS INTEGER)), -(CAST((old.unsubscribed_at IS NOT NULL) AS INTEGER)), -(CAST((old.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.scheduled_at)) AS INTEGER)), -(CAST((old.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.scheduled_at)) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET sent = rollup_touch_days.sent + excluded.sent, delivered = rollup_touch_days.delivered + excluded.delivered, outbox = rollup_touch_days.outbox + excluded.outbox, failed = rollup_touch_days.failed + excluded.failed, skipped = rollup_touch_days.skipped + excluded.skipped, held_out = rollup_touch_days.held_out + excluded.held_out, opened = rollup_touch_days.opened + excluded.opened, clicked = rollup_touch_days.clicked + excluded.clicked, replied = rollup_touch_days.replied + excluded.replied, unsubscribed = rollup_touch_days.unsubscribed + excluded.unsubscribed, reached_converted = rollup_touch_days.reached_converted + excluded.reached_converted, held_out_converted = rollup_touch_days.held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT old.funnel_id, CAST((old.scheduled_at) / 3600000 AS INTEGER), old.touch_id, 'skipped', coalesce(old.reason, 'unspecified'), -(1)  WHERE old.status = 'skipped'
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_hours.n + excluded.n;
INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT old.funnel_id, CAST((old.scheduled_at) / 86400000 AS INTEGER), old.touch_id, 'skipped', coalesce(old.reason, 'unspecified'), -(1)  WHERE old.status = 'skipped'
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_days.n + excluded.n;
RETURN NULL;
END
$$`,
  `CREATE TRIGGER rollup_deliveries_ad AFTER DELETE ON deliveries FOR EACH ROW EXECUTE FUNCTION rollup_deliveries_ad()`,
  `CREATE FUNCTION rollup_touch_log_ai() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, deferred)
    SELECT new.funnel_id, CAST((new.at) / 3600000 AS INTEGER), new.touch_id, (1)  WHERE new.kind = 'deferred'
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET deferred = rollup_touch_hours.deferred + excluded.deferred;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, deferred)
    SELECT new.funnel_id, CAST((new.at) / 86400000 AS INTEGER), new.touch_id, (1)  WHERE new.kind = 'deferred'
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET deferred = rollup_touch_days.deferred + excluded.deferred;
INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT new.funnel_id, CAST((new.at) / 3600000 AS INTEGER), new.touch_id, 'deferred', new.reason, (1)  WHERE new.kind = 'deferred'
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_hours.n + excluded.n;
INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT new.funnel_id, CAST((new.at) / 86400000 AS INTEGER), new.touch_id, 'deferred', new.reason, (1)  WHERE new.kind = 'deferred'
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_days.n + excluded.n;
RETURN NULL;
END
$$`,
  `CREATE TRIGGER rollup_touch_log_ai AFTER INSERT ON touch_log FOR EACH ROW EXECUTE FUNCTION rollup_touch_log_ai()`,
  `CREATE FUNCTION rollup_touch_log_au() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, deferred)
    SELECT old.funnel_id, CAST((old.at) / 3600000 AS INTEGER), old.touch_id, -(1)  WHERE old.kind = 'deferred'
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET deferred = rollup_touch_hours.deferred + excluded.deferred;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, deferred)
    SELECT old.funnel_id, CAST((old.at) / 86400000 AS INTEGER), old.touch_id, -(1)  WHERE old.kind = 'deferred'
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET deferred = rollup_touch_days.deferred + excluded.deferred;
INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT old.funnel_id, CAST((old.at) / 3600000 AS INTEGER), old.touch_id, 'deferred', old.reason, -(1)  WHERE old.kind = 'deferred'
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_hours.n + excluded.n;
INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT old.funnel_id, CAST((old.at) / 86400000 AS INTEGER), old.touch_id, 'deferred', old.reason, -(1)  WHERE old.kind = 'deferred'
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_days.n + excluded.n;
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, deferred)
    SELECT new.funnel_id, CAST((new.at) / 3600000 AS INTEGER), new.touch_id, (1)  WHERE new.kind = 'deferred'
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET deferred = rollup_touch_hours.deferred + excluded.deferred;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, deferred)
    SELECT new.funnel_id, CAST((new.at) / 86400000 AS INTEGER), new.touch_id, (1)  WHERE new.kind = 'deferred'
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET deferred = rollup_touch_days.deferred + excluded.deferred;
INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT new.funnel_id, CAST((new.at) / 3600000 AS INTEGER), new.touch_id, 'deferred', new.reason, (1)  WHERE new.kind = 'deferred'
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_hours.n + excluded.n;
INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT new.funnel_id, CAST((new.at) / 86400000 AS INTEGER), new.touch_id, 'deferred', new.reason, (1)  WHERE new.kind = 'deferred'
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_days.n + excluded.n;
RETURN NULL;
END
$$`,
  `CREATE TRIGGER rollup_touch_log_au AFTER UPDATE ON touch_log FOR EACH ROW WHEN (old.funnel_id IS DISTINCT FROM new.funnel_id OR old.touch_id IS DISTINCT FROM new.touch_id OR old.kind IS DISTINCT FROM new.kind OR old.reason IS DISTINCT FROM new.reason OR old.at IS DISTINCT FROM new.at) EXECUTE FUNCTION rollup_touch_log_au()`,
  `CREATE FUNCTION rollup_touch_log_ad() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, deferred)
    SELECT old.funnel_id, CAST((old.at) / 3600000 AS INTEGER), old.touch_id, -(1)  WHERE old.kind = 'deferred'
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET deferred = rollup_touch_hours.deferred + excluded.deferred;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, deferred)
    SELECT old.funnel_id, CAST((old.at) / 86400000 AS INTEGER), old.touch_id, -(1)  WHERE old.kind = 'deferred'
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET deferred = rollup_touch_days.deferred + excluded.deferred;
INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT old.funnel_id, CAST((old.at) / 3600000 AS INTEGER), old.touch_id, 'deferred', old.reason, -(1)  WHERE old.kind = 'deferred'
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_hours.n + excluded.n;
INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT old.funnel_id, CAST((old.at) / 86400000 AS INTEGER), old.touch_id, 'deferred', old.reason, -(1)  WHERE old.kind = 'deferred'
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = rollup_reason_days.n + excluded.n;
RETURN NULL;
END
$$`,
  `CREATE TRIGGER rollup_touch_log_ad AFTER DELETE ON touch_log FOR EACH ROW EXECUTE FUNCTION rollup_touch_log_ad()`,
  `CREATE FUNCTION rollup_attributions_ai() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO rollup_credit_hours (funnel_id, model, hour, touch_id, credit, revenue, conversions, assisted)
    SELECT new.funnel_id, new.model, CAST((new.occurred_at) / 3600000 AS INTEGER), new.touch_id, (new.credit), (new.revenue), (1), (CAST((new.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = new.conversion_id AND l.model = 'last_touch' AND l.delivery_id = new.delivery_id)) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, model, hour, touch_id) DO UPDATE SET credit = rollup_credit_hours.credit + excluded.credit, revenue = rollup_credit_hours.revenue + excluded.revenue, conversions = rollup_credit_hours.conversions + excluded.conversions, assisted = rollup_credit_hours.assisted + excluded.assisted;
INSERT INTO rollup_credit_days (funnel_id, model, day, touch_id, credit, revenue, conversions, assisted)
    SELECT new.funnel_id, new.model, CAST((new.occurred_at) / 86400000 AS INTEGER), new.touch_id, (new.credit), (new.revenue), (1), (CAST((new.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = new.conversion_id AND l.model = 'last_touch' AND l.delivery_id = new.delivery_id)) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, model, day, touch_id) DO UPDATE SET credit = rollup_credit_days.credit + excluded.credit, revenue = rollup_credit_days.revenue + excluded.revenue, conversions = rollup_credit_days.conversions + excluded.conversions, assisted = rollup_credit_days.assisted + excluded.assisted;
INSERT INTO rollup_lag_days (funnel_id, model, day, touch_id, bucket, n)
    SELECT new.funnel_id, new.model, CAST((new.occurred_at) / 86400000 AS INTEGER), new.touch_id, (CASE WHEN (greatest(0, new.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), new.occurred_at))) < 1000 THEN 0 ELSE 1 + CAST(floor(8 * log(2.0, (greatest(0, new.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), new.occurred_at))) / 1000.0)) AS INTEGER) END), (1) FROM deliveries d WHERE d.id = new.delivery_id
    ON CONFLICT (funnel_id, model, day, touch_id, bucket) DO UPDATE SET n = rollup_lag_days.n + excluded.n;
RETURN NULL;
END
$$`,
  `CREATE TRIGGER rollup_attributions_ai AFTER INSERT ON attributions FOR EACH ROW EXECUTE FUNCTION rollup_attributions_ai()`,
  `CREATE FUNCTION rollup_attributions_au() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO rollup_credit_hours (funnel_id, model, hour, touch_id, credit, revenue, conversions, assisted)
    SELECT old.funnel_id, old.model, CAST((old.occurred_at) / 3600000 AS INTEGER), old.touch_id, -(old.credit), -(old.revenue), -(1), -(CAST((old.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = old.conversion_id AND l.model = 'last_touch' AND l.delivery_id = old.delivery_id)) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, model, hour, touch_id) DO UPDATE SET credit = rollup_credit_hours.credit + excluded.credit, revenue = rollup_credit_hours.revenue + excluded.revenue, conversions = rollup_credit_hours.conversions + excluded.conversions, assisted = rollup_credit_hours.assisted + excluded.assisted;
INSERT INTO rollup_credit_days (funnel_id, model, day, touch_id, credit, revenue, conversions, assisted)
    SELECT old.funnel_id, old.model, CAST((old.occurred_at) / 86400000 AS INTEGER), old.touch_id, -(old.credit), -(old.revenue), -(1), -(CAST((old.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = old.conversion_id AND l.model = 'last_touch' AND l.delivery_id = old.delivery_id)) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, model, day, touch_id) DO UPDATE SET credit = rollup_credit_days.credit + excluded.credit, revenue = rollup_credit_days.revenue + excluded.revenue, conversions = rollup_credit_days.conversions + excluded.conversions, assisted = rollup_credit_days.assisted + excluded.assisted;
INSERT INTO rollup_lag_days (funnel_id, model, day, touch_id, bucket, n)
    SELECT old.funnel_id, old.model, CAST((old.occurred_at) / 86400000 AS INTEGER), old.touch_id, (CASE WHEN (greatest(0, old.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), old.occurred_at))) < 1000 THEN 0 ELSE 1 + CAST(floor(8 * log(2.0, (greatest(0, old.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), old.occurred_at))) / 1000.0)) AS INTEGER) END), -(1) FROM deliveries d WHERE d.id = old.delivery_id
    ON CONFLICT (funnel_id, model, day, touch_id, bucket) DO UPDATE SET n = rollup_lag_days.n + excluded.n;
INSERT INTO rollup_credit_hours (funnel_id, model, hour, touch_id, credit, revenue, conversions, assisted)
    SELECT new.funnel_id, new.model, CAST((new.occurred_at) / 3600000 AS INTEGER), new.touch_id, (new.credit), (new.revenue), (1), (CAST((new.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = new.conversion_id AND l.model = 'last_touch' AND l.delivery_id = new.delivery_id)) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, model, hour, touch_id) DO UPDATE SET credit = rollup_credit_hours.credit + excluded.credit, revenue = rollup_credit_hours.revenue + excluded.revenue, conversions = rollup_credit_hours.conversions + excluded.conversions, assisted = rollup_credit_hours.assisted + excluded.assisted;
INSERT INTO rollup_credit_days (funnel_id, model, day, touch_id, credit, revenue, conversions, assisted)
    SELECT new.funnel_id, new.model, CAST((new.occurred_at) / 86400000 AS INTEGER), new.touch_id, (new.credit), (new.revenue), (1), (CAST((new.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = new.conversion_id AND l.model = 'last_touch' AND l.delivery_id = new.delivery_id)) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, model, day, touch_id) DO UPDATE SET credit = rollup_credit_days.credit + excluded.credit, revenue = rollup_credit_days.revenue + excluded.revenue, conversions = rollup_credit_days.conversions + excluded.conversions, assisted = rollup_credit_days.assisted + excluded.assisted;
INSERT INTO rollup_lag_days (funnel_id, model, day, touch_id, bucket, n)
    SELECT new.funnel_id, new.model, CAST((new.occurred_at) / 86400000 AS INTEGER), new.touch_id, (CASE WHEN (greatest(0, new.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), new.occurred_at))) < 1000 THEN 0 ELSE 1 + CAST(floor(8 * log(2.0, (greatest(0, new.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), new.occurred_at))) / 1000.0)) AS INTEGER) END), (1) FROM deliveries d WHERE d.id = new.delivery_id
    ON CONFLICT (funnel_id, model, day, touch_id, bucket) DO UPDATE SET n = rollup_lag_days.n + excluded.n;
RETURN NULL;
END
$$`,
  `CREATE TRIGGER rollup_attributions_au AFTER UPDATE ON attributions FOR EACH ROW WHEN (old.conversion_id IS DISTINCT FROM new.conversion_id OR old.model IS DISTINCT FROM new.model OR old.delivery_id IS DISTINCT FROM new.delivery_id OR old.funnel_id IS DISTINCT FROM new.funnel_id OR old.touch_id IS DISTINCT FROM new.touch_id OR old.credit IS DISTINCT FROM new.credit OR old.revenue IS DISTINCT FROM new.revenue OR old.occurred_at IS DISTINCT FROM new.occurred_at) EXECUTE FUNCTION rollup_attributions_au()`,
  `CREATE FUNCTION rollup_attributions_ad() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO rollup_credit_hours (funnel_id, model, hour, touch_id, credit, revenue, conversions, assisted)
    SELECT old.funnel_id, old.model, CAST((old.occurred_at) / 3600000 AS INTEGER), old.touch_id, -(old.credit), -(old.revenue), -(1), -(CAST((old.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = old.conversion_id AND l.model = 'last_touch' AND l.delivery_id = old.delivery_id)) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, model, hour, touch_id) DO UPDATE SET credit = rollup_credit_hours.credit + excluded.credit, revenue = rollup_credit_hours.revenue + excluded.revenue, conversions = rollup_credit_hours.conversions + excluded.conversions, assisted = rollup_credit_hours.assisted + excluded.assisted;
INSERT INTO rollup_credit_days (funnel_id, model, day, touch_id, credit, revenue, conversions, assisted)
    SELECT old.funnel_id, old.model, CAST((old.occurred_at) / 86400000 AS INTEGER), old.touch_id, -(old.credit), -(old.revenue), -(1), -(CAST((old.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = old.conversion_id AND l.model = 'last_touch' AND l.delivery_id = old.delivery_id)) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, model, day, touch_id) DO UPDATE SET credit = rollup_credit_days.credit + excluded.credit, revenue = rollup_credit_days.revenue + excluded.revenue, conversions = rollup_credit_days.conversions + excluded.conversions, assisted = rollup_credit_days.assisted + excluded.assisted;
INSERT INTO rollup_lag_days (funnel_id, model, day, touch_id, bucket, n)
    SELECT old.funnel_id, old.model, CAST((old.occurred_at) / 86400000 AS INTEGER), old.touch_id, (CASE WHEN (greatest(0, old.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), old.occurred_at))) < 1000 THEN 0 ELSE 1 + CAST(floor(8 * log(2.0, (greatest(0, old.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), old.occurred_at))) / 1000.0)) AS INTEGER) END), -(1) FROM deliveries d WHERE d.id = old.delivery_id
    ON CONFLICT (funnel_id, model, day, touch_id, bucket) DO UPDATE SET n = rollup_lag_days.n + excluded.n;
RETURN NULL;
END
$$`,
  `CREATE TRIGGER rollup_attributions_ad AFTER DELETE ON attributions FOR EACH ROW EXECUTE FUNCTION rollup_attributions_ad()`,
  `CREATE FUNCTION rollup_split_assignments_ai() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO rollup_split_hours (funnel_id, hour, split_id, variant_id, assigned, converted)
    SELECT new.funnel_id, CAST((new.at) / 3600000 AS INTEGER), new.split_id, new.variant_id, (1), (CAST(EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.at) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, hour, split_id, variant_id) DO UPDATE SET assigned = rollup_split_hours.assigned + excluded.assigned, converted = rollup_split_hours.converted + excluded.converted;
INSERT INTO rollup_split_days (funnel_id, day, split_id, variant_id, assigned, converted)
    SELECT new.funnel_id, CAST((new.at) / 86400000 AS INTEGER), new.split_id, new.variant_id, (1), (CAST(EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.at) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, day, split_id, variant_id) DO UPDATE SET assigned = rollup_split_days.assigned + excluded.assigned, converted = rollup_split_days.converted + excluded.converted;
RETURN NULL;
END
$$`,
  `CREATE TRIGGER rollup_split_assignments_ai AFTER INSERT ON split_assignments FOR EACH ROW EXECUTE FUNCTION rollup_split_assignments_ai()`,
  `CREATE FUNCTION rollup_split_assignments_au() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO rollup_split_hours (funnel_id, hour, split_id, variant_id, assigned, converted)
    SELECT old.funnel_id, CAST((old.at) / 3600000 AS INTEGER), old.split_id, old.variant_id, -(1), -(CAST(EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.at) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, hour, split_id, variant_id) DO UPDATE SET assigned = rollup_split_hours.assigned + excluded.assigned, converted = rollup_split_hours.converted + excluded.converted;
INSERT INTO rollup_split_days (funnel_id, day, split_id, variant_id, assigned, converted)
    SELECT old.funnel_id, CAST((old.at) / 86400000 AS INTEGER), old.split_id, old.variant_id, -(1), -(CAST(EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.at) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, day, split_id, variant_id) DO UPDATE SET assigned = rollup_split_days.assigned + excluded.assigned, converted = rollup_split_days.converted + excluded.converted;
INSERT INTO rollup_split_hours (funnel_id, hour, split_id, variant_id, assigned, converted)
    SELECT new.funnel_id, CAST((new.at) / 3600000 AS INTEGER), new.split_id, new.variant_id, (1), (CAST(EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.at) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, hour, split_id, variant_id) DO UPDATE SET assigned = rollup_split_hours.assigned + excluded.assigned, converted = rollup_split_hours.converted + excluded.converted;
INSERT INTO rollup_split_days (funnel_id, day, split_id, variant_id, assigned, converted)
    SELECT new.funnel_id, CAST((new.at) / 86400000 AS INTEGER), new.split_id, new.variant_id, (1), (CAST(EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.at) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, day, split_id, variant_id) DO UPDATE SET assigned = rollup_split_days.assigned + excluded.assigned, converted = rollup_split_days.converted + excluded.converted;
RETURN NULL;
END
$$`,
  `CREATE TRIGGER rollup_split_assignments_au AFTER UPDATE ON split_assignments FOR EACH ROW WHEN (old.enrollment_id IS DISTINCT FROM new.enrollment_id OR old.funnel_id IS DISTINCT FROM new.funnel_id OR old.split_id IS DISTINCT FROM new.split_id OR old.variant_id IS DISTINCT FROM new.variant_id OR old.at IS DISTINCT FROM new.at) EXECUTE FUNCTION rollup_split_assignments_au()`,
  `CREATE FUNCTION rollup_split_assignments_ad() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO rollup_split_hours (funnel_id, hour, split_id, variant_id, assigned, converted)
    SELECT old.funnel_id, CAST((old.at) / 3600000 AS INTEGER), old.split_id, old.variant_id, -(1), -(CAST(EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.at) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, hour, split_id, variant_id) DO UPDATE SET assigned = rollup_split_hours.assigned + excluded.assigned, converted = rollup_split_hours.converted + excluded.converted;
INSERT INTO rollup_split_days (funnel_id, day, split_id, variant_id, assigned, converted)
    SELECT old.funnel_id, CAST((old.at) / 86400000 AS INTEGER), old.split_id, old.variant_id, -(1), -(CAST(EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.at) AS INTEGER))  WHERE true
    ON CONFLICT (funnel_id, day, split_id, variant_id) DO UPDATE SET assigned = rollup_split_days.assigned + excluded.assigned, converted = rollup_split_days.converted + excluded.converted;
RETURN NULL;
END
$$`,
  `CREATE TRIGGER rollup_split_assignments_ad AFTER DELETE ON split_assignments FOR EACH ROW EXECUTE FUNCTION rollup_split_assignments_ad()`,
];

/** The triggers and functions `down` drops. */
export const PG_ROLLUP_TRIGGER_DROPS: readonly string[] = [
  `DROP TRIGGER IF EXISTS rollup_enrollments_ai ON enrollments`,
  `DROP FUNCTION IF EXISTS rollup_enrollments_ai()`,
  `DROP TRIGGER IF EXISTS rollup_enrollments_au ON enrollments`,
  `DROP FUNCTION IF EXISTS rollup_enrollments_au()`,
  `DROP TRIGGER IF EXISTS rollup_enrollments_ad ON enrollments`,
  `DROP FUNCTION IF EXISTS rollup_enrollments_ad()`,
  `DROP TRIGGER IF EXISTS rollup_conversions_ai ON conversions`,
  `DROP FUNCTION IF EXISTS rollup_conversions_ai()`,
  `DROP TRIGGER IF EXISTS rollup_conversions_au ON conversions`,
  `DROP FUNCTION IF EXISTS rollup_conversions_au()`,
  `DROP TRIGGER IF EXISTS rollup_conversions_ad ON conversions`,
  `DROP FUNCTION IF EXISTS rollup_conversions_ad()`,
  `DROP TRIGGER IF EXISTS rollup_deliveries_ai ON deliveries`,
  `DROP FUNCTION IF EXISTS rollup_deliveries_ai()`,
  `DROP TRIGGER IF EXISTS rollup_deliveries_au ON deliveries`,
  `DROP FUNCTION IF EXISTS rollup_deliveries_au()`,
  `DROP TRIGGER IF EXISTS rollup_deliveries_ad ON deliveries`,
  `DROP FUNCTION IF EXISTS rollup_deliveries_ad()`,
  `DROP TRIGGER IF EXISTS rollup_touch_log_ai ON touch_log`,
  `DROP FUNCTION IF EXISTS rollup_touch_log_ai()`,
  `DROP TRIGGER IF EXISTS rollup_touch_log_au ON touch_log`,
  `DROP FUNCTION IF EXISTS rollup_touch_log_au()`,
  `DROP TRIGGER IF EXISTS rollup_touch_log_ad ON touch_log`,
  `DROP FUNCTION IF EXISTS rollup_touch_log_ad()`,
  `DROP TRIGGER IF EXISTS rollup_attributions_ai ON attributions`,
  `DROP FUNCTION IF EXISTS rollup_attributions_ai()`,
  `DROP TRIGGER IF EXISTS rollup_attributions_au ON attributions`,
  `DROP FUNCTION IF EXISTS rollup_attributions_au()`,
  `DROP TRIGGER IF EXISTS rollup_attributions_ad ON attributions`,
  `DROP FUNCTION IF EXISTS rollup_attributions_ad()`,
  `DROP TRIGGER IF EXISTS rollup_split_assignments_ai ON split_assignments`,
  `DROP FUNCTION IF EXISTS rollup_split_assignments_ai()`,
  `DROP TRIGGER IF EXISTS rollup_split_assignments_au ON split_assignments`,
  `DROP FUNCTION IF EXISTS rollup_split_assignments_au()`,
  `DROP TRIGGER IF EXISTS rollup_split_assignments_ad ON split_assignments`,
  `DROP FUNCTION IF EXISTS rollup_split_assignments_ad()`,
];
