import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';

/** Stands for a named parameter while the query is compiled; replaced by the caller's value when it runs. */
type Param = (name: string) => any;

const MARK = '\u0000af-param:';

/**
 * A query compiled by kysely once per dialect and run many times with new values: the SQL is the builder's own, so it
 * stays portable; only the compile step (as costly as a small query) is skipped. `build` must use every value through
 * `p(name)`, never in a way that changes the SQL's shape (an array length, a null check).
 */
export function preparedQuery<DB, P extends Record<string, unknown>, R>(build: (db: Kysely<DB>, p: Param) => Compilable<R>) {
  const compiled = new WeakMap<object, { query: CompiledQuery<R>; names: Array<string | undefined> }>();
  return async (db: Kysely<DB>, params: P): Promise<QueryResult<R>> => {
    const key = db.getExecutor().adapter;
    let c = compiled.get(key);
    if (!c) {
      const query = build(db, (name) => `${MARK}${name}`).compile();
      const names = query.parameters.map((v) => (typeof v === 'string' && v.startsWith(MARK) ? v.slice(MARK.length) : undefined));
      c = { query, names };
      compiled.set(key, c);
    }
    const { query, names } = c;
    return db.executeQuery<R>({ ...query, parameters: query.parameters.map((v, i) => (names[i] === undefined ? v : params[names[i]!])) });
  };
}
