/*
 * The SQL migration 0003 runs, inlined as the application generated it on the day the migration shipped
 * (src/analytics/rollup-ddl.ts, rollup-rebuild.ts of that day). Frozen: never edit or regenerate this file; a change
 * to the rollups is a new migration. test/migrations/frozen-0003.test.ts checks the result against a digest taken then.
 */

/** The rollup tables, WITHOUT ROWID. */
export const ROLLUP_TABLES: readonly string[] = [
  `CREATE TABLE rollup_funnel_hours (funnel_id TEXT NOT NULL, hour INTEGER NOT NULL, enrolled INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 0, converted INTEGER NOT NULL DEFAULT 0, revenue REAL NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, hour)) WITHOUT ROWID`,
  `CREATE TABLE rollup_funnel_days (funnel_id TEXT NOT NULL, day INTEGER NOT NULL, enrolled INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 0, converted INTEGER NOT NULL DEFAULT 0, revenue REAL NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, day)) WITHOUT ROWID`,
  `CREATE TABLE rollup_touch_hours (funnel_id TEXT NOT NULL, hour INTEGER NOT NULL, touch_id TEXT NOT NULL, sent INTEGER NOT NULL DEFAULT 0, delivered INTEGER NOT NULL DEFAULT 0, outbox INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0, held_out INTEGER NOT NULL DEFAULT 0, opened INTEGER NOT NULL DEFAULT 0, clicked INTEGER NOT NULL DEFAULT 0, replied INTEGER NOT NULL DEFAULT 0, unsubscribed INTEGER NOT NULL DEFAULT 0, deferred INTEGER NOT NULL DEFAULT 0, reached_converted INTEGER NOT NULL DEFAULT 0, held_out_converted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, hour, touch_id)) WITHOUT ROWID`,
  `CREATE TABLE rollup_touch_days (funnel_id TEXT NOT NULL, day INTEGER NOT NULL, touch_id TEXT NOT NULL, sent INTEGER NOT NULL DEFAULT 0, delivered INTEGER NOT NULL DEFAULT 0, outbox INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0, held_out INTEGER NOT NULL DEFAULT 0, opened INTEGER NOT NULL DEFAULT 0, clicked INTEGER NOT NULL DEFAULT 0, replied INTEGER NOT NULL DEFAULT 0, unsubscribed INTEGER NOT NULL DEFAULT 0, deferred INTEGER NOT NULL DEFAULT 0, reached_converted INTEGER NOT NULL DEFAULT 0, held_out_converted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, day, touch_id)) WITHOUT ROWID`,
  `CREATE TABLE rollup_reason_hours (funnel_id TEXT NOT NULL, hour INTEGER NOT NULL, touch_id TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL, n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, hour, touch_id, kind, reason)) WITHOUT ROWID`,
  `CREATE TABLE rollup_reason_days (funnel_id TEXT NOT NULL, day INTEGER NOT NULL, touch_id TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL, n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, day, touch_id, kind, reason)) WITHOUT ROWID`,
  `CREATE TABLE rollup_credit_hours (funnel_id TEXT NOT NULL, model TEXT NOT NULL, hour INTEGER NOT NULL, touch_id TEXT NOT NULL, credit REAL NOT NULL DEFAULT 0, revenue REAL NOT NULL DEFAULT 0, conversions INTEGER NOT NULL DEFAULT 0, assisted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, model, hour, touch_id)) WITHOUT ROWID`,
  `CREATE TABLE rollup_credit_days (funnel_id TEXT NOT NULL, model TEXT NOT NULL, day INTEGER NOT NULL, touch_id TEXT NOT NULL, credit REAL NOT NULL DEFAULT 0, revenue REAL NOT NULL DEFAULT 0, conversions INTEGER NOT NULL DEFAULT 0, assisted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, model, day, touch_id)) WITHOUT ROWID`,
  `CREATE TABLE rollup_lag_days (funnel_id TEXT NOT NULL, model TEXT NOT NULL, day INTEGER NOT NULL, touch_id TEXT NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, model, day, touch_id, bucket)) WITHOUT ROWID`,
  `CREATE TABLE rollup_split_hours (funnel_id TEXT NOT NULL, hour INTEGER NOT NULL, split_id TEXT NOT NULL, variant_id TEXT NOT NULL, assigned INTEGER NOT NULL DEFAULT 0, converted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, hour, split_id, variant_id)) WITHOUT ROWID`,
  `CREATE TABLE rollup_split_days (funnel_id TEXT NOT NULL, day INTEGER NOT NULL, split_id TEXT NOT NULL, variant_id TEXT NOT NULL, assigned INTEGER NOT NULL DEFAULT 0, converted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (funnel_id, day, split_id, variant_id)) WITHOUT ROWID`,
];

/** Indexes on the ledger tables the stats queries of ragged period ends need. */
export const ROLLUP_INDEXES: readonly string[] = [
  `CREATE INDEX deliveries_funnel_scheduled ON deliveries (funnel_id, scheduled_at)`,
  `CREATE INDEX attributions_funnel_time ON attributions (funnel_id, model, occurred_at)`,
  `CREATE INDEX touch_log_funnel_time ON touch_log (funnel_id, kind, at)`,
  `CREATE INDEX split_assignments_funnel_time ON split_assignments (funnel_id, at)`,
];

/** Every rollup recomputed from the existing ledger rows. */
export const ROLLUP_REBUILD: readonly string[] = [
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
    SELECT r.funnel_id, CAST((r.enrolled_at) / 3600000 AS INTEGER), sum(1), sum(r.status = 'active') FROM enrollments AS r WHERE true GROUP BY 1, 2
    ON CONFLICT (funnel_id, hour) DO UPDATE SET enrolled = enrolled + excluded.enrolled, active = active + excluded.active`,
  `INSERT INTO rollup_funnel_days (funnel_id, day, enrolled, active)
    SELECT r.funnel_id, CAST((r.enrolled_at) / 86400000 AS INTEGER), sum(1), sum(r.status = 'active') FROM enrollments AS r WHERE true GROUP BY 1, 2
    ON CONFLICT (funnel_id, day) DO UPDATE SET enrolled = enrolled + excluded.enrolled, active = active + excluded.active`,
  `INSERT INTO rollup_funnel_hours (funnel_id, hour, converted, revenue)
    SELECT r.funnel_id, CAST((r.occurred_at) / 3600000 AS INTEGER), sum(1), sum(r.value) FROM conversions AS r WHERE true GROUP BY 1, 2
    ON CONFLICT (funnel_id, hour) DO UPDATE SET converted = converted + excluded.converted, revenue = revenue + excluded.revenue`,
  `INSERT INTO rollup_funnel_days (funnel_id, day, converted, revenue)
    SELECT r.funnel_id, CAST((r.occurred_at) / 86400000 AS INTEGER), sum(1), sum(r.value) FROM conversions AS r WHERE true GROUP BY 1, 2
    ON CONFLICT (funnel_id, day) DO UPDATE SET converted = converted + excluded.converted, revenue = revenue + excluded.revenue`,
  `INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT r.funnel_id, CAST((r.scheduled_at) / 3600000 AS INTEGER), r.touch_id, sum((r.status IN ('sent', 'delivered'))), sum((r.status = 'delivered' OR (r.status = 'sent' AND r.delivered_at IS NOT NULL))), sum((r.status = 'outbox')), sum((r.status = 'failed')), sum((r.status = 'skipped')), sum((r.status = 'held_out')), sum((r.opened_at IS NOT NULL)), sum((r.clicked_at IS NOT NULL)), sum((r.replied_at IS NOT NULL)), sum((r.unsubscribed_at IS NOT NULL)), sum((r.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = r.enrollment_id AND c.occurred_at >= r.scheduled_at))), sum((r.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = r.enrollment_id AND c.occurred_at >= r.scheduled_at))) FROM deliveries AS r WHERE true GROUP BY 1, 2, 3
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET sent = sent + excluded.sent, delivered = delivered + excluded.delivered, outbox = outbox + excluded.outbox, failed = failed + excluded.failed, skipped = skipped + excluded.skipped, held_out = held_out + excluded.held_out, opened = opened + excluded.opened, clicked = clicked + excluded.clicked, replied = replied + excluded.replied, unsubscribed = unsubscribed + excluded.unsubscribed, reached_converted = reached_converted + excluded.reached_converted, held_out_converted = held_out_converted + excluded.held_out_converted`,
  `INSERT INTO rollup_touch_days (funnel_id, day, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT r.funnel_id, CAST((r.scheduled_at) / 86400000 AS INTEGER), r.touch_id, sum((r.status IN ('sent', 'delivered'))), sum((r.status = 'delivered' OR (r.status = 'sent' AND r.delivered_at IS NOT NULL))), sum((r.status = 'outbox')), sum((r.status = 'failed')), sum((r.status = 'skipped')), sum((r.status = 'held_out')), sum((r.opened_at IS NOT NULL)), sum((r.clicked_at IS NOT NULL)), sum((r.replied_at IS NOT NULL)), sum((r.unsubscribed_at IS NOT NULL)), sum((r.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = r.enrollment_id AND c.occurred_at >= r.scheduled_at))), sum((r.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = r.enrollment_id AND c.occurred_at >= r.scheduled_at))) FROM deliveries AS r WHERE true GROUP BY 1, 2, 3
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET sent = sent + excluded.sent, delivered = delivered + excluded.delivered, outbox = outbox + excluded.outbox, failed = failed + excluded.failed, skipped = skipped + excluded.skipped, held_out = held_out + excluded.held_out, opened = opened + excluded.opened, clicked = clicked + excluded.clicked, replied = replied + excluded.replied, unsubscribed = unsubscribed + excluded.unsubscribed, reached_converted = reached_converted + excluded.reached_converted, held_out_converted = held_out_converted + excluded.held_out_converted`,
  `INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT r.funnel_id, CAST((r.scheduled_at) / 3600000 AS INTEGER), r.touch_id, 'skipped', coalesce(r.reason, 'unspecified'), sum(1) FROM deliveries AS r WHERE r.status = 'skipped' GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n`,
  `INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT r.funnel_id, CAST((r.scheduled_at) / 86400000 AS INTEGER), r.touch_id, 'skipped', coalesce(r.reason, 'unspecified'), sum(1) FROM deliveries AS r WHERE r.status = 'skipped' GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n`,
  `INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, deferred)
    SELECT r.funnel_id, CAST((r.at) / 3600000 AS INTEGER), r.touch_id, sum(1) FROM touch_log AS r WHERE r.kind = 'deferred' GROUP BY 1, 2, 3
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET deferred = deferred + excluded.deferred`,
  `INSERT INTO rollup_touch_days (funnel_id, day, touch_id, deferred)
    SELECT r.funnel_id, CAST((r.at) / 86400000 AS INTEGER), r.touch_id, sum(1) FROM touch_log AS r WHERE r.kind = 'deferred' GROUP BY 1, 2, 3
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET deferred = deferred + excluded.deferred`,
  `INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT r.funnel_id, CAST((r.at) / 3600000 AS INTEGER), r.touch_id, 'deferred', r.reason, sum(1) FROM touch_log AS r WHERE r.kind = 'deferred' GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n`,
  `INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT r.funnel_id, CAST((r.at) / 86400000 AS INTEGER), r.touch_id, 'deferred', r.reason, sum(1) FROM touch_log AS r WHERE r.kind = 'deferred' GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n`,
  `INSERT INTO rollup_credit_hours (funnel_id, model, hour, touch_id, credit, revenue, conversions, assisted)
    SELECT r.funnel_id, r.model, CAST((r.occurred_at) / 3600000 AS INTEGER), r.touch_id, sum(r.credit), sum(r.revenue), sum(1), sum((r.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = r.conversion_id AND l.model = 'last_touch' AND l.delivery_id = r.delivery_id))) FROM attributions AS r WHERE true GROUP BY 1, 2, 3, 4
    ON CONFLICT (funnel_id, model, hour, touch_id) DO UPDATE SET credit = credit + excluded.credit, revenue = revenue + excluded.revenue, conversions = conversions + excluded.conversions, assisted = assisted + excluded.assisted`,
  `INSERT INTO rollup_credit_days (funnel_id, model, day, touch_id, credit, revenue, conversions, assisted)
    SELECT r.funnel_id, r.model, CAST((r.occurred_at) / 86400000 AS INTEGER), r.touch_id, sum(r.credit), sum(r.revenue), sum(1), sum((r.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = r.conversion_id AND l.model = 'last_touch' AND l.delivery_id = r.delivery_id))) FROM attributions AS r WHERE true GROUP BY 1, 2, 3, 4
    ON CONFLICT (funnel_id, model, day, touch_id) DO UPDATE SET credit = credit + excluded.credit, revenue = revenue + excluded.revenue, conversions = conversions + excluded.conversions, assisted = assisted + excluded.assisted`,
  `INSERT INTO rollup_lag_days (funnel_id, model, day, touch_id, bucket, n)
    SELECT r.funnel_id, r.model, CAST((r.occurred_at) / 86400000 AS INTEGER), r.touch_id, (CASE WHEN (max(0, r.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), r.occurred_at))) < 1000 THEN 0 ELSE 1 + CAST(floor(8 * log2((max(0, r.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), r.occurred_at))) / 1000.0)) AS INTEGER) END), sum(1) FROM attributions AS r, deliveries d WHERE d.id = r.delivery_id GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (funnel_id, model, day, touch_id, bucket) DO UPDATE SET n = n + excluded.n`,
  `INSERT INTO rollup_split_hours (funnel_id, hour, split_id, variant_id, assigned, converted)
    SELECT r.funnel_id, CAST((r.at) / 3600000 AS INTEGER), r.split_id, r.variant_id, sum(1), sum(EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = r.enrollment_id AND c.occurred_at >= r.at)) FROM split_assignments AS r WHERE true GROUP BY 1, 2, 3, 4
    ON CONFLICT (funnel_id, hour, split_id, variant_id) DO UPDATE SET assigned = assigned + excluded.assigned, converted = converted + excluded.converted`,
  `INSERT INTO rollup_split_days (funnel_id, day, split_id, variant_id, assigned, converted)
    SELECT r.funnel_id, CAST((r.at) / 86400000 AS INTEGER), r.split_id, r.variant_id, sum(1), sum(EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = r.enrollment_id AND c.occurred_at >= r.at)) FROM split_assignments AS r WHERE true GROUP BY 1, 2, 3, 4
    ON CONFLICT (funnel_id, day, split_id, variant_id) DO UPDATE SET assigned = assigned + excluded.assigned, converted = converted + excluded.converted`,
];

/** The triggers that keep the rollups current from then on. */
export const ROLLUP_TRIGGERS: readonly string[] = [
  `CREATE TRIGGER rollup_enrollments_ai AFTER INSERT ON enrollments FOR EACH ROW BEGIN
INSERT INTO rollup_funnel_hours (funnel_id, hour, enrolled, active)
    SELECT new.funnel_id, CAST((new.enrolled_at) / 3600000 AS INTEGER), (1), (new.status = 'active')  WHERE true
    ON CONFLICT (funnel_id, hour) DO UPDATE SET enrolled = enrolled + excluded.enrolled, active = active + excluded.active;
INSERT INTO rollup_funnel_days (funnel_id, day, enrolled, active)
    SELECT new.funnel_id, CAST((new.enrolled_at) / 86400000 AS INTEGER), (1), (new.status = 'active')  WHERE true
    ON CONFLICT (funnel_id, day) DO UPDATE SET enrolled = enrolled + excluded.enrolled, active = active + excluded.active;
END`,
  `CREATE TRIGGER rollup_enrollments_au AFTER UPDATE ON enrollments FOR EACH ROW WHEN old.funnel_id IS NOT new.funnel_id OR old.status IS NOT new.status OR old.enrolled_at IS NOT new.enrolled_at BEGIN
INSERT INTO rollup_funnel_hours (funnel_id, hour, enrolled, active)
    SELECT old.funnel_id, CAST((old.enrolled_at) / 3600000 AS INTEGER), -(1), -(old.status = 'active')  WHERE true
    ON CONFLICT (funnel_id, hour) DO UPDATE SET enrolled = enrolled + excluded.enrolled, active = active + excluded.active;
INSERT INTO rollup_funnel_days (funnel_id, day, enrolled, active)
    SELECT old.funnel_id, CAST((old.enrolled_at) / 86400000 AS INTEGER), -(1), -(old.status = 'active')  WHERE true
    ON CONFLICT (funnel_id, day) DO UPDATE SET enrolled = enrolled + excluded.enrolled, active = active + excluded.active;
INSERT INTO rollup_funnel_hours (funnel_id, hour, enrolled, active)
    SELECT new.funnel_id, CAST((new.enrolled_at) / 3600000 AS INTEGER), (1), (new.status = 'active')  WHERE true
    ON CONFLICT (funnel_id, hour) DO UPDATE SET enrolled = enrolled + excluded.enrolled, active = active + excluded.active;
INSERT INTO rollup_funnel_days (funnel_id, day, enrolled, active)
    SELECT new.funnel_id, CAST((new.enrolled_at) / 86400000 AS INTEGER), (1), (new.status = 'active')  WHERE true
    ON CONFLICT (funnel_id, day) DO UPDATE SET enrolled = enrolled + excluded.enrolled, active = active + excluded.active;
END`,
  `CREATE TRIGGER rollup_enrollments_ad AFTER DELETE ON enrollments FOR EACH ROW BEGIN
INSERT INTO rollup_funnel_hours (funnel_id, hour, enrolled, active)
    SELECT old.funnel_id, CAST((old.enrolled_at) / 3600000 AS INTEGER), -(1), -(old.status = 'active')  WHERE true
    ON CONFLICT (funnel_id, hour) DO UPDATE SET enrolled = enrolled + excluded.enrolled, active = active + excluded.active;
INSERT INTO rollup_funnel_days (funnel_id, day, enrolled, active)
    SELECT old.funnel_id, CAST((old.enrolled_at) / 86400000 AS INTEGER), -(1), -(old.status = 'active')  WHERE true
    ON CONFLICT (funnel_id, day) DO UPDATE SET enrolled = enrolled + excluded.enrolled, active = active + excluded.active;
END`,
  `CREATE TRIGGER rollup_conversions_ai AFTER INSERT ON conversions FOR EACH ROW BEGIN
INSERT INTO rollup_funnel_hours (funnel_id, hour, converted, revenue)
    SELECT new.funnel_id, CAST((new.occurred_at) / 3600000 AS INTEGER), (1), (new.value)  WHERE true
    ON CONFLICT (funnel_id, hour) DO UPDATE SET converted = converted + excluded.converted, revenue = revenue + excluded.revenue;
INSERT INTO rollup_funnel_days (funnel_id, day, converted, revenue)
    SELECT new.funnel_id, CAST((new.occurred_at) / 86400000 AS INTEGER), (1), (new.value)  WHERE true
    ON CONFLICT (funnel_id, day) DO UPDATE SET converted = converted + excluded.converted, revenue = revenue + excluded.revenue;
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, reached_converted, held_out_converted)
    SELECT d.funnel_id, CAST((d.scheduled_at) / 3600000 AS INTEGER), d.touch_id, (d.status IN ('sent', 'delivered', 'outbox')), (d.status = 'held_out') FROM deliveries d WHERE d.enrollment_id = new.enrollment_id AND d.scheduled_at <= new.occurred_at AND d.status IN ('sent', 'delivered', 'outbox', 'held_out')
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET reached_converted = reached_converted + excluded.reached_converted, held_out_converted = held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, reached_converted, held_out_converted)
    SELECT d.funnel_id, CAST((d.scheduled_at) / 86400000 AS INTEGER), d.touch_id, (d.status IN ('sent', 'delivered', 'outbox')), (d.status = 'held_out') FROM deliveries d WHERE d.enrollment_id = new.enrollment_id AND d.scheduled_at <= new.occurred_at AND d.status IN ('sent', 'delivered', 'outbox', 'held_out')
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET reached_converted = reached_converted + excluded.reached_converted, held_out_converted = held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_split_hours (funnel_id, hour, split_id, variant_id, converted)
    SELECT a.funnel_id, CAST((a.at) / 3600000 AS INTEGER), a.split_id, a.variant_id, (1) FROM split_assignments a WHERE a.enrollment_id = new.enrollment_id AND a.at <= new.occurred_at
    ON CONFLICT (funnel_id, hour, split_id, variant_id) DO UPDATE SET converted = converted + excluded.converted;
INSERT INTO rollup_split_days (funnel_id, day, split_id, variant_id, converted)
    SELECT a.funnel_id, CAST((a.at) / 86400000 AS INTEGER), a.split_id, a.variant_id, (1) FROM split_assignments a WHERE a.enrollment_id = new.enrollment_id AND a.at <= new.occurred_at
    ON CONFLICT (funnel_id, day, split_id, variant_id) DO UPDATE SET converted = converted + excluded.converted;
END`,
  `CREATE TRIGGER rollup_conversions_au AFTER UPDATE ON conversions FOR EACH ROW WHEN old.funnel_id IS NOT new.funnel_id OR old.enrollment_id IS NOT new.enrollment_id OR old.value IS NOT new.value OR old.occurred_at IS NOT new.occurred_at BEGIN
INSERT INTO rollup_funnel_hours (funnel_id, hour, converted, revenue)
    SELECT old.funnel_id, CAST((old.occurred_at) / 3600000 AS INTEGER), -(1), -(old.value)  WHERE true
    ON CONFLICT (funnel_id, hour) DO UPDATE SET converted = converted + excluded.converted, revenue = revenue + excluded.revenue;
INSERT INTO rollup_funnel_days (funnel_id, day, converted, revenue)
    SELECT old.funnel_id, CAST((old.occurred_at) / 86400000 AS INTEGER), -(1), -(old.value)  WHERE true
    ON CONFLICT (funnel_id, day) DO UPDATE SET converted = converted + excluded.converted, revenue = revenue + excluded.revenue;
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, reached_converted, held_out_converted)
    SELECT d.funnel_id, CAST((d.scheduled_at) / 3600000 AS INTEGER), d.touch_id, -(d.status IN ('sent', 'delivered', 'outbox')), -(d.status = 'held_out') FROM deliveries d WHERE d.enrollment_id = old.enrollment_id AND d.scheduled_at <= old.occurred_at AND d.status IN ('sent', 'delivered', 'outbox', 'held_out')
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET reached_converted = reached_converted + excluded.reached_converted, held_out_converted = held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, reached_converted, held_out_converted)
    SELECT d.funnel_id, CAST((d.scheduled_at) / 86400000 AS INTEGER), d.touch_id, -(d.status IN ('sent', 'delivered', 'outbox')), -(d.status = 'held_out') FROM deliveries d WHERE d.enrollment_id = old.enrollment_id AND d.scheduled_at <= old.occurred_at AND d.status IN ('sent', 'delivered', 'outbox', 'held_out')
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET reached_converted = reached_converted + excluded.reached_converted, held_out_converted = held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_split_hours (funnel_id, hour, split_id, variant_id, converted)
    SELECT a.funnel_id, CAST((a.at) / 3600000 AS INTEGER), a.split_id, a.variant_id, -(1) FROM split_assignments a WHERE a.enrollment_id = old.enrollment_id AND a.at <= old.occurred_at
    ON CONFLICT (funnel_id, hour, split_id, variant_id) DO UPDATE SET converted = converted + excluded.converted;
INSERT INTO rollup_split_days (funnel_id, day, split_id, variant_id, converted)
    SELECT a.funnel_id, CAST((a.at) / 86400000 AS INTEGER), a.split_id, a.variant_id, -(1) FROM split_assignments a WHERE a.enrollment_id = old.enrollment_id AND a.at <= old.occurred_at
    ON CONFLICT (funnel_id, day, split_id, variant_id) DO UPDATE SET converted = converted + excluded.converted;
INSERT INTO rollup_funnel_hours (funnel_id, hour, converted, revenue)
    SELECT new.funnel_id, CAST((new.occurred_at) / 3600000 AS INTEGER), (1), (new.value)  WHERE true
    ON CONFLICT (funnel_id, hour) DO UPDATE SET converted = converted + excluded.converted, revenue = revenue + excluded.revenue;
INSERT INTO rollup_funnel_days (funnel_id, day, converted, revenue)
    SELECT new.funnel_id, CAST((new.occurred_at) / 86400000 AS INTEGER), (1), (new.value)  WHERE true
    ON CONFLICT (funnel_id, day) DO UPDATE SET converted = converted + excluded.converted, revenue = revenue + excluded.revenue;
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, reached_converted, held_out_converted)
    SELECT d.funnel_id, CAST((d.scheduled_at) / 3600000 AS INTEGER), d.touch_id, (d.status IN ('sent', 'delivered', 'outbox')), (d.status = 'held_out') FROM deliveries d WHERE d.enrollment_id = new.enrollment_id AND d.scheduled_at <= new.occurred_at AND d.status IN ('sent', 'delivered', 'outbox', 'held_out')
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET reached_converted = reached_converted + excluded.reached_converted, held_out_converted = held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, reached_converted, held_out_converted)
    SELECT d.funnel_id, CAST((d.scheduled_at) / 86400000 AS INTEGER), d.touch_id, (d.status IN ('sent', 'delivered', 'outbox')), (d.status = 'held_out') FROM deliveries d WHERE d.enrollment_id = new.enrollment_id AND d.scheduled_at <= new.occurred_at AND d.status IN ('sent', 'delivered', 'outbox', 'held_out')
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET reached_converted = reached_converted + excluded.reached_converted, held_out_converted = held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_split_hours (funnel_id, hour, split_id, variant_id, converted)
    SELECT a.funnel_id, CAST((a.at) / 3600000 AS INTEGER), a.split_id, a.variant_id, (1) FROM split_assignments a WHERE a.enrollment_id = new.enrollment_id AND a.at <= new.occurred_at
    ON CONFLICT (funnel_id, hour, split_id, variant_id) DO UPDATE SET converted = converted + excluded.converted;
INSERT INTO rollup_split_days (funnel_id, day, split_id, variant_id, converted)
    SELECT a.funnel_id, CAST((a.at) / 86400000 AS INTEGER), a.split_id, a.variant_id, (1) FROM split_assignments a WHERE a.enrollment_id = new.enrollment_id AND a.at <= new.occurred_at
    ON CONFLICT (funnel_id, day, split_id, variant_id) DO UPDATE SET converted = converted + excluded.converted;
END`,
  `CREATE TRIGGER rollup_conversions_ad AFTER DELETE ON conversions FOR EACH ROW BEGIN
INSERT INTO rollup_funnel_hours (funnel_id, hour, converted, revenue)
    SELECT old.funnel_id, CAST((old.occurred_at) / 3600000 AS INTEGER), -(1), -(old.value)  WHERE true
    ON CONFLICT (funnel_id, hour) DO UPDATE SET converted = converted + excluded.converted, revenue = revenue + excluded.revenue;
INSERT INTO rollup_funnel_days (funnel_id, day, converted, revenue)
    SELECT old.funnel_id, CAST((old.occurred_at) / 86400000 AS INTEGER), -(1), -(old.value)  WHERE true
    ON CONFLICT (funnel_id, day) DO UPDATE SET converted = converted + excluded.converted, revenue = revenue + excluded.revenue;
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, reached_converted, held_out_converted)
    SELECT d.funnel_id, CAST((d.scheduled_at) / 3600000 AS INTEGER), d.touch_id, -(d.status IN ('sent', 'delivered', 'outbox')), -(d.status = 'held_out') FROM deliveries d WHERE d.enrollment_id = old.enrollment_id AND d.scheduled_at <= old.occurred_at AND d.status IN ('sent', 'delivered', 'outbox', 'held_out')
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET reached_converted = reached_converted + excluded.reached_converted, held_out_converted = held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, reached_converted, held_out_converted)
    SELECT d.funnel_id, CAST((d.scheduled_at) / 86400000 AS INTEGER), d.touch_id, -(d.status IN ('sent', 'delivered', 'outbox')), -(d.status = 'held_out') FROM deliveries d WHERE d.enrollment_id = old.enrollment_id AND d.scheduled_at <= old.occurred_at AND d.status IN ('sent', 'delivered', 'outbox', 'held_out')
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET reached_converted = reached_converted + excluded.reached_converted, held_out_converted = held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_split_hours (funnel_id, hour, split_id, variant_id, converted)
    SELECT a.funnel_id, CAST((a.at) / 3600000 AS INTEGER), a.split_id, a.variant_id, -(1) FROM split_assignments a WHERE a.enrollment_id = old.enrollment_id AND a.at <= old.occurred_at
    ON CONFLICT (funnel_id, hour, split_id, variant_id) DO UPDATE SET converted = converted + excluded.converted;
INSERT INTO rollup_split_days (funnel_id, day, split_id, variant_id, converted)
    SELECT a.funnel_id, CAST((a.at) / 86400000 AS INTEGER), a.split_id, a.variant_id, -(1) FROM split_assignments a WHERE a.enrollment_id = old.enrollment_id AND a.at <= old.occurred_at
    ON CONFLICT (funnel_id, day, split_id, variant_id) DO UPDATE SET converted = converted + excluded.converted;
END`,
  `CREATE TRIGGER rollup_deliveries_ai AFTER INSERT ON deliveries FOR EACH ROW BEGIN
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT new.funnel_id, CAST((new.scheduled_at) / 3600000 AS INTEGER), new.touch_id, ((new.status IN ('sent', 'delivered'))), ((new.status = 'delivered' OR (new.status = 'sent' AND new.delivered_at IS NOT NULL))), ((new.status = 'outbox')), ((new.status = 'failed')), ((new.status = 'skipped')), ((new.status = 'held_out')), ((new.opened_at IS NOT NULL)), ((new.clicked_at IS NOT NULL)), ((new.replied_at IS NOT NULL)), ((new.unsubscribed_at IS NOT NULL)), ((new.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.scheduled_at))), ((new.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.scheduled_at)))  WHERE true
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET sent = sent + excluded.sent, delivered = delivered + excluded.delivered, outbox = outbox + excluded.outbox, failed = failed + excluded.failed, skipped = skipped + excluded.skipped, held_out = held_out + excluded.held_out, opened = opened + excluded.opened, clicked = clicked + excluded.clicked, replied = replied + excluded.replied, unsubscribed = unsubscribed + excluded.unsubscribed, reached_converted = reached_converted + excluded.reached_converted, held_out_converted = held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT new.funnel_id, CAST((new.scheduled_at) / 86400000 AS INTEGER), new.touch_id, ((new.status IN ('sent', 'delivered'))), ((new.status = 'delivered' OR (new.status = 'sent' AND new.delivered_at IS NOT NULL))), ((new.status = 'outbox')), ((new.status = 'failed')), ((new.status = 'skipped')), ((new.status = 'held_out')), ((new.opened_at IS NOT NULL)), ((new.clicked_at IS NOT NULL)), ((new.replied_at IS NOT NULL)), ((new.unsubscribed_at IS NOT NULL)), ((new.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.scheduled_at))), ((new.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.scheduled_at)))  WHERE true
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET sent = sent + excluded.sent, delivered = delivered + excluded.delivered, outbox = outbox + excluded.outbox, failed = failed + excluded.failed, skipped = skipped + excluded.skipped, held_out = held_out + excluded.held_out, opened = opened + excluded.opened, clicked = clicked + excluded.clicked, replied = replied + excluded.replied, unsubscribed = unsubscribed + excluded.unsubscribed, reached_converted = reached_converted + excluded.reached_converted, held_out_converted = held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT new.funnel_id, CAST((new.scheduled_at) / 3600000 AS INTEGER), new.touch_id, 'skipped', coalesce(new.reason, 'unspecified'), (1)  WHERE new.status = 'skipped'
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n;
INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT new.funnel_id, CAST((new.scheduled_at) / 86400000 AS INTEGER), new.touch_id, 'skipped', coalesce(new.reason, 'unspecified'), (1)  WHERE new.status = 'skipped'
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n;
END`,
  `CREATE TRIGGER rollup_deliveries_au AFTER UPDATE ON deliveries FOR EACH ROW WHEN old.funnel_id IS NOT new.funnel_id OR old.enrollment_id IS NOT new.enrollment_id OR old.touch_id IS NOT new.touch_id OR old.status IS NOT new.status OR old.reason IS NOT new.reason OR old.scheduled_at IS NOT new.scheduled_at OR old.delivered_at IS NOT new.delivered_at OR old.opened_at IS NOT new.opened_at OR old.clicked_at IS NOT new.clicked_at OR old.replied_at IS NOT new.replied_at OR old.unsubscribed_at IS NOT new.unsubscribed_at BEGIN
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT old.funnel_id, CAST((old.scheduled_at) / 3600000 AS INTEGER), old.touch_id, -((old.status IN ('sent', 'delivered'))), -((old.status = 'delivered' OR (old.status = 'sent' AND old.delivered_at IS NOT NULL))), -((old.status = 'outbox')), -((old.status = 'failed')), -((old.status = 'skipped')), -((old.status = 'held_out')), -((old.opened_at IS NOT NULL)), -((old.clicked_at IS NOT NULL)), -((old.replied_at IS NOT NULL)), -((old.unsubscribed_at IS NOT NULL)), -((old.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.scheduled_at))), -((old.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.scheduled_at)))  WHERE true
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET sent = sent + excluded.sent, delivered = delivered + excluded.delivered, outbox = outbox + excluded.outbox, failed = failed + excluded.failed, skipped = skipped + excluded.skipped, held_out = held_out + excluded.held_out, opened = opened + excluded.opened, clicked = clicked + excluded.clicked, replied = replied + excluded.replied, unsubscribed = unsubscribed + excluded.unsubscribed, reached_converted = reached_converted + excluded.reached_converted, held_out_converted = held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT old.funnel_id, CAST((old.scheduled_at) / 86400000 AS INTEGER), old.touch_id, -((old.status IN ('sent', 'delivered'))), -((old.status = 'delivered' OR (old.status = 'sent' AND old.delivered_at IS NOT NULL))), -((old.status = 'outbox')), -((old.status = 'failed')), -((old.status = 'skipped')), -((old.status = 'held_out')), -((old.opened_at IS NOT NULL)), -((old.clicked_at IS NOT NULL)), -((old.replied_at IS NOT NULL)), -((old.unsubscribed_at IS NOT NULL)), -((old.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.scheduled_at))), -((old.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.scheduled_at)))  WHERE true
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET sent = sent + excluded.sent, delivered = delivered + excluded.delivered, outbox = outbox + excluded.outbox, failed = failed + excluded.failed, skipped = skipped + excluded.skipped, held_out = held_out + excluded.held_out, opened = opened + excluded.opened, clicked = clicked + excluded.clicked, replied = replied + excluded.replied, unsubscribed = unsubscribed + excluded.unsubscribed, reached_converted = reached_converted + excluded.reached_converted, held_out_converted = held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT old.funnel_id, CAST((old.scheduled_at) / 3600000 AS INTEGER), old.touch_id, 'skipped', coalesce(old.reason, 'unspecified'), -(1)  WHERE old.status = 'skipped'
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n;
INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT old.funnel_id, CAST((old.scheduled_at) / 86400000 AS INTEGER), old.touch_id, 'skipped', coalesce(old.reason, 'unspecified'), -(1)  WHERE old.status = 'skipped'
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n;
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT new.funnel_id, CAST((new.scheduled_at) / 3600000 AS INTEGER), new.touch_id, ((new.status IN ('sent', 'delivered'))), ((new.status = 'delivered' OR (new.status = 'sent' AND new.delivered_at IS NOT NULL))), ((new.status = 'outbox')), ((new.status = 'failed')), ((new.status = 'skipped')), ((new.status = 'held_out')), ((new.opened_at IS NOT NULL)), ((new.clicked_at IS NOT NULL)), ((new.replied_at IS NOT NULL)), ((new.unsubscribed_at IS NOT NULL)), ((new.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.scheduled_at))), ((new.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.scheduled_at)))  WHERE true
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET sent = sent + excluded.sent, delivered = delivered + excluded.delivered, outbox = outbox + excluded.outbox, failed = failed + excluded.failed, skipped = skipped + excluded.skipped, held_out = held_out + excluded.held_out, opened = opened + excluded.opened, clicked = clicked + excluded.clicked, replied = replied + excluded.replied, unsubscribed = unsubscribed + excluded.unsubscribed, reached_converted = reached_converted + excluded.reached_converted, held_out_converted = held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT new.funnel_id, CAST((new.scheduled_at) / 86400000 AS INTEGER), new.touch_id, ((new.status IN ('sent', 'delivered'))), ((new.status = 'delivered' OR (new.status = 'sent' AND new.delivered_at IS NOT NULL))), ((new.status = 'outbox')), ((new.status = 'failed')), ((new.status = 'skipped')), ((new.status = 'held_out')), ((new.opened_at IS NOT NULL)), ((new.clicked_at IS NOT NULL)), ((new.replied_at IS NOT NULL)), ((new.unsubscribed_at IS NOT NULL)), ((new.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.scheduled_at))), ((new.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.scheduled_at)))  WHERE true
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET sent = sent + excluded.sent, delivered = delivered + excluded.delivered, outbox = outbox + excluded.outbox, failed = failed + excluded.failed, skipped = skipped + excluded.skipped, held_out = held_out + excluded.held_out, opened = opened + excluded.opened, clicked = clicked + excluded.clicked, replied = replied + excluded.replied, unsubscribed = unsubscribed + excluded.unsubscribed, reached_converted = reached_converted + excluded.reached_converted, held_out_converted = held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT new.funnel_id, CAST((new.scheduled_at) / 3600000 AS INTEGER), new.touch_id, 'skipped', coalesce(new.reason, 'unspecified'), (1)  WHERE new.status = 'skipped'
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n;
INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT new.funnel_id, CAST((new.scheduled_at) / 86400000 AS INTEGER), new.touch_id, 'skipped', coalesce(new.reason, 'unspecified'), (1)  WHERE new.status = 'skipped'
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n;
END`,
  `CREATE TRIGGER rollup_deliveries_ad AFTER DELETE ON deliveries FOR EACH ROW BEGIN
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT old.funnel_id, CAST((old.scheduled_at) / 3600000 AS INTEGER), old.touch_id, -((old.status IN ('sent', 'delivered'))), -((old.status = 'delivered' OR (old.status = 'sent' AND old.delivered_at IS NOT NULL))), -((old.status = 'outbox')), -((old.status = 'failed')), -((old.status = 'skipped')), -((old.status = 'held_out')), -((old.opened_at IS NOT NULL)), -((old.clicked_at IS NOT NULL)), -((old.replied_at IS NOT NULL)), -((old.unsubscribed_at IS NOT NULL)), -((old.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.scheduled_at))), -((old.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.scheduled_at)))  WHERE true
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET sent = sent + excluded.sent, delivered = delivered + excluded.delivered, outbox = outbox + excluded.outbox, failed = failed + excluded.failed, skipped = skipped + excluded.skipped, held_out = held_out + excluded.held_out, opened = opened + excluded.opened, clicked = clicked + excluded.clicked, replied = replied + excluded.replied, unsubscribed = unsubscribed + excluded.unsubscribed, reached_converted = reached_converted + excluded.reached_converted, held_out_converted = held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, sent, delivered, outbox, failed, skipped, held_out, opened, clicked, replied, unsubscribed, reached_converted, held_out_converted)
    SELECT old.funnel_id, CAST((old.scheduled_at) / 86400000 AS INTEGER), old.touch_id, -((old.status IN ('sent', 'delivered'))), -((old.status = 'delivered' OR (old.status = 'sent' AND old.delivered_at IS NOT NULL))), -((old.status = 'outbox')), -((old.status = 'failed')), -((old.status = 'skipped')), -((old.status = 'held_out')), -((old.opened_at IS NOT NULL)), -((old.clicked_at IS NOT NULL)), -((old.replied_at IS NOT NULL)), -((old.unsubscribed_at IS NOT NULL)), -((old.status IN ('sent', 'delivered', 'outbox') AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.scheduled_at))), -((old.status = 'held_out' AND EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.scheduled_at)))  WHERE true
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET sent = sent + excluded.sent, delivered = delivered + excluded.delivered, outbox = outbox + excluded.outbox, failed = failed + excluded.failed, skipped = skipped + excluded.skipped, held_out = held_out + excluded.held_out, opened = opened + excluded.opened, clicked = clicked + excluded.clicked, replied = replied + excluded.replied, unsubscribed = unsubscribed + excluded.unsubscribed, reached_converted = reached_converted + excluded.reached_converted, held_out_converted = held_out_converted + excluded.held_out_converted;
INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT old.funnel_id, CAST((old.scheduled_at) / 3600000 AS INTEGER), old.touch_id, 'skipped', coalesce(old.reason, 'unspecified'), -(1)  WHERE old.status = 'skipped'
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n;
INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT old.funnel_id, CAST((old.scheduled_at) / 86400000 AS INTEGER), old.touch_id, 'skipped', coalesce(old.reason, 'unspecified'), -(1)  WHERE old.status = 'skipped'
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n;
END`,
  `CREATE TRIGGER rollup_touch_log_ai AFTER INSERT ON touch_log FOR EACH ROW BEGIN
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, deferred)
    SELECT new.funnel_id, CAST((new.at) / 3600000 AS INTEGER), new.touch_id, (1)  WHERE new.kind = 'deferred'
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET deferred = deferred + excluded.deferred;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, deferred)
    SELECT new.funnel_id, CAST((new.at) / 86400000 AS INTEGER), new.touch_id, (1)  WHERE new.kind = 'deferred'
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET deferred = deferred + excluded.deferred;
INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT new.funnel_id, CAST((new.at) / 3600000 AS INTEGER), new.touch_id, 'deferred', new.reason, (1)  WHERE new.kind = 'deferred'
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n;
INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT new.funnel_id, CAST((new.at) / 86400000 AS INTEGER), new.touch_id, 'deferred', new.reason, (1)  WHERE new.kind = 'deferred'
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n;
END`,
  `CREATE TRIGGER rollup_touch_log_au AFTER UPDATE ON touch_log FOR EACH ROW WHEN old.funnel_id IS NOT new.funnel_id OR old.touch_id IS NOT new.touch_id OR old.kind IS NOT new.kind OR old.reason IS NOT new.reason OR old.at IS NOT new.at BEGIN
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, deferred)
    SELECT old.funnel_id, CAST((old.at) / 3600000 AS INTEGER), old.touch_id, -(1)  WHERE old.kind = 'deferred'
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET deferred = deferred + excluded.deferred;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, deferred)
    SELECT old.funnel_id, CAST((old.at) / 86400000 AS INTEGER), old.touch_id, -(1)  WHERE old.kind = 'deferred'
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET deferred = deferred + excluded.deferred;
INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT old.funnel_id, CAST((old.at) / 3600000 AS INTEGER), old.touch_id, 'deferred', old.reason, -(1)  WHERE old.kind = 'deferred'
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n;
INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT old.funnel_id, CAST((old.at) / 86400000 AS INTEGER), old.touch_id, 'deferred', old.reason, -(1)  WHERE old.kind = 'deferred'
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n;
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, deferred)
    SELECT new.funnel_id, CAST((new.at) / 3600000 AS INTEGER), new.touch_id, (1)  WHERE new.kind = 'deferred'
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET deferred = deferred + excluded.deferred;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, deferred)
    SELECT new.funnel_id, CAST((new.at) / 86400000 AS INTEGER), new.touch_id, (1)  WHERE new.kind = 'deferred'
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET deferred = deferred + excluded.deferred;
INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT new.funnel_id, CAST((new.at) / 3600000 AS INTEGER), new.touch_id, 'deferred', new.reason, (1)  WHERE new.kind = 'deferred'
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n;
INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT new.funnel_id, CAST((new.at) / 86400000 AS INTEGER), new.touch_id, 'deferred', new.reason, (1)  WHERE new.kind = 'deferred'
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n;
END`,
  `CREATE TRIGGER rollup_touch_log_ad AFTER DELETE ON touch_log FOR EACH ROW BEGIN
INSERT INTO rollup_touch_hours (funnel_id, hour, touch_id, deferred)
    SELECT old.funnel_id, CAST((old.at) / 3600000 AS INTEGER), old.touch_id, -(1)  WHERE old.kind = 'deferred'
    ON CONFLICT (funnel_id, hour, touch_id) DO UPDATE SET deferred = deferred + excluded.deferred;
INSERT INTO rollup_touch_days (funnel_id, day, touch_id, deferred)
    SELECT old.funnel_id, CAST((old.at) / 86400000 AS INTEGER), old.touch_id, -(1)  WHERE old.kind = 'deferred'
    ON CONFLICT (funnel_id, day, touch_id) DO UPDATE SET deferred = deferred + excluded.deferred;
INSERT INTO rollup_reason_hours (funnel_id, hour, touch_id, kind, reason, n)
    SELECT old.funnel_id, CAST((old.at) / 3600000 AS INTEGER), old.touch_id, 'deferred', old.reason, -(1)  WHERE old.kind = 'deferred'
    ON CONFLICT (funnel_id, hour, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n;
INSERT INTO rollup_reason_days (funnel_id, day, touch_id, kind, reason, n)
    SELECT old.funnel_id, CAST((old.at) / 86400000 AS INTEGER), old.touch_id, 'deferred', old.reason, -(1)  WHERE old.kind = 'deferred'
    ON CONFLICT (funnel_id, day, touch_id, kind, reason) DO UPDATE SET n = n + excluded.n;
END`,
  `CREATE TRIGGER rollup_attributions_ai AFTER INSERT ON attributions FOR EACH ROW BEGIN
INSERT INTO rollup_credit_hours (funnel_id, model, hour, touch_id, credit, revenue, conversions, assisted)
    SELECT new.funnel_id, new.model, CAST((new.occurred_at) / 3600000 AS INTEGER), new.touch_id, (new.credit), (new.revenue), (1), ((new.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = new.conversion_id AND l.model = 'last_touch' AND l.delivery_id = new.delivery_id)))  WHERE true
    ON CONFLICT (funnel_id, model, hour, touch_id) DO UPDATE SET credit = credit + excluded.credit, revenue = revenue + excluded.revenue, conversions = conversions + excluded.conversions, assisted = assisted + excluded.assisted;
INSERT INTO rollup_credit_days (funnel_id, model, day, touch_id, credit, revenue, conversions, assisted)
    SELECT new.funnel_id, new.model, CAST((new.occurred_at) / 86400000 AS INTEGER), new.touch_id, (new.credit), (new.revenue), (1), ((new.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = new.conversion_id AND l.model = 'last_touch' AND l.delivery_id = new.delivery_id)))  WHERE true
    ON CONFLICT (funnel_id, model, day, touch_id) DO UPDATE SET credit = credit + excluded.credit, revenue = revenue + excluded.revenue, conversions = conversions + excluded.conversions, assisted = assisted + excluded.assisted;
INSERT INTO rollup_lag_days (funnel_id, model, day, touch_id, bucket, n)
    SELECT new.funnel_id, new.model, CAST((new.occurred_at) / 86400000 AS INTEGER), new.touch_id, (CASE WHEN (max(0, new.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), new.occurred_at))) < 1000 THEN 0 ELSE 1 + CAST(floor(8 * log2((max(0, new.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), new.occurred_at))) / 1000.0)) AS INTEGER) END), (1) FROM deliveries d WHERE d.id = new.delivery_id
    ON CONFLICT (funnel_id, model, day, touch_id, bucket) DO UPDATE SET n = n + excluded.n;
END`,
  `CREATE TRIGGER rollup_attributions_au AFTER UPDATE ON attributions FOR EACH ROW WHEN old.conversion_id IS NOT new.conversion_id OR old.model IS NOT new.model OR old.delivery_id IS NOT new.delivery_id OR old.funnel_id IS NOT new.funnel_id OR old.touch_id IS NOT new.touch_id OR old.credit IS NOT new.credit OR old.revenue IS NOT new.revenue OR old.occurred_at IS NOT new.occurred_at BEGIN
INSERT INTO rollup_credit_hours (funnel_id, model, hour, touch_id, credit, revenue, conversions, assisted)
    SELECT old.funnel_id, old.model, CAST((old.occurred_at) / 3600000 AS INTEGER), old.touch_id, -(old.credit), -(old.revenue), -(1), -((old.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = old.conversion_id AND l.model = 'last_touch' AND l.delivery_id = old.delivery_id)))  WHERE true
    ON CONFLICT (funnel_id, model, hour, touch_id) DO UPDATE SET credit = credit + excluded.credit, revenue = revenue + excluded.revenue, conversions = conversions + excluded.conversions, assisted = assisted + excluded.assisted;
INSERT INTO rollup_credit_days (funnel_id, model, day, touch_id, credit, revenue, conversions, assisted)
    SELECT old.funnel_id, old.model, CAST((old.occurred_at) / 86400000 AS INTEGER), old.touch_id, -(old.credit), -(old.revenue), -(1), -((old.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = old.conversion_id AND l.model = 'last_touch' AND l.delivery_id = old.delivery_id)))  WHERE true
    ON CONFLICT (funnel_id, model, day, touch_id) DO UPDATE SET credit = credit + excluded.credit, revenue = revenue + excluded.revenue, conversions = conversions + excluded.conversions, assisted = assisted + excluded.assisted;
INSERT INTO rollup_lag_days (funnel_id, model, day, touch_id, bucket, n)
    SELECT old.funnel_id, old.model, CAST((old.occurred_at) / 86400000 AS INTEGER), old.touch_id, (CASE WHEN (max(0, old.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), old.occurred_at))) < 1000 THEN 0 ELSE 1 + CAST(floor(8 * log2((max(0, old.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), old.occurred_at))) / 1000.0)) AS INTEGER) END), -(1) FROM deliveries d WHERE d.id = old.delivery_id
    ON CONFLICT (funnel_id, model, day, touch_id, bucket) DO UPDATE SET n = n + excluded.n;
INSERT INTO rollup_credit_hours (funnel_id, model, hour, touch_id, credit, revenue, conversions, assisted)
    SELECT new.funnel_id, new.model, CAST((new.occurred_at) / 3600000 AS INTEGER), new.touch_id, (new.credit), (new.revenue), (1), ((new.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = new.conversion_id AND l.model = 'last_touch' AND l.delivery_id = new.delivery_id)))  WHERE true
    ON CONFLICT (funnel_id, model, hour, touch_id) DO UPDATE SET credit = credit + excluded.credit, revenue = revenue + excluded.revenue, conversions = conversions + excluded.conversions, assisted = assisted + excluded.assisted;
INSERT INTO rollup_credit_days (funnel_id, model, day, touch_id, credit, revenue, conversions, assisted)
    SELECT new.funnel_id, new.model, CAST((new.occurred_at) / 86400000 AS INTEGER), new.touch_id, (new.credit), (new.revenue), (1), ((new.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = new.conversion_id AND l.model = 'last_touch' AND l.delivery_id = new.delivery_id)))  WHERE true
    ON CONFLICT (funnel_id, model, day, touch_id) DO UPDATE SET credit = credit + excluded.credit, revenue = revenue + excluded.revenue, conversions = conversions + excluded.conversions, assisted = assisted + excluded.assisted;
INSERT INTO rollup_lag_days (funnel_id, model, day, touch_id, bucket, n)
    SELECT new.funnel_id, new.model, CAST((new.occurred_at) / 86400000 AS INTEGER), new.touch_id, (CASE WHEN (max(0, new.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), new.occurred_at))) < 1000 THEN 0 ELSE 1 + CAST(floor(8 * log2((max(0, new.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), new.occurred_at))) / 1000.0)) AS INTEGER) END), (1) FROM deliveries d WHERE d.id = new.delivery_id
    ON CONFLICT (funnel_id, model, day, touch_id, bucket) DO UPDATE SET n = n + excluded.n;
END`,
  `CREATE TRIGGER rollup_attributions_ad AFTER DELETE ON attributions FOR EACH ROW BEGIN
INSERT INTO rollup_credit_hours (funnel_id, model, hour, touch_id, credit, revenue, conversions, assisted)
    SELECT old.funnel_id, old.model, CAST((old.occurred_at) / 3600000 AS INTEGER), old.touch_id, -(old.credit), -(old.revenue), -(1), -((old.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = old.conversion_id AND l.model = 'last_touch' AND l.delivery_id = old.delivery_id)))  WHERE true
    ON CONFLICT (funnel_id, model, hour, touch_id) DO UPDATE SET credit = credit + excluded.credit, revenue = revenue + excluded.revenue, conversions = conversions + excluded.conversions, assisted = assisted + excluded.assisted;
INSERT INTO rollup_credit_days (funnel_id, model, day, touch_id, credit, revenue, conversions, assisted)
    SELECT old.funnel_id, old.model, CAST((old.occurred_at) / 86400000 AS INTEGER), old.touch_id, -(old.credit), -(old.revenue), -(1), -((old.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = old.conversion_id AND l.model = 'last_touch' AND l.delivery_id = old.delivery_id)))  WHERE true
    ON CONFLICT (funnel_id, model, day, touch_id) DO UPDATE SET credit = credit + excluded.credit, revenue = revenue + excluded.revenue, conversions = conversions + excluded.conversions, assisted = assisted + excluded.assisted;
INSERT INTO rollup_lag_days (funnel_id, model, day, touch_id, bucket, n)
    SELECT old.funnel_id, old.model, CAST((old.occurred_at) / 86400000 AS INTEGER), old.touch_id, (CASE WHEN (max(0, old.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), old.occurred_at))) < 1000 THEN 0 ELSE 1 + CAST(floor(8 * log2((max(0, old.occurred_at - coalesce(coalesce(d.sent_at, d.delivered_at), old.occurred_at))) / 1000.0)) AS INTEGER) END), -(1) FROM deliveries d WHERE d.id = old.delivery_id
    ON CONFLICT (funnel_id, model, day, touch_id, bucket) DO UPDATE SET n = n + excluded.n;
END`,
  `CREATE TRIGGER rollup_split_assignments_ai AFTER INSERT ON split_assignments FOR EACH ROW BEGIN
INSERT INTO rollup_split_hours (funnel_id, hour, split_id, variant_id, assigned, converted)
    SELECT new.funnel_id, CAST((new.at) / 3600000 AS INTEGER), new.split_id, new.variant_id, (1), (EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.at))  WHERE true
    ON CONFLICT (funnel_id, hour, split_id, variant_id) DO UPDATE SET assigned = assigned + excluded.assigned, converted = converted + excluded.converted;
INSERT INTO rollup_split_days (funnel_id, day, split_id, variant_id, assigned, converted)
    SELECT new.funnel_id, CAST((new.at) / 86400000 AS INTEGER), new.split_id, new.variant_id, (1), (EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.at))  WHERE true
    ON CONFLICT (funnel_id, day, split_id, variant_id) DO UPDATE SET assigned = assigned + excluded.assigned, converted = converted + excluded.converted;
END`,
  `CREATE TRIGGER rollup_split_assignments_au AFTER UPDATE ON split_assignments FOR EACH ROW WHEN old.enrollment_id IS NOT new.enrollment_id OR old.funnel_id IS NOT new.funnel_id OR old.split_id IS NOT new.split_id OR old.variant_id IS NOT new.variant_id OR old.at IS NOT new.at BEGIN
INSERT INTO rollup_split_hours (funnel_id, hour, split_id, variant_id, assigned, converted)
    SELECT old.funnel_id, CAST((old.at) / 3600000 AS INTEGER), old.split_id, old.variant_id, -(1), -(EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.at))  WHERE true
    ON CONFLICT (funnel_id, hour, split_id, variant_id) DO UPDATE SET assigned = assigned + excluded.assigned, converted = converted + excluded.converted;
INSERT INTO rollup_split_days (funnel_id, day, split_id, variant_id, assigned, converted)
    SELECT old.funnel_id, CAST((old.at) / 86400000 AS INTEGER), old.split_id, old.variant_id, -(1), -(EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.at))  WHERE true
    ON CONFLICT (funnel_id, day, split_id, variant_id) DO UPDATE SET assigned = assigned + excluded.assigned, converted = converted + excluded.converted;
INSERT INTO rollup_split_hours (funnel_id, hour, split_id, variant_id, assigned, converted)
    SELECT new.funnel_id, CAST((new.at) / 3600000 AS INTEGER), new.split_id, new.variant_id, (1), (EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.at))  WHERE true
    ON CONFLICT (funnel_id, hour, split_id, variant_id) DO UPDATE SET assigned = assigned + excluded.assigned, converted = converted + excluded.converted;
INSERT INTO rollup_split_days (funnel_id, day, split_id, variant_id, assigned, converted)
    SELECT new.funnel_id, CAST((new.at) / 86400000 AS INTEGER), new.split_id, new.variant_id, (1), (EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = new.enrollment_id AND c.occurred_at >= new.at))  WHERE true
    ON CONFLICT (funnel_id, day, split_id, variant_id) DO UPDATE SET assigned = assigned + excluded.assigned, converted = converted + excluded.converted;
END`,
  `CREATE TRIGGER rollup_split_assignments_ad AFTER DELETE ON split_assignments FOR EACH ROW BEGIN
INSERT INTO rollup_split_hours (funnel_id, hour, split_id, variant_id, assigned, converted)
    SELECT old.funnel_id, CAST((old.at) / 3600000 AS INTEGER), old.split_id, old.variant_id, -(1), -(EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.at))  WHERE true
    ON CONFLICT (funnel_id, hour, split_id, variant_id) DO UPDATE SET assigned = assigned + excluded.assigned, converted = converted + excluded.converted;
INSERT INTO rollup_split_days (funnel_id, day, split_id, variant_id, assigned, converted)
    SELECT old.funnel_id, CAST((old.at) / 86400000 AS INTEGER), old.split_id, old.variant_id, -(1), -(EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = old.enrollment_id AND c.occurred_at >= old.at))  WHERE true
    ON CONFLICT (funnel_id, day, split_id, variant_id) DO UPDATE SET assigned = assigned + excluded.assigned, converted = converted + excluded.converted;
END`,
];

/** The triggers `down` drops. */
export const ROLLUP_TRIGGER_NAMES: readonly string[] = [
  `rollup_enrollments_ai`,
  `rollup_enrollments_au`,
  `rollup_enrollments_ad`,
  `rollup_conversions_ai`,
  `rollup_conversions_au`,
  `rollup_conversions_ad`,
  `rollup_deliveries_ai`,
  `rollup_deliveries_au`,
  `rollup_deliveries_ad`,
  `rollup_touch_log_ai`,
  `rollup_touch_log_au`,
  `rollup_touch_log_ad`,
  `rollup_attributions_ai`,
  `rollup_attributions_au`,
  `rollup_attributions_ad`,
  `rollup_split_assignments_ai`,
  `rollup_split_assignments_au`,
  `rollup_split_assignments_ad`,
];

/** The tables `down` drops. */
export const ROLLUP_TABLE_NAMES: readonly string[] = [
  `rollup_funnel_hours`,
  `rollup_funnel_days`,
  `rollup_touch_hours`,
  `rollup_touch_days`,
  `rollup_reason_hours`,
  `rollup_reason_days`,
  `rollup_credit_hours`,
  `rollup_credit_days`,
  `rollup_lag_days`,
  `rollup_split_hours`,
  `rollup_split_days`,
];

