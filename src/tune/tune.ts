/**
 * The parallelism tuner: every valid layout of a training job (space.ts) timed at analytical fidelity on
 * the scenario's own fabric, the best k re-timed at flow fidelity, ranked by step time. Each point is a
 * results-store row like a sweep's, so a second tune of the same job reuses them. The same runs carry
 * each layout's step on a non-blocking fabric (`whatIf`), so the tuner also says which layout would win
 * there and, when that is another one, why this fabric changes the answer.
 */
import { positionedError } from "../errors.js";
import { parseScenario } from "../scenario/load.js";
import type { Scenario, TrainingWorkload } from "../scenario/types.js";
import { scenarioHash } from "../store/hash.js";
import type { Metrics } from "../store/metrics.js";
import type { PointRow } from "../store/store.js";
import { evaluate, type PointJob, type PointsOptions, type Written } from "./points.js";
import { type Layout, layoutLabel, layoutSpace, type Space, type SpaceOptions } from "./space.js";

export interface TuneOptions extends SpaceOptions, PointsOptions {
  /** Layouts re-timed at flow fidelity (0: analytical only). */
  topK?: number;
}

type Cause = { kind: string; collective: string; tier: string; exposedS: number };

export interface TunedLayout {
  label: string;
  layout: Layout;
  hash: string;
  /** Analytical figures on this fabric. */
  metrics: Metrics;
  /** Exposed communication by cause, largest first (analytical). */
  causes: Cause[];
  /** Flow-fidelity figures, for the top k. */
  flow?: Metrics;
  /** The step time it is ranked by: flow where re-timed, else analytical. */
  stepTimeS: number;
}

/** The layout as written when it does not run (it does not fit in memory, say): what it is and why. */
export interface FailedLayout {
  label: string;
  layout: Layout;
  reason: string;
}

export interface TuneResult {
  scenario: string;
  accelerators: number;
  candidates: number;
  dropped: Record<string, number>;
  failed: { label: string; reason: string }[];
  /** Every evaluated layout, best first (the flow-timed top k ahead of the rest). */
  ranking: TunedLayout[];
  /** The scenario's own layout, as written, timed the same way; with the reason when it does not run. */
  baseline: TunedLayout | FailedLayout;
  /** The best layout on this fabric at analytical fidelity (what the non-blocking winner is compared with). */
  analyticalWinner: TunedLayout;
  /** The best layout on a non-blocking fabric (by the same runs' what-if). */
  nonBlockingWinner: TunedLayout;
  /** One or two sentences: why this fabric's winner is (or is not) the non-blocking one. */
  explanation: string;
  oversubscribed: boolean;
  wallS: number;
}

function layoutDocument(
  base: Record<string, unknown>,
  l: Layout | undefined,
  fidelity: string,
): Record<string, unknown> {
  const doc = structuredClone(base);
  const workload = doc.workload as { training: Record<string, unknown> };
  if (l) {
    workload.training.parallelism = {
      tp: l.tp,
      pp: l.pp,
      dp: l.dp,
      cp: l.cp,
      ep: l.ep,
      vpp: l.vpp,
      zero: l.zero,
      sequenceParallel: l.sequenceParallel,
    };
    workload.training.microBatch = l.microBatch;
    workload.training.recompute = l.recompute;
  }
  doc.simulation = { ...((doc.simulation as object) ?? {}), fidelity };
  return doc;
}

function layoutOf(s: Scenario, memoryBytes: number): Layout {
  const w = s.workload as TrainingWorkload;
  return { ...w.parallelism, microBatch: w.microBatch, recompute: w.recompute, memoryBytes };
}

interface Job extends PointJob {
  layout: Layout;
}

function job(file: string, base: Record<string, unknown>, layout: Layout | undefined, fidelity: string): Job {
  const doc = layoutDocument(base, layout, fidelity);
  const scenario = parseScenario(JSON.stringify(doc), file);
  const l = layout ?? layoutOf(scenario, 0);
  return { label: layoutLabel(l), layout: l, task: { hash: scenarioHash(scenario), doc, file, scenario } };
}

function causesOf(row: PointRow): Cause[] {
  const r = row.results as { causes?: Cause[] } | undefined;
  return r?.causes ?? [];
}

export async function tune(written: Written, o: TuneOptions): Promise<TuneResult> {
  const started = performance.now();
  const { file, scenario, doc: base } = written;
  if (scenario.workload.kind !== "training")
    throw positionedError({ file }, `tune needs a training workload, got ${scenario.workload.kind}`);
  const space = layoutSpace(scenario, o);
  if (space.layouts.length === 0) throw positionedError({ file }, noLayout(scenario, space, o));
  const topK = o.topK ?? 3;
  const jobs = space.layouts.map((l) => job(file, base, l, "analytical"));
  const baselineJob = job(file, base, undefined, "analytical");
  const progress = { done: 0, total: jobs.length + 1 + topK * 1 + 1 };
  const rows = await evaluate([...jobs, baselineJob], o, progress, "layout");

  const failed: { label: string; reason: string }[] = [];
  const tuned: TunedLayout[] = [];
  for (const j of jobs) {
    const row = rows.get(j.task.hash);
    if (row?.status !== "ok") failed.push({ label: j.label, reason: row?.reason ?? "not run" });
    else tuned.push(tunedOf(j, row));
  }
  if (tuned.length === 0)
    throw positionedError(
      { file },
      `no layout of this job could run; the first failure: ${failed[0]?.reason ?? "not run"}`,
    );
  tuned.sort((a, b) => a.stepTimeS - b.stepTimeS);
  const analyticalWinner = tuned[0];
  // The layout as written is what tuning is for when it does not run (it does not fit, say): it is
  // reported with its reason, and the feasible layouts are ranked all the same.
  const baseRow = rows.get(baselineJob.task.hash);
  const baseline: TunedLayout | FailedLayout =
    baseRow?.status === "ok"
      ? tunedOf(baselineJob, baseRow)
      : { label: baselineJob.label, layout: baselineJob.layout, reason: baseRow?.reason ?? "not run" };

  if (topK > 0) await retime(written, tuned, baseline, topK, o, progress);

  const ideal = (t: TunedLayout) => t.metrics["whatIf.nonBlockingStepTimeS"] ?? t.metrics.stepTimeS;
  const nonBlockingWinner = tuned.reduce((best, t) => (ideal(t) < ideal(best) ? t : best), tuned[0]);
  const so = scenario.cluster.scaleOut.oversubscription;
  const oversubscribed = so.leaf > 1 || so.spine > 1;
  const l = space.layouts[0];
  return {
    scenario: scenario.name,
    accelerators: l.tp * l.pp * l.dp * l.cp,
    candidates: space.layouts.length,
    dropped: space.dropped,
    failed,
    ranking: tuned,
    baseline,
    nonBlockingWinner,
    analyticalWinner,
    explanation: explain(analyticalWinner, nonBlockingWinner, oversubscribed, so),
    oversubscribed,
    wallS: (performance.now() - started) / 1000,
  };
}

/** Whether the layout as written ran (a failed one carries the reason instead of figures). */
export function didRun(t: TunedLayout | FailedLayout): t is TunedLayout {
  return !("reason" in t);
}

function tunedOf(j: Job, row: PointRow): TunedLayout {
  return {
    label: j.label,
    // The layout as written comes without the space's memory figure: the run's is the same formula.
    layout: j.layout.memoryBytes
      ? j.layout
      : { ...j.layout, memoryBytes: row.metrics["memoryPerRankBytes.total"] ?? 0 },
    hash: j.task.hash,
    metrics: row.metrics,
    causes: causesOf(row),
    stepTimeS: row.metrics.stepTimeS,
  };
}

/** Re-times the best k (and the baseline, to compare like with like) at flow fidelity; re-sorts them. */
async function retime(
  written: Written,
  tuned: TunedLayout[],
  baseline: TunedLayout | FailedLayout,
  topK: number,
  o: TuneOptions,
  progress: { done: number; total: number },
): Promise<void> {
  const { file, doc: base } = written;
  const top = tuned.slice(0, topK);
  const flowJobs = top.map((t) => job(file, base, t.layout, "flow"));
  if (didRun(baseline)) flowJobs.push(job(file, base, undefined, "flow"));
  const flowRows = await evaluate(flowJobs, o, progress, "layout");
  const retimed = [...top, ...(didRun(baseline) ? [baseline] : [])];
  retimed.forEach((t, i) => {
    const r = flowRows.get(flowJobs[i].task.hash);
    if (r?.status === "ok") {
      t.flow = r.metrics;
      t.stepTimeS = r.metrics.stepTimeS;
    }
  });
  const flowTimed = top.filter((t) => t.flow).sort((a, b) => a.stepTimeS - b.stepTimeS);
  tuned.splice(0, topK, ...flowTimed, ...top.filter((t) => !t.flow));
}

/** Why the space is empty: nothing fits in HBM, or the global batch splits into none of the micro-batches. */
function noLayout(scenario: Scenario, space: Space, o: SpaceOptions): string {
  const w = scenario.workload as TrainingWorkload;
  const hbm = Object.values(space.dropped).reduce((a, b) => a + b, 0);
  if (hbm > 0)
    return (
      `no layout of ${w.model.name} fits in memory: all ${hbm} layouts tried need more HBM than the accelerator has, ` +
      `even with full recomputation${o.zero ? ` (ZeRO ${o.zero.join(", ")})` : ""}; allow ZeRO 3 (--zero 3) or give the job more accelerators`
    );
  return (
    `no layout of ${w.model.name} gives each data-parallel rank whole micro-batches of ` +
    `${(o.microBatches ?? [1, 2, 4, w.microBatch]).join(", ")} from the global batch of ${w.globalBatch}; ` +
    "choose micro-batch sizes that divide the global batch per data-parallel rank (--micro-batches)"
  );
}

function seconds(s: number): string {
  return s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(1)} ms`;
}

/**
 * Why the winner here is not the non-blocking winner: the cause (kind, collective, tier) whose exposed
 * time grows most from the winner to the non-blocking winner on this fabric.
 */
export function explain(
  winner: TunedLayout,
  ideal: TunedLayout,
  oversubscribed: boolean,
  so: { leaf: number; spine: number },
): string {
  const fabric = oversubscribed ? `this ${Math.max(so.leaf, so.spine)}:1 fabric` : "this fabric";
  const here = (t: TunedLayout) => t.metrics.stepTimeS;
  const nb = (t: TunedLayout) => t.metrics["whatIf.nonBlockingStepTimeS"] ?? t.metrics.stepTimeS;
  if (winner.hash === ideal.hash) {
    const penalty = here(winner) - nb(winner);
    return penalty > 1e-9
      ? `The same layout wins on a non-blocking fabric; ${fabric} costs it ${seconds(penalty)} per step.`
      : `The same layout wins on a non-blocking fabric; ${fabric} does not slow it down.`;
  }
  const key = (c: Cause) => `${c.kind} ${c.collective} on the ${c.tier} tier`;
  const of = (t: TunedLayout) => new Map(t.causes.map((c) => [key(c), c.exposedS]));
  const a = of(ideal);
  const b = of(winner);
  let worst = "";
  let grow = Number.NEGATIVE_INFINITY;
  for (const [k, s] of a) {
    const d = s - (b.get(k) ?? 0);
    if (d > grow) {
      grow = d;
      worst = k;
    }
  }
  return (
    `On a non-blocking fabric ${ideal.label} would win (${seconds(nb(ideal))} vs ${seconds(nb(winner))} per step), ` +
    `but on ${fabric} it takes ${seconds(here(ideal))}: its network penalty is ${seconds(here(ideal) - nb(ideal))}` +
    (worst
      ? `, mostly exposed ${worst} (${seconds(a.get(worst) ?? 0)} vs ${seconds(b.get(worst) ?? 0)} for the winner)`
      : "") +
    `, so ${winner.label} wins at ${seconds(here(winner))} (analytical).`
  );
}
