// Queries built with Kysely once and run many times with new values. Building and compiling a query
// (operation tree, then SQL text) cost about as much CPU as running it on SQLite, and the ledger runs
// the same few queries for every request: a prepared query keeps the builder's types and SQL, and
// only swaps its parameter values on each run.
import type { Compilable, CompiledQuery, Kysely, QueryResult } from "kysely";

/** Stands for a value given at run time; the builder sees it as an ordinary value and binds it. */
class Placeholder {
  readonly name: string;

  constructor(name: string) {
    this.name = name;
  }
}

/** Where a compiled parameter comes from: a run-time value by name, or a constant of the query. */
type Slot = { name: string } | { value: unknown };

interface Compiled {
  query: CompiledQuery;
  slots: Slot[];
}

export type Param<P> = <K extends keyof P & string>(name: K) => P[K];

/**
 * `prepare((db, p) => db.selectFrom("holds").selectAll().where("request_id", "=", p("requestId")))`
 * gives a function running that query with `{ requestId }`. The SQL is compiled once per dialect
 * (the first run on a database speaking it) and reused by every later run, in or out of a transaction.
 */
export function prepare<DB, P extends Record<string, unknown>, R>(
  build: (db: Kysely<DB>, p: Param<P>) => Compilable<R>,
): (db: Kysely<DB>, params: P) => Promise<QueryResult<R>> {
  // Keyed by the dialect's adapter: a database and its transactions share it.
  const byAdapter = new WeakMap<object, Compiled>();
  return (db, params) => {
    const executor = db.getExecutor();
    let compiled = byAdapter.get(executor.adapter);
    if (compiled === undefined) {
      compiled = compile(db, build);
      byAdapter.set(executor.adapter, compiled);
    }
    const { query, slots } = compiled;
    const parameters = slots.map((slot) => ("name" in slot ? params[slot.name] : slot.value));
    for (let i = 0; i < parameters.length; i++) {
      if (parameters[i] === undefined) {
        return Promise.reject(new TypeError(`prepared query: no value for parameter ${(slots[i] as { name: string }).name}`));
      }
    }
    return executor.executeQuery<R>({ ...query, parameters } as CompiledQuery<R>);
  };
}

function compile<DB, P, R>(db: Kysely<DB>, build: (db: Kysely<DB>, p: Param<P>) => Compilable<R>): Compiled {
  const placeholder = ((name: string) => new Placeholder(name)) as unknown as Param<P>;
  const query = build(db, placeholder).compile();
  const slots = query.parameters.map((value): Slot => (value instanceof Placeholder ? { name: value.name } : { value }));
  return { query, slots };
}

/**
 * A row whose every column is the placeholder of the same name, so that the query runs with a row
 * object itself as its parameters. `columns` must name them all (the Record type checks it).
 */
export function placeholderRow<Row extends Record<string, unknown>>(p: Param<Row>, columns: Record<keyof Row & string, true>): Row {
  return Object.fromEntries(Object.keys(columns).map((column) => [column, p(column as keyof Row & string)])) as Row;
}
