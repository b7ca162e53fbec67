import { sql, type RawBuilder } from 'kysely';

/**
 * The version an enrollment was on at a moment, as SQL: the version a migration moved it away from after that moment,
 * else the version it is on now. Touch ids stay across versions, so "one version" of a funnel's stats is every row
 * written while its enrollment was on that version. Portable SQL (a correlated subquery with ORDER BY and LIMIT).
 */
export function versionAt(enrollmentId: string, at: string): RawBuilder<string> {
  const e = sql.ref(enrollmentId);
  const t = sql.ref(at);
  return sql<string>`COALESCE(
    (SELECT m.from_version FROM enrollment_migrations m WHERE m.enrollment_id = ${e} AND m.outcome = 'moved' AND m.at > ${t} ORDER BY m.at LIMIT 1),
    (SELECT ve.version FROM enrollments ve WHERE ve.id = ${e}))`;
}

/** `AND <version of the row> = version`, or nothing without a version. */
export function andVersion(version: string | undefined, enrollmentId: string, at: string): RawBuilder<unknown> {
  return version === undefined ? sql`` : sql`AND ${versionAt(enrollmentId, at)} = ${version}`;
}
