/**
 * The results store: one DuckDB file holding every design point Weft ran (keyed by the hash of its
 * normalized scenario), the sweeps that asked for them, and whatever later migrations add. A point is
 * written the moment it finishes (DuckDB commits each statement through its write-ahead log), so a run
 * that is killed loses only the points in flight, and a rerun asks `knownHashes` what is left to do.
 *
 * One process opens a file for writing at a time (DuckDB's lock); calls on one store are serialized, so
 * callers may fire them from concurrent promises.
 */
import { renameSync, rmSync } from "node:fs";
import path from "node:path";
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from "@duckdb/node-api";
import { WeftError } from "../errors.js";
import { outputFolder } from "../files/write.js";
import { weftVersion } from "../version.js";
import type { Metrics } from "./metrics.js";
import { migrations } from "./migrations.js";

/** One design point as stored. */
export interface PointRow {
  /** `scenarioHash` of the normalized scenario. */
  hash: string;
  /** The sweep that first ran it; absent for single runs. */
  sweep?: string;
  name: string;
  kind: string;
  fidelity: string;
  status: "ok" | "error";
  /** Why the point failed, when status is error. */
  reason?: string;
  /** Axis path → value, as the sweep file wrote it. */
  inputs: Record<string, unknown>;
  metrics: Metrics;
  /** The run's Results (as `weft run --json` prints them, the timeline left out). */
  results?: unknown;
  wallS: number;
  /** Defaults to this Weft's version. */
  weftVersion?: string;
}

export interface SweepRow {
  id: string;
  name: string;
  spec: unknown;
  points: number;
}

/** A row of a query, with JSON-safe values (big integers as numbers when exact, else strings). */
export type QueryRow = Record<string, unknown>;

export type ExportFormat = "csv" | "parquet" | "json";

export interface Store {
  readonly file: string;
  /** Adds or replaces a point (the same hash is one row, whoever wrote it last). */
  putPoint(row: PointRow): Promise<void>;
  /** Adds or replaces many points in one transaction. */
  putPoints(rows: PointRow[]): Promise<void>;
  getPoint(hash: string): Promise<PointRow | undefined>;
  /** Which of these hashes (all, without an argument) the store already holds. */
  knownHashes(hashes?: readonly string[]): Promise<Set<string>>;
  putSweep(sweep: SweepRow): Promise<void>;
  getSweep(id: string): Promise<SweepRow | undefined>;
  listSweeps(): Promise<(SweepRow & { createdAt: string; done: number })[]>;
  /** Records which points (and with which inputs) make up a sweep. */
  linkSweepPoints(sweep: string, points: { hash: string; inputs: Record<string, unknown> }[]): Promise<void>;
  /** The stored points of a sweep, with that sweep's inputs, in no particular order. */
  sweepPoints(sweep: string): Promise<PointRow[]>;
  /** Any SQL (tables: points, sweeps, sweep_points, and what migrations add). */
  query(sql: string, params?: DuckDBValue[]): Promise<QueryRow[]>;
  /** Writes a query's rows to a file (atomically: a temp file, then a rename); returns the row count. */
  exportQuery(sql: string, file: string, format?: ExportFormat): Promise<number>;
  /** The DuckDB connection, for statements the API does not cover. Calls on it are not serialized. */
  readonly connection: DuckDBConnection;
  /** Resolves once every statement issued so far has finished (close only an idle store). */
  idle(): Promise<void>;
  close(): void;
}

export interface OpenOptions {
  readOnly?: boolean;
}

/** Opens (creating if needed) a store file and brings its schema up to date. */
export async function openStore(file: string, options: OpenOptions = {}): Promise<Store> {
  // ":memory:" is DuckDB's store that lives and dies with the process.
  const resolved = file === ":memory:" ? file : path.resolve(file);
  if (!options.readOnly && resolved !== ":memory:") {
    outputFolder(resolved, "the store");
  }
  let instance: DuckDBInstance;
  try {
    // One thread: the store takes small batches of rows and answers queries over thousands of them, where
    // DuckDB's worker pool costs more CPU than it saves (and a sweep's workers want the cores).
    const config: Record<string, string> = { threads: "1" };
    if (options.readOnly) config.access_mode = "READ_ONLY";
    instance = await DuckDBInstance.create(resolved, config);
  } catch (err) {
    throw new WeftError(`cannot open the results store: ${(err as Error).message.split("\n")[0]}`, {
      file,
    });
  }
  const connection = await instance.connect();
  if (!options.readOnly) await migrate(connection);
  return makeStore(resolved, instance, connection);
}

async function migrate(c: DuckDBConnection): Promise<void> {
  await c.run("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)");
  const rows = (await c.runAndReadAll("SELECT value FROM meta WHERE key = 'schema_version'")).getRows();
  let current = rows.length ? Number(rows[0][0]) : 0;
  for (const m of migrations()) {
    if (m.version <= current) continue;
    await c.run("BEGIN TRANSACTION");
    try {
      await c.run(m.sql);
      await c.run("INSERT OR REPLACE INTO meta VALUES ('schema_version', $1)", [String(m.version)]);
      await c.run("COMMIT");
    } catch (err) {
      await c.run("ROLLBACK");
      throw err;
    }
    current = m.version;
  }
}

/** Rows per INSERT statement. */
const INSERT_CHUNK = 200;

const POINT_COLUMNS =
  "hash, sweep, name, kind, fidelity, status, reason, inputs, metrics, results, wall_s, weft_version";

function pointValues(r: PointRow): DuckDBValue[] {
  return [
    r.hash,
    r.sweep ?? null,
    r.name,
    r.kind,
    r.fidelity,
    r.status,
    r.reason ?? null,
    JSON.stringify(r.inputs),
    JSON.stringify(r.metrics),
    r.results === undefined ? null : JSON.stringify(r.results),
    r.wallS,
    r.weftVersion ?? weftVersion(),
  ];
}

function rowToPoint(o: QueryRow): PointRow {
  return {
    hash: String(o.hash),
    ...(o.sweep != null ? { sweep: String(o.sweep) } : {}),
    name: String(o.name),
    kind: String(o.kind),
    fidelity: String(o.fidelity),
    status: o.status === "error" ? "error" : "ok",
    ...(o.reason != null ? { reason: String(o.reason) } : {}),
    inputs: parseJson(o.inputs) as Record<string, unknown>,
    metrics: parseJson(o.metrics) as Metrics,
    ...(o.results != null ? { results: parseJson(o.results) } : {}),
    wallS: Number(o.wall_s),
    weftVersion: String(o.weft_version),
  };
}

function parseJson(v: unknown): unknown {
  return typeof v === "string" ? JSON.parse(v) : v;
}

/** DuckDB values made JSON-safe: integers as numbers where exact, timestamps and decimals as text. */
function plain(v: unknown): unknown {
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function makeStore(file: string, instance: DuckDBInstance, c: DuckDBConnection): Store {
  // One statement at a time on the connection, in call order.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = tail.then(fn, fn);
    tail = next.catch(() => undefined);
    return next;
  };
  const query = (sql: string, params?: DuckDBValue[]) =>
    serial(async () => {
      const reader = await c.runAndReadAll(sql, params);
      return reader.getRowObjectsJS().map((row) => {
        const out: QueryRow = {};
        for (const [k, v] of Object.entries(row)) out[k] = plain(v);
        return out;
      });
    });
  const transaction = (fn: () => Promise<void>) =>
    serial(async () => {
      await c.run("BEGIN TRANSACTION");
      try {
        await fn();
        await c.run("COMMIT");
      } catch (err) {
        await c.run("ROLLBACK");
        throw err;
      }
    });
  // One multi-row statement per chunk: DuckDB commits a statement at a time, and a commit per row costs
  // milliseconds where a row in a batch costs microseconds.
  const insertPoints = async (rows: PointRow[]) => {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const n = POINT_COLUMNS.split(", ").length;
      const tuples = chunk.map(
        (_, r) => `(${Array.from({ length: n }, (_, k) => `$${r * n + k + 1}`).join(", ")})`,
      );
      await c.run(
        `INSERT OR REPLACE INTO points (${POINT_COLUMNS}) VALUES ${tuples.join(", ")}`,
        chunk.flatMap(pointValues),
      );
    }
  };

  return {
    file,
    connection: c,
    putPoint: (row) => serial(() => insertPoints([row])),
    putPoints: (rows) => transaction(() => insertPoints(rows)),
    async getPoint(hash) {
      const rows = await query(`SELECT ${POINT_COLUMNS} FROM points WHERE hash = $1`, [hash]);
      return rows.length ? rowToPoint(rows[0]) : undefined;
    },
    async knownHashes(hashes) {
      if (hashes === undefined) {
        const rows = await query("SELECT hash FROM points");
        return new Set(rows.map((r) => String(r.hash)));
      }
      const known = new Set<string>();
      // In chunks, so a 100k-point sweep does not become one giant statement.
      for (let i = 0; i < hashes.length; i += 1000) {
        const chunk = hashes.slice(i, i + 1000);
        const rows = await query(`SELECT hash FROM points WHERE hash IN (${chunk.map(sqlString).join(",")})`);
        for (const r of rows) known.add(String(r.hash));
      }
      return known;
    },
    putSweep: (s) =>
      serial(async () => {
        await c.run("INSERT OR REPLACE INTO sweeps (id, name, spec, points) VALUES ($1, $2, $3, $4)", [
          s.id,
          s.name,
          JSON.stringify(s.spec),
          s.points,
        ]);
      }),
    async getSweep(id) {
      const rows = await query("SELECT id, name, spec, points FROM sweeps WHERE id = $1", [id]);
      if (!rows.length) return undefined;
      const r = rows[0];
      return { id: String(r.id), name: String(r.name), spec: parseJson(r.spec), points: Number(r.points) };
    },
    async listSweeps() {
      const rows = await query(
        `SELECT s.id, s.name, s.spec, s.points, CAST(s.created_at AS VARCHAR) AS created_at,
                (SELECT count(*) FROM sweep_points sp JOIN points p USING (hash) WHERE sp.sweep = s.id) AS done
           FROM sweeps s ORDER BY s.created_at`,
      );
      return rows.map((r) => ({
        id: String(r.id),
        name: String(r.name),
        spec: parseJson(r.spec),
        points: Number(r.points),
        createdAt: isoTime(String(r.created_at)),
        done: Number(r.done),
      }));
    },
    linkSweepPoints: (sweep, points) =>
      transaction(async () => {
        for (let i = 0; i < points.length; i += INSERT_CHUNK) {
          const chunk = points.slice(i, i + INSERT_CHUNK);
          const tuples = chunk.map((_, r) => `($${3 * r + 1}, $${3 * r + 2}, $${3 * r + 3})`);
          await c.run(
            `INSERT OR REPLACE INTO sweep_points (sweep, hash, inputs) VALUES ${tuples.join(", ")}`,
            chunk.flatMap((p) => [sweep, p.hash, JSON.stringify(p.inputs)]),
          );
        }
      }),
    async sweepPoints(sweep) {
      const cols = POINT_COLUMNS.split(", ")
        .map((k) => (k === "inputs" ? "sp.inputs" : `p.${k}`))
        .join(", ");
      const rows = await query(
        `SELECT ${cols} FROM sweep_points sp JOIN points p USING (hash) WHERE sp.sweep = $1`,
        [sweep],
      );
      return rows.map(rowToPoint);
    },
    query,
    exportQuery: (sql, target, format = formatOf(target)) =>
      serial(async () => {
        const dir = outputFolder(target, "the export");
        const tmp = path.join(dir, `.weft-tmp-${process.pid}-${Date.now()}-${path.basename(target)}`);
        const options =
          format === "parquet"
            ? "FORMAT parquet"
            : format === "json"
              ? "FORMAT json, ARRAY true"
              : "FORMAT csv, HEADER";
        try {
          const result = await c.run(`COPY (${sql}) TO ${sqlString(tmp)} (${options})`);
          renameSync(tmp, target);
          return Number(result.rowsChanged);
        } catch (err) {
          rmSync(tmp, { force: true });
          throw err;
        }
      }),
    idle: () => tail.then(() => undefined),
    close() {
      c.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * A stored TIMESTAMP as ISO 8601 UTC (`2026-12-06T13:01:59.629Z`), as runs give theirs: DuckDB casts it in
 * the local time zone, which is how Date reads a timestamp without one.
 */
function isoTime(text: string): string {
  const d = new Date(text.replace(" ", "T").replace(/(\.\d{3})\d+$/, "$1"));
  return Number.isNaN(d.getTime()) ? text : d.toISOString();
}

/** The export format a file name asks for: `.parquet`, `.json`, else CSV. */
export function formatOf(file: string): ExportFormat {
  const ext = path.extname(file).toLowerCase();
  return ext === ".parquet" ? "parquet" : ext === ".json" ? "json" : "csv";
}
