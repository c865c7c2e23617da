/**
 * Where runs live: one `runs` table in a DuckDB file (`:memory:` when none is given), so a restart of the
 * server loses nothing a run produced. Each run is one row; its results are the JSON `weft run --json`
 * prints.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import type { RunRecord, RunSummary } from "./schemas.js";

export interface RunStore {
  save(run: RunRecord): Promise<void>;
  get(id: string): Promise<RunRecord | undefined>;
  list(limit: number): Promise<RunSummary[]>;
  close(): void;
}

const CREATE = `CREATE TABLE IF NOT EXISTS runs (
  id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, kind VARCHAR NOT NULL, state VARCHAR NOT NULL,
  created_at VARCHAR NOT NULL, finished_at VARCHAR, wall_s DOUBLE, error VARCHAR,
  scenario VARCHAR NOT NULL, results VARCHAR)`;

const SUMMARY_COLUMNS = "id, name, kind, state, created_at, finished_at, wall_s, error";

export async function openRunStore(file = ":memory:"): Promise<RunStore> {
  const db = await DuckDBInstance.create(file);
  const conn = await db.connect();
  await conn.run(CREATE);
  // A run that was in flight when the server stopped will not finish: say so rather than show it running.
  await conn.run(
    "UPDATE runs SET state = 'failed', error = 'the server stopped before the run finished' WHERE state IN ('queued', 'running')",
  );
  // One write at a time: DuckDB connections are not meant for interleaved statements.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const next = chain.then(f, f);
    chain = next.catch(() => undefined);
    return next;
  };
  return {
    save: (r) =>
      serial(async () => {
        await conn.run(
          `INSERT OR REPLACE INTO runs VALUES ($id, $name, $kind, $state, $created, $finished, $wall, $error, $scenario, $results)`,
          {
            id: r.id,
            name: r.name,
            kind: r.kind,
            state: r.state,
            created: r.createdAt,
            finished: r.finishedAt,
            wall: r.wallS,
            error: r.error,
            scenario: r.scenario,
            results: r.results === null ? null : JSON.stringify(r.results),
          },
        );
      }),
    get: (id) =>
      serial(async () => {
        const reader = await conn.runAndReadAll(
          `SELECT ${SUMMARY_COLUMNS}, scenario, results FROM runs WHERE id = $id`,
          {
            id,
          },
        );
        const row = reader.getRowObjectsJS()[0];
        if (!row) return undefined;
        return {
          ...summaryOf(row),
          scenario: String(row.scenario),
          progress: null,
          results: row.results === null ? null : JSON.parse(String(row.results)),
        };
      }),
    list: (limit) =>
      serial(async () => {
        const reader = await conn.runAndReadAll(
          `SELECT ${SUMMARY_COLUMNS} FROM runs ORDER BY created_at DESC, id DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
        );
        return reader.getRowObjectsJS().map(summaryOf);
      }),
    close: () => {
      conn.closeSync();
      db.closeSync();
    },
  };
}

function summaryOf(row: Record<string, unknown>): RunSummary {
  return {
    id: String(row.id),
    name: String(row.name),
    kind: String(row.kind),
    state: row.state as RunSummary["state"],
    createdAt: String(row.created_at),
    finishedAt: row.finished_at === null ? null : String(row.finished_at),
    wallS: row.wall_s === null ? null : Number(row.wall_s),
    error: row.error === null ? null : String(row.error),
  };
}
