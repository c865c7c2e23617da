/**
 * `weft sweep SWEEP.yaml`: every point of a design space run (or found in the store), ranked by the
 * sweep's objectives: the best point per objective, the Pareto frontier as a table, a terminal scatter and
 * a self-contained HTML chart; `--json` for machines.
 */

import path from "node:path";
import { checkOutputFile, writeFileAtomic } from "../files/write.js";
import { formatTable } from "../report/table.js";
import type { PointRow } from "../store/store.js";
import { openStore } from "../store/store.js";
import { type ChartSpec, paretoHtml, terminalScatter } from "../sweep/chart.js";
import { formatMetric } from "../sweep/format.js";
import type { Executor, SweepSummary } from "../sweep/run-sweep.js";
import { runSweep } from "../sweep/run-sweep.js";
import { loadSweep, type Objective, type SweepSpec } from "../sweep/spec.js";
import { formatTime } from "../units/index.js";
import { wholeNumber } from "./flags.js";
import { checkNotAnInput, type InputFile } from "./outputs.js";
import { makeRateProgress } from "./rate-progress.js";

export interface SweepFlags {
  store?: string;
  workers?: string;
  redis?: string;
  chart?: string;
  json?: boolean;
  log?: boolean;
  fidelity?: "analytical" | "flow" | "packet";
  top?: string;
}

/** The store a sweep uses: --store, the sweep file's `store:`, or weft.duckdb beside the sweep file. */
export function sweepStoreFile(spec: SweepSpec, flag?: string): string {
  if (flag) return flag;
  if (spec.store) return spec.store;
  return path.join(spec.file ? path.dirname(spec.file) : process.cwd(), "weft.duckdb");
}

async function executorFor(flags: SweepFlags, spec: SweepSpec): Promise<Executor> {
  if (flags.redis) return (await import("../sweep/queue.js")).queueExecutor(flags.redis, { spec });
  const workers = flags.workers === undefined ? undefined : wholeNumber(flags.workers, "--workers");
  if (workers === 1) return (await import("../sweep/inline.js")).inlineExecutor();
  const { poolExecutor, defaultThreads } = await import("../sweep/pool.js");
  return poolExecutor(workers ?? defaultThreads());
}

export async function sweepCommand(file: string, flags: SweepFlags): Promise<void> {
  // Flags first: a bad one is refused before the sweep file is read or a point runs.
  if (flags.workers !== undefined) wholeNumber(flags.workers, "--workers");
  const top = flags.top === undefined ? 20 : wholeNumber(flags.top, "--top");
  const spec = loadSweep(file);
  if (flags.fidelity) spec.fidelity = flags.fidelity;
  const storeFile = sweepStoreFile(spec, flags.store);
  const chartFile = flags.chart ?? defaultChartFile(spec, file);
  checkSweepOutputs(file, spec, flags, { store: storeFile, chart: chartFile });
  const store = await openStore(storeFile);
  const progress = makeRateProgress({ enabled: !flags.json, log: flags.log });
  let summary: SweepSummary;
  try {
    summary = await runSweep(spec, {
      store,
      executor: await executorFor(flags, spec),
      onProgress: (p) => progress.update(p.done, p.total, p.last?.name),
    });
  } finally {
    progress.stop();
  }
  const chart = chartSpec(spec, summary);
  if (chart)
    writeFileAtomic(chartFile, paretoHtml(chart, frontierTable(spec.objectives, summary.ranked.frontier)));
  store.close();
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify(sweepJson(spec, summary, chart ? chartFile : undefined), null, 2)}\n`,
    );
    return;
  }
  process.stdout.write(`${formatSweep(spec, summary, top)}\n`);
  if (chart) process.stdout.write(`\nchart: ${chartFile}\n`);
}

/**
 * Before any point runs: the chart must be writable, and neither it nor the store may be the sweep file or
 * its base scenario (nor the chart the store), so a typo never overwrites an input with results.
 */
function checkSweepOutputs(
  file: string,
  spec: SweepSpec,
  flags: SweepFlags,
  out: { store: string; chart: string },
): void {
  const inputs: InputFile[] = [{ file, what: "the sweep file" }];
  if (spec.baseFile) inputs.push({ file: spec.baseFile, what: "the sweep's base scenario" });
  const chartFlag = flags.chart !== undefined ? "--chart" : "the chart";
  checkOutputFile(out.chart, chartFlag);
  checkNotAnInput(chartFlag, out.chart, [...inputs, { file: out.store, what: "the results store" }]);
  // ":memory:" is DuckDB's store that lives and dies with the process: no file.
  if (out.store !== ":memory:")
    checkNotAnInput(flags.store !== undefined ? "--store" : "the store", out.store, inputs);
}

function defaultChartFile(spec: SweepSpec, file: string): string {
  const dir = spec.file ? path.dirname(spec.file) : process.cwd();
  return path.join(dir, `${path.basename(file).replace(/\.(ya?ml|json)$/i, "")}.pareto.html`);
}

function label(row: PointRow, spec: SweepSpec): string {
  return spec.axes.map((a) => `${shortName(a.path)}=${String(row.inputs[a.path])}`).join(" ");
}

function shortName(p: string): string {
  return (
    p
      .split(/[.[\]]/)
      .filter(Boolean)
      .pop() ?? p
  );
}

/** The first two objectives as the chart's axes (one objective: against the first axis, if numeric). */
function chartSpec(spec: SweepSpec, s: SweepSummary): ChartSpec | undefined {
  const ok = s.rows.filter((r) => r.status === "ok");
  if (ok.length === 0 || spec.objectives.length === 0) return undefined;
  const frontier = new Set(s.ranked.frontier.map((r) => r.hash));
  const [xo, yo] = spec.objectives;
  const x = (r: PointRow) => (yo ? r.metrics[xo.metric] : Number(r.inputs[spec.axes[0].path]));
  const y = (r: PointRow) => (yo ? r.metrics[yo.metric] : r.metrics[xo.metric]);
  const points = ok
    .filter((r) => Number.isFinite(x(r)) && Number.isFinite(y(r)))
    .map((r) => ({ x: x(r), y: y(r), label: label(r, spec), frontier: frontier.has(r.hash) }));
  if (points.length === 0) return undefined;
  return {
    title: `${spec.name}: ${spec.objectives.map((o) => `${o.sense} ${o.metric}`).join(", ")}`,
    xMetric: yo ? xo.metric : spec.axes[0].path,
    yMetric: yo ? yo.metric : xo.metric,
    points,
  };
}

/** The metrics shown beside the objectives, when the rows have them. */
const CONTEXT_METRICS = [
  "stepTimeS",
  "mfu",
  "costPerStepUsd",
  "plan.costUsd",
  "busbwGBps",
  "ttftS.p99",
  "goodputPerDollar",
];

function frontierTable(objectives: Objective[], rows: PointRow[]): { header: string[]; rows: string[][] } {
  const metrics = [...new Set([...objectives.map((o) => o.metric), ...CONTEXT_METRICS])].filter((m) =>
    rows.some((r) => r.metrics[m] !== undefined),
  );
  return {
    header: ["point", ...metrics],
    rows: rows.map((r) => [r.name, ...metrics.map((m) => formatMetric(m, r.metrics[m]))]),
  };
}

function counts(title: string, c: Record<string, number>): string[] {
  return Object.entries(c)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `  ${title} ${n}: ${reason}`);
}

export function formatSweep(spec: SweepSpec, s: SweepSummary, top: number): string {
  const nSkipped = Object.values(s.skipped).reduce((a, b) => a + b, 0);
  const nInvalid = Object.values(s.invalid).reduce((a, b) => a + b, 0);
  const rate = s.ran / Math.max(s.wallS, 1e-9);
  const out: string[] = [
    `${s.name}: ${s.sampled} points sampled, ${s.points} valid: ${s.ran} run, ${s.reused} from the store; ` +
      `${nSkipped} skipped, ${nInvalid} invalid, ${s.errors} failed (${formatTime(s.wallS)}, ${rate.toFixed(1)} points/s)`,
    ...counts("skipped", s.skipped),
    ...Object.entries(s.invalid)
      .sort((a, b) => b[1] - a[1])
      .map(([reason, n]) => `  invalid ${n}: ${reason} (first at ${s.invalidExample[reason]})`),
  ];
  for (const r of s.rows.filter((r) => r.status === "error").slice(0, 5))
    out.push(`  failed: ${r.name}: ${r.reason}`);
  if (spec.objectives.length === 0) {
    out.push("", "(no objectives: add `objectives: { minimize: [...] }` to rank the points)");
    return out.join("\n");
  }
  out.push("", "Best per objective");
  out.push(
    formatTable(
      ["objective", "value", "point"],
      s.ranked.best.map((b) => [
        `${b.objective.sense} ${b.objective.metric}`,
        b.point ? formatMetric(b.objective.metric, b.point.metrics[b.objective.metric]) : "-",
        b.point ? label(b.point, spec) : "(no point has this metric: the frontier leaves it out)",
      ]),
    ),
  );
  const table = frontierTable(spec.objectives, s.ranked.frontier.slice(0, top));
  out.push(
    "",
    `Pareto frontier (${s.ranked.frontier.length} points${s.ranked.frontier.length > top ? `, first ${top}` : ""})`,
  );
  out.push(
    formatTable(
      table.header.map((h, i) => (i === 0 ? "point" : h)),
      s.ranked.frontier.slice(0, top).map((r, i) => [label(r, spec), ...table.rows[i].slice(1)]),
    ),
  );
  const chart = chartSpec(spec, s);
  if (chart) out.push("", terminalScatter(chart));
  return out.join("\n");
}

function sweepJson(spec: SweepSpec, s: SweepSummary, chartFile: string | undefined): unknown {
  const row = (r: PointRow) => ({ hash: r.hash, name: r.name, inputs: r.inputs, metrics: r.metrics });
  return {
    sweep: s.id,
    name: s.name,
    sampled: s.sampled,
    points: s.points,
    ran: s.ran,
    reused: s.reused,
    skipped: s.skipped,
    invalid: s.invalid,
    invalidExample: s.invalidExample,
    errors: s.errors,
    wallS: s.wallS,
    objectives: spec.objectives,
    best: s.ranked.best.map((b) => ({ ...b.objective, point: b.point ? row(b.point) : null })),
    frontier: s.ranked.frontier.map(row),
    ...(chartFile ? { chart: chartFile } : {}),
  };
}
