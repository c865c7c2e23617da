/**
 * Where the server's runs live: the results store (src/store/, one DuckDB file), so a restart loses
 * nothing and the runs sit beside sweeps' points. Each run is one row of the `runs` table this file adds
 * through a store migration (its state, the scenario text as sent, the full results); a finished run is
 * also a design point in `points`, keyed by its scenario hash, for sweeps, queries and `weft compare`.
 */

import type { Metrics } from "../store/metrics.js";
import { registerMigration } from "../store/migrations.js";
import { openStore, type Store } from "../store/store.js";
import type { RunRecord, RunSummary } from "./schemas.js";

registerMigration({
  version: 2,
  description: "runs started through the HTTP server",
  sql: `
    CREATE TABLE runs (
      id VARCHAR PRIMARY KEY,            -- the id the API hands out
      hash VARCHAR,                      -- the point in points (scenarioHash), once finished
      name VARCHAR NOT NULL,
      kind VARCHAR NOT NULL,
      state VARCHAR NOT NULL,            -- queued | running | done | failed
      error VARCHAR,                     -- why it failed
      scenario VARCHAR NOT NULL,         -- the scenario text as the client sent it
      results JSON,                      -- the full Results (timeline included)
      wall_s DOUBLE,
      created_at VARCHAR NOT NULL,       -- ISO 8601, UTC
      finished_at VARCHAR
    );`,
});

/** What a finished run adds to the store's points. */
export interface RunPoint {
  hash: string;
  fidelity: string;
  metrics: Metrics;
}

export interface RunStore {
  save(run: RunRecord, point?: RunPoint): Promise<void>;
  get(id: string): Promise<RunRecord | undefined>;
  list(limit: number): Promise<RunSummary[]>;
  /** The results store itself (sweeps, points). */
  readonly store: Store;
  /** Closes the store once the statements already issued have finished. */
  close(): Promise<void>;
}

const SUMMARY = "id, name, kind, state, created_at, finished_at, wall_s, error";

/** Why a run that was queued or running when the server stopped has failed. */
export const STOPPED = "the server stopped before the run finished";

export async function openRunStore(file: string): Promise<RunStore> {
  const store = await openStore(file);
  // A run in flight when the server stopped will not finish: say so rather than show it running forever.
  await store.query(
    `UPDATE runs SET state = 'failed', error = '${STOPPED}' WHERE state IN ('queued', 'running')`,
  );
  return {
    store,
    async save(r, point) {
      if (point && r.results) {
        const { timeline: _timeline, ...results } = r.results as Record<string, unknown>;
        await store.putPoint({
          hash: point.hash,
          name: r.name,
          kind: r.kind,
          fidelity: point.fidelity,
          status: "ok",
          inputs: {},
          metrics: point.metrics,
          results,
          wallS: r.wallS ?? 0,
        });
      }
      await store.query(
        `INSERT OR REPLACE INTO runs (id, hash, name, kind, state, error, scenario, results, wall_s, created_at, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          r.id,
          point?.hash ?? null,
          r.name,
          r.kind,
          r.state,
          r.error,
          r.scenario,
          r.results === null ? null : JSON.stringify(r.results),
          r.wallS,
          r.createdAt,
          r.finishedAt,
        ],
      );
    },
    async get(id) {
      const rows = await store.query(`SELECT ${SUMMARY}, scenario, results FROM runs WHERE id = $1`, [id]);
      const row = rows[0];
      if (!row) return undefined;
      return {
        ...summaryOf(row),
        scenario: String(row.scenario),
        progress: null,
        results: row.results == null ? null : JSON.parse(String(row.results)),
      };
    },
    async list(limit) {
      const rows = await store.query(
        `SELECT ${SUMMARY} FROM runs ORDER BY created_at DESC, id DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
      );
      return rows.map(summaryOf);
    },
    // DuckDB closed under a running statement can hang the process at exit.
    close: async () => {
      await store.idle();
      store.close();
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
    finishedAt: row.finished_at == null ? null : String(row.finished_at),
    wallS: row.wall_s == null ? null : Number(row.wall_s),
    error: row.error == null ? null : String(row.error),
  };
}
