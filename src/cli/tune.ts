/**
 * `weft tune FILE`: the best parallel layouts of a training job on its fabric: every valid layout ranked
 * at analytical fidelity, the top k re-timed at flow fidelity, the top 10 printed with step time, MFU,
 * memory and the main cause of exposed communication, and the layout that would win on a non-blocking
 * fabric with the reason when it differs.
 */
import { formatTable } from "../report/table.js";
import { openStore } from "../store/store.js";
import type { Executor } from "../sweep/run-sweep.js";
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
  const store = await openStore(flags.store ?? ":memory:");
  const progress = makeRateProgress({ enabled: !flags.json, log: flags.log, unit: "layouts" });
  let result: TuneResult;
  try {
    result = await tune(file, {
      store,
      executor: await executor(flags.workers ? Number(flags.workers) : undefined),
      topK: flags.topK === undefined ? 3 : Number(flags.topK),
      ...(flags.zero ? { zero: numbers(flags.zero) as (0 | 1 | 2 | 3)[] } : {}),
      ...(flags.microBatches ? { microBatches: numbers(flags.microBatches) } : {}),
      onProgress: progress.update,
    });
  } finally {
    progress.stop();
    store.close();
  }
  const show = Number(flags.show ?? 10);
  process.stdout.write(
    flags.json ? `${JSON.stringify(tuneJson(result, show), null, 2)}\n` : `${formatTune(result, show)}\n`,
  );
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
