/**
 * `weft tune FILE`: the best parallel layouts of a training job on its fabric: every valid layout ranked
 * at analytical fidelity, the top k re-timed at flow fidelity, the top 10 printed with step time, MFU,
 * memory and the main cause of exposed communication, and the layout that would win on a non-blocking
 * fabric with the reason when it differs; or a service's cheapest pools that meet its SLO. Every flag is
 * checked before the file is read and anything runs, so a bad value is a usage error naming the flag,
 * never a failure inside a candidate's generated document.
 */
import { WeftError } from "../errors.js";
import { formatTable } from "../report/table.js";
import type { TrainingWorkload } from "../scenario/types.js";
import { openStore } from "../store/store.js";
import type { Executor } from "../sweep/run-sweep.js";
import { type PointsOptions, writtenScenario } from "../tune/points.js";
import { type ServingTuneResult, type TunedServing, tuneServing } from "../tune/serving.js";
import { didRun, type FailedLayout, type TunedLayout, type TuneResult, tune } from "../tune/tune.js";
import { formatPercent, formatTime } from "../units/index.js";
import { wholeNumber, wholeNumbers } from "./flags.js";
import { makeRateProgress } from "./rate-progress.js";
import { readScenarioText } from "./read-scenario.js";

export interface TuneFlags {
  store?: string;
  workers?: string;
  topK?: string;
  show?: string;
  json?: boolean;
  log?: boolean;
  zero?: string;
  microBatches?: string;
}

type ZeroStage = TrainingWorkload["parallelism"]["zero"];

/** The flags' values, checked before anything runs. */
interface TuneOptions {
  show: number;
  topK: number;
  workers?: number;
  zero?: ZeroStage[];
  microBatches?: number[];
}

function checkFlags(f: TuneFlags): TuneOptions {
  const zero = (text: string) =>
    wholeNumbers(text, "--zero", "ZeRO stages 0 to 3, comma-separated", 0, 3) as ZeroStage[];
  const sizes = (text: string) =>
    wholeNumbers(text, "--micro-batches", "micro-batch sizes ≥ 1, comma-separated");
  return {
    show: wholeNumber(f.show ?? "10", "--show"),
    topK: wholeNumber(f.topK ?? "3", "--top-k", 0),
    ...(f.workers !== undefined ? { workers: wholeNumber(f.workers, "--workers") } : {}),
    ...(f.zero !== undefined ? { zero: zero(f.zero) } : {}),
    ...(f.microBatches !== undefined ? { microBatches: sizes(f.microBatches) } : {}),
  };
}

/** The training search's flags, which an inference workload has no use for. */
const TRAINING_FLAGS: { flag: string; key: keyof TuneFlags }[] = [
  { flag: "--top-k", key: "topK" },
  { flag: "--zero", key: "zero" },
  { flag: "--micro-batches", key: "microBatches" },
];

/**
 * A micro-batch size that does not divide the global batch gives no data-parallel rank whole
 * micro-batches, so no layout could take it: said here rather than as an empty search.
 */
function checkMicroBatches(sizes: number[] | undefined, w: TrainingWorkload): void {
  const bad = (sizes ?? []).filter((mb) => w.globalBatch % mb !== 0);
  if (bad.length > 0)
    throw new WeftError(
      `--micro-batches: expected sizes that divide the global batch of ${w.globalBatch} (each data-parallel rank takes whole micro-batches), got ${bad.join(", ")}`,
    );
}

async function executor(workers: number | undefined): Promise<Executor> {
  if (workers === 1) return (await import("../sweep/inline.js")).inlineExecutor();
  const { poolExecutor, defaultThreads } = await import("../sweep/pool.js");
  return poolExecutor(workers ?? defaultThreads());
}

export async function tuneCommand(file: string, flags: TuneFlags): Promise<void> {
  const o = checkFlags(flags);
  const { name, text } = readScenarioText(file);
  const written = writtenScenario(name, text);
  const w = written.scenario.workload;
  if (w.kind === "inference") {
    for (const f of TRAINING_FLAGS)
      if (flags[f.key] !== undefined)
        throw new WeftError(
          `${f.flag}: applies to training workloads; this scenario's workload is inference`,
        );
    const r = await withPoints(flags, o, "designs", (points) => tuneServing(written, points));
    return print(flags, servingJson(r, o.show), () => formatServingTune(r, o.show));
  }
  checkMicroBatches(o.microBatches, w as TrainingWorkload);
  const r = await withPoints(flags, o, "layouts", (points) =>
    tune(written, {
      ...points,
      topK: o.topK,
      ...(o.zero ? { zero: o.zero } : {}),
      ...(o.microBatches ? { microBatches: o.microBatches } : {}),
    }),
  );
  print(flags, tuneJson(r, o.show), () => formatTune(r, o.show));
}

/** Runs a tuner with the store, the executor and a progress bar the flags ask for; closes them after. */
async function withPoints<T>(
  flags: TuneFlags,
  o: TuneOptions,
  unit: string,
  run: (points: PointsOptions) => Promise<T>,
): Promise<T> {
  const store = await openStore(flags.store ?? ":memory:");
  const progress = makeRateProgress({ enabled: !flags.json, log: flags.log, unit });
  try {
    return await run({ store, executor: await executor(o.workers), onProgress: progress.update });
  } finally {
    progress.stop();
    store.close();
  }
}

function print(flags: TuneFlags, json: unknown, text: () => string): void {
  process.stdout.write(flags.json ? `${JSON.stringify(json, null, 2)}\n` : `${text()}\n`);
}

function servingRow(t: TunedServing) {
  const m = t.metrics;
  return {
    label: t.label,
    design: t.design,
    accelerators: t.accelerators,
    costUsdPerHour: t.costUsdPerHour,
    ttftP99S: m["ttftS.p99"],
    tpotP99S: m["tpotS.p99"],
    kvTransferP99S: m["kvTransferS.p99"],
    goodputFraction: m.goodputFraction,
    costPerMillionOutputTokensUsd: m.costPerMillionOutputTokensUsd,
    meetsSlo: t.meetsSlo,
    miss: t.miss,
  };
}

function servingJson(r: ServingTuneResult, show: number): unknown {
  return {
    kind: r.kind,
    scenario: r.scenario,
    slo: r.slo,
    fidelity: r.fidelity,
    evaluated: r.evaluated,
    failed: r.failed,
    top: r.ranking.slice(0, show).map(servingRow),
    baseline: servingRow(r.baseline),
    winner: r.winner ? servingRow(r.winner) : null,
    nonBlockingWinner: r.nonBlockingWinner ? servingRow(r.nonBlockingWinner) : null,
    oversubscribed: r.oversubscribed,
    explanation: r.explanation,
    wallS: r.wallS,
  };
}

export function formatServingTune(r: ServingTuneResult, show: number): string {
  const time = (s: number | undefined) => (s === undefined ? "-" : formatTime(s));
  const row = (t: TunedServing, rank: string) => [
    rank,
    t.label,
    String(t.accelerators),
    Number.isFinite(t.costUsdPerHour) ? `$${t.costUsdPerHour.toFixed(0)}/h` : "-",
    time(t.metrics["ttftS.p99"]),
    time(t.metrics["tpotS.p99"]),
    time(t.metrics["kvTransferS.p99"]),
    t.metrics.goodputFraction === undefined ? "-" : formatPercent(t.metrics.goodputFraction),
    t.meetsSlo ? "yes" : t.miss,
  ];
  const table = formatTable(
    ["#", "design", "accelerators", "cost", "TTFT p99", "TPOT p99", "KV p99", "goodput", "meets SLO"],
    [...r.ranking.slice(0, show).map((t, i) => row(t, String(i + 1))), row(r.baseline, "as written")],
  );
  return [
    `${r.scenario}: SLO TTFT p99 ≤ ${formatTime(r.slo.ttftS)}, TPOT p99 ≤ ${formatTime(r.slo.tpotS)}; ` +
      `${r.evaluated} designs run at ${r.fidelity} fidelity${r.failed.length ? `, ${r.failed.length} could not run` : ""} (${formatTime(r.wallS)})`,
    "",
    table,
    "",
    r.explanation,
  ].join("\n");
}

function mainCause(t: TunedLayout): string {
  const c = t.causes[0];
  return c && c.exposedS > 0 ? `${c.kind} ${c.collective} (${c.tier}) ${formatTime(c.exposedS)}` : "-";
}

export function formatTune(r: TuneResult, show: number): string {
  const dropped = Object.entries(r.dropped).map(([why, n]) => `${n} ${why}`);
  const row = (t: TunedLayout, rank: string) => [
    rank,
    t.label,
    formatTime(t.metrics.stepTimeS),
    t.flow ? formatTime(t.flow.stepTimeS) : "",
    formatPercent((t.flow ?? t.metrics).mfu),
    `${((t.layout.memoryBytes || t.metrics["memoryPerRankBytes.total"] || 0) / 1e9).toFixed(1)} GB`,
    mainCause(t),
  ];
  const b = r.baseline;
  const failedRow = (f: FailedLayout) => ["as written", f.label, "does not run", "", "-", "-", "-"];
  const table = formatTable(
    ["#", "layout", "step (analytical)", "step (flow)", "MFU", "memory", "main exposed communication"],
    [
      ...r.ranking.slice(0, show).map((t, i) => row(t, String(i + 1))),
      didRun(b) ? row(b, "as written") : failedRow(b),
    ],
  );
  const best = r.ranking[0];
  const against = didRun(b)
    ? `${(b.stepTimeS / best.stepTimeS).toFixed(2)}x the layout as written (${formatTime(b.stepTimeS)}).`
    : `the layout as written does not run: ${b.reason}.`;
  return [
    `${r.scenario}: ${r.candidates} layouts fit in memory${dropped.length ? ` (${dropped.join(", ")})` : ""}, ` +
      `${r.ranking.length} ran${r.failed.length ? `, ${r.failed.length} failed` : ""} (${formatTime(r.wallS)})`,
    "",
    table,
    "",
    `Best: ${best.label}, ${formatTime(best.stepTimeS)} per step, ${against}`,
    r.explanation,
  ].join("\n");
}

function tuneJson(r: TuneResult, show: number): unknown {
  const t = (x: TunedLayout) => ({
    label: x.label,
    layout: x.layout,
    runs: true,
    stepTimeS: x.stepTimeS,
    analyticalStepTimeS: x.metrics.stepTimeS,
    flowStepTimeS: x.flow?.stepTimeS,
    nonBlockingStepTimeS: x.metrics["whatIf.nonBlockingStepTimeS"],
    mfu: (x.flow ?? x.metrics).mfu,
    memoryBytes: x.layout.memoryBytes || x.metrics["memoryPerRankBytes.total"],
    causes: x.causes,
  });
  const b = r.baseline;
  return {
    scenario: r.scenario,
    candidates: r.candidates,
    dropped: r.dropped,
    failed: r.failed,
    top: r.ranking.slice(0, show).map(t),
    baseline: didRun(b) ? t(b) : { label: b.label, layout: b.layout, runs: false, reason: b.reason },
    analyticalWinner: t(r.analyticalWinner),
    nonBlockingWinner: t(r.nonBlockingWinner),
    oversubscribed: r.oversubscribed,
    explanation: r.explanation,
    wallS: r.wallS,
  };
}
