/**
 * `weft tune FILE`: the best parallel layouts of a training job on its fabric: every valid layout ranked
 * at analytical fidelity, the top k re-timed at flow fidelity, the top 10 printed with step time, MFU,
 * memory and the main cause of exposed communication, and the layout that would win on a non-blocking
 * fabric with the reason when it differs.
 */
import { readFileSync } from "node:fs";
import { formatTable } from "../report/table.js";
import { parseScenario } from "../scenario/load.js";
import { openStore } from "../store/store.js";
import type { Executor } from "../sweep/run-sweep.js";
import type { PointsOptions } from "../tune/points.js";
import { type ServingTuneResult, type TunedServing, tuneServing } from "../tune/serving.js";
import { type TunedLayout, type TuneResult, tune } from "../tune/tune.js";
import { formatPercent, formatTime } from "../units/index.js";
import { makeRateProgress } from "./rate-progress.js";

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

function numbers(list: string | undefined): number[] | undefined {
  return list === undefined ? undefined : list.split(",").map((x) => Number(x.trim()));
}

async function executor(workers: number | undefined): Promise<Executor> {
  if (workers === 1) return (await import("../sweep/inline.js")).inlineExecutor();
  const { poolExecutor, defaultThreads } = await import("../sweep/pool.js");
  return poolExecutor(workers ?? defaultThreads());
}

export async function tuneCommand(file: string, flags: TuneFlags): Promise<void> {
  const show = Number(flags.show ?? 10);
  if (workloadKind(file) === "inference") {
    const r = await withPoints(flags, "designs", (points) => tuneServing(file, points));
    return print(flags, servingJson(r, show), () => formatServingTune(r, show));
  }
  const r = await withPoints(flags, "layouts", (points) =>
    tune(file, {
      ...points,
      topK: flags.topK === undefined ? 3 : Number(flags.topK),
      ...(flags.zero ? { zero: numbers(flags.zero) as (0 | 1 | 2 | 3)[] } : {}),
      ...(flags.microBatches ? { microBatches: numbers(flags.microBatches) } : {}),
    }),
  );
  print(flags, tuneJson(r, show), () => formatTune(r, show));
}

/** Runs a tuner with the store, the executor and a progress bar the flags ask for; closes them after. */
async function withPoints<T>(
  flags: TuneFlags,
  unit: string,
  run: (points: PointsOptions) => Promise<T>,
): Promise<T> {
  const store = await openStore(flags.store ?? ":memory:");
  const progress = makeRateProgress({ enabled: !flags.json, log: flags.log, unit });
  try {
    return await run({
      store,
      executor: await executor(flags.workers ? Number(flags.workers) : undefined),
      onProgress: progress.update,
    });
  } finally {
    progress.stop();
    store.close();
  }
}

function print(flags: TuneFlags, json: unknown, text: () => string): void {
  process.stdout.write(flags.json ? `${JSON.stringify(json, null, 2)}\n` : `${text()}\n`);
}

/** The scenario's workload kind, read once to pick the tuner (errors point at the file as a run's do). */
function workloadKind(file: string): string {
  return parseScenario(readFileSync(file, "utf8"), file).workload.kind;
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
  const table = formatTable(
    ["#", "layout", "step (analytical)", "step (flow)", "MFU", "memory", "main exposed communication"],
    [...r.ranking.slice(0, show).map((t, i) => row(t, String(i + 1))), row(r.baseline, "as written")],
  );
  const best = r.ranking[0];
  const speedup = r.baseline.stepTimeS / best.stepTimeS;
  return [
    `${r.scenario}: ${r.candidates} layouts fit in memory${dropped.length ? ` (${dropped.join(", ")})` : ""}, ` +
      `${r.ranking.length} ran${r.failed.length ? `, ${r.failed.length} failed` : ""} (${formatTime(r.wallS)})`,
    "",
    table,
    "",
    `Best: ${best.label}, ${formatTime(best.stepTimeS)} per step, ${speedup.toFixed(2)}x the layout as written (${formatTime(r.baseline.stepTimeS)}).`,
    r.explanation,
  ].join("\n");
}

function tuneJson(r: TuneResult, show: number): unknown {
  const t = (x: TunedLayout) => ({
    label: x.label,
    layout: x.layout,
    stepTimeS: x.stepTimeS,
    analyticalStepTimeS: x.metrics.stepTimeS,
    flowStepTimeS: x.flow?.stepTimeS,
    nonBlockingStepTimeS: x.metrics["whatIf.nonBlockingStepTimeS"],
    mfu: (x.flow ?? x.metrics).mfu,
    memoryBytes: x.layout.memoryBytes || x.metrics["memoryPerRankBytes.total"],
    causes: x.causes,
  });
  return {
    scenario: r.scenario,
    candidates: r.candidates,
    dropped: r.dropped,
    failed: r.failed,
    top: r.ranking.slice(0, show).map(t),
    baseline: t(r.baseline),
    analyticalWinner: t(r.analyticalWinner),
    nonBlockingWinner: t(r.nonBlockingWinner),
    oversubscribed: r.oversubscribed,
    explanation: r.explanation,
    wallS: r.wallS,
  };
}
