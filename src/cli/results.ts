/**
 * `weft results`: what the store holds. With SQL, the query's rows; otherwise the points (of one sweep,
 * or all), filtered by an expression over their metrics and inputs (`stepTimeS < 8 && plan.costUsd < 2e6`),
 * sorted, as a table, JSON, or exported to CSV/Parquet with one column per metric and input.
 */
import { nearestNames } from "../catalog/nearest.js";
import { positionedError, WeftError } from "../errors.js";
import { checkOutputFile } from "../files/write.js";
import { formatTable } from "../report/table.js";
import { formatOf, openStore, type PointRow, type Store } from "../store/store.js";
import {
  ExpressionError,
  evaluate,
  namesOf,
  parseExpression,
  truthy,
  type Value,
} from "../sweep/expression.js";
import { formatMetric } from "../sweep/format.js";
import { metricName } from "../sweep/spec.js";
import { checkNotAnInput } from "./outputs.js";

export interface ResultsFlags {
  store: string;
  sweep?: string;
  where?: string;
  sort?: string;
  desc?: boolean;
  columns?: string;
  limit?: string;
  export?: string;
  json?: boolean;
}

const HEADLINES = [
  "stepTimeS",
  "mfu",
  "exposedCommByKind.dp",
  "costPerStepUsd",
  "busbwGBps",
  "ttftS.p99",
  "tpotS.p99",
  "goodputPerDollar",
  "fctUs.p99",
  "plan.costUsd",
];

export async function resultsCommand(sql: string | undefined, flags: ResultsFlags): Promise<void> {
  if (flags.export && !/\.(csv|parquet|json)$/i.test(flags.export))
    throw new WeftError(
      `--export ${flags.export}: expected a file ending in .csv, .parquet or .json (its format)`,
    );
  if (flags.export) {
    checkOutputFile(flags.export, "--export");
    checkNotAnInput("--export", flags.export, [{ file: flags.store, what: "the results store" }]);
  }
  const store = await openStore(flags.store, { readOnly: true });
  try {
    if (sql) await sqlResults(store, sql, flags);
    else await pointResults(store, flags);
  } finally {
    store.close();
  }
}

async function sqlResults(store: Store, sql: string, flags: ResultsFlags): Promise<void> {
  let rows: Record<string, unknown>[];
  try {
    if (flags.export) {
      const n = await store.exportQuery(sql, flags.export, formatOf(flags.export));
      process.stdout.write(`${n} rows written to ${flags.export}\n`);
      return;
    }
    rows = await store.query(sql);
  } catch (e) {
    if (e instanceof WeftError) throw e;
    throw new WeftError(`the query failed: ${(e as Error).message.split("\n")[0]}`);
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const cols = rows.length ? Object.keys(rows[0]) : [];
  const cell = (v: unknown) =>
    v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  process.stdout.write(
    `${formatTable(
      cols,
      rows.map((r) => cols.map((c) => cell(r[c]))),
    )}\n(${rows.length} rows)\n`,
  );
}

async function pointResults(store: Store, flags: ResultsFlags): Promise<void> {
  let rows: PointRow[];
  if (flags.sweep) {
    const sweeps = await store.listSweeps();
    const match = sweeps.filter((s) => s.id.startsWith(flags.sweep as string) || s.name === flags.sweep);
    if (match.length !== 1)
      throw new WeftError(
        `${match.length ? "several" : "no"} sweeps match "${flags.sweep}"; expected one of: ${sweeps.map((s) => `${s.id} (${s.name})`).join(", ") || "(none stored)"}`,
      );
    rows = await store.sweepPoints(match[0].id);
  } else {
    const all = await store.query("SELECT hash FROM points");
    rows = (await Promise.all(all.map((r) => store.getPoint(String(r.hash))))).filter((r) => r !== undefined);
  }
  if (flags.where) {
    checkWhereNames(flags.where, rows);
    rows = rows.filter(filterOf(flags.where));
  }
  if (flags.sort) {
    const m = metricName(flags.sort);
    const sign = flags.desc ? -1 : 1;
    rows.sort(
      (a, b) =>
        sign * ((a.metrics[m] ?? Number.POSITIVE_INFINITY) - (b.metrics[m] ?? Number.POSITIVE_INFINITY)),
    );
  }
  if (flags.limit) rows = rows.slice(0, Number(flags.limit));
  const inputs = [...new Set(rows.flatMap((r) => Object.keys(r.inputs)))];
  const metrics = flags.columns
    ? flags.columns.split(",").map((c) => metricName(c))
    : HEADLINES.filter((m) => rows.some((r) => r.metrics[m] !== undefined));
  if (flags.export) {
    const n = await exportPoints(
      store,
      rows,
      inputs,
      flags.columns ? metrics : allMetrics(rows),
      flags.export,
    );
    process.stdout.write(`${n} points written to ${flags.export}\n`);
    return;
  }
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify(
        rows.map(({ results: _r, ...row }) => row),
        null,
        2,
      )}\n`,
    );
    return;
  }
  const header = ["hash", ...(inputs.length ? inputs.map(short) : ["name"]), "status", ...metrics];
  const table = rows.map((r) => [
    r.hash.slice(0, 10),
    ...(inputs.length ? inputs.map((i) => String(r.inputs[i] ?? "")) : [r.name]),
    r.status === "ok" ? "ok" : `error: ${r.reason}`,
    ...metrics.map((m) => formatMetric(m, r.metrics[m])),
  ]);
  process.stdout.write(`${formatTable(header, table)}\n(${rows.length} points)\n`);
}

function short(p: string): string {
  return (
    p
      .split(/[.[\]]/)
      .filter(Boolean)
      .pop() ?? p
  );
}

function allMetrics(rows: PointRow[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))].sort();
}

const POINT_FIELDS = ["status", "name", "kind", "fidelity"];

/** A name `--where` uses that no point has (a typo would otherwise match nothing, silently). */
function checkWhereNames(text: string, rows: PointRow[]): void {
  if (rows.length === 0) return;
  let names: string[];
  try {
    names = namesOf(parseExpression(text));
  } catch {
    return; // filterOf reports the syntax error with its column
  }
  const known = new Set([...POINT_FIELDS]);
  for (const r of rows) {
    for (const k of Object.keys(r.metrics)) known.add(k);
    for (const k of Object.keys(r.inputs)) known.add(k).add(short(k));
  }
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    const hint = nearestNames(unknown[0], [...known])
      .slice(0, 4)
      .join(", ");
    throw new WeftError(
      `--where: no point has ${unknown.map((n) => `"${n}"`).join(", ")}; expected a metric or an input, such as ${hint}`,
    );
  }
}

/** A predicate from `--where`: names are metrics (`stepTimeS`, `plan.costUsd`), then inputs (`tp` or a full path). */
function filterOf(text: string): (r: PointRow) => boolean {
  let expr: ReturnType<typeof parseExpression>;
  try {
    expr = parseExpression(text);
  } catch (e) {
    if (e instanceof ExpressionError) throw positionedError({ file: "--where", col: e.column }, e.message);
    throw e;
  }
  return (r) =>
    truthy(
      evaluate(expr, (name): Value => {
        if (r.metrics[name] !== undefined) return r.metrics[name];
        if (r.inputs[name] !== undefined) return r.inputs[name] as Value;
        const byShort = Object.keys(r.inputs).filter((k) => short(k) === name);
        if (byShort.length === 1) return r.inputs[byShort[0]] as Value;
        if (name === "status" || name === "name" || name === "kind" || name === "fidelity") return r[name];
        return Number.NaN;
      }),
    );
}

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function ident(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

/** One row per point, one column per input and metric (as numbers), through DuckDB's writers. */
async function exportPoints(
  store: Store,
  rows: PointRow[],
  inputs: string[],
  metrics: string[],
  file: string,
): Promise<number> {
  const hashes = rows.map((r) => sqlString(r.hash)).join(",") || "NULL";
  const cols = [
    "hash",
    "name",
    "kind",
    "fidelity",
    "status",
    "reason",
    ...inputs.map((i) => `json_extract(inputs, ${sqlString(`$."${i}"`)}) AS ${ident(i)}`),
    ...metrics.map(
      (m) => `TRY_CAST(json_extract(metrics, ${sqlString(`$."${m}"`)}) AS DOUBLE) AS ${ident(m)}`,
    ),
    "wall_s",
    "weft_version",
  ];
  return store.exportQuery(
    `SELECT ${cols.join(", ")} FROM points WHERE hash IN (${hashes}) ORDER BY name`,
    file,
  );
}
