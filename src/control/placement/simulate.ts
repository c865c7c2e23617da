/**
 * The fabric manager over time: a process on a deterministic event queue (src/sim/event-queue.ts, ordered
 * by time then push order) that takes job arrivals, queues them by priority then arrival, places them with
 * a policy whenever accelerators free up, and runs each placed job on the fabric:
 * - a training job's step time comes from timing.ts on the accelerators it got, so placement changes its
 *   speed (`slowdownPlacement` = step on its placement / step on the best placement of an empty cluster);
 * - neighbours: the gradient traffic of jobs that span leaves shares those leaves' uplinks. At every event
 *   each leaf's load is Σ (ranks of a spanning job under it × bytes they send per step / step time) over its
 *   uplink capacity; a job's all-reduce stretches by the highest load (≥ 1) among its leaves, and its
 *   remaining steps run at the new speed from that moment (`slowdownNeighbours` = time it ran / time alone);
 * - an inference job holds its accelerators for its duration.
 * It runs on the shared clock (src/sim/clock.ts): arrivals and finishes are its only events, each a
 * handler on the clock, and it reads the fabric only through timing.ts.
 */

import { exposedHbm } from "../../catalog/accelerators.js";
import { MODEL_PRESETS } from "../../catalog/model-presets.js";
import type { AcceleratorSpec } from "../../catalog/types.js";
import { positionedError, WeftError } from "../../errors.js";
import { memoryPerRank } from "../../model/memory.js";
import { makePrng, nextUint32 } from "../../prng.js";
import { percentile } from "../../results/percentiles.js";
import type { Job, Trace, TrainingJob } from "../../scenario/job-trace.js";
import type { Scenario } from "../../scenario/types.js";
import { schedule as at, makeClock, registerHandler, runClock } from "../../sim/clock.js";
import type { Fabric } from "../../topology/fabric.js";
import { setupNetwork } from "../../workload/network.js";
import { type ClusterView, clusterView } from "./cluster-view.js";
import { POLICIES, type Policy } from "./policies.js";
import { makeState, take } from "./state.js";
import { type StepTime, trainingStep } from "./timing.js";

export interface JobResult {
  id: string;
  tenant: string;
  gpus: number;
  kind: "training" | "inference";
  arrivalS: number;
  startS: number;
  finishS: number;
  waitS: number;
  runS: number;
  /** What the job would take on the best placement of an empty cluster, alone. */
  idealRunS: number;
  slowdownPlacement: number;
  slowdownNeighbours: number;
  /** Scale-up domains its accelerators span. */
  domains: number;
  /** Leaves its servers' NICs reach, by name. */
  leaves: string[];
  /** Its accelerators (global ranks), when asked for (`keepRanks`). */
  ranks?: number[];
}

export interface ManageResult {
  policy: string;
  jobs: JobResult[];
  makespanS: number;
  utilization: { mean: number; series: [number, number][] };
  queueDelayS: { mean: number; p50: number; p99: number };
  /** Free accelerators while jobs waited (none of them could use them), time-averaged over the run, and the most. */
  fragmentation: { meanFree: number; maxFree: number };
  meanSlowdown: number;
  acceleratorHoursLost: number;
  costUsdLost: number;
}

export interface ManageInput {
  scenario: Scenario;
  fabric: Fabric;
  trace: Trace;
  policy: string;
  /** Points kept in the utilization series (default 200). */
  seriesPoints?: number;
  /** Keep each job's ranks in its result. */
  keepRanks?: boolean;
}

interface Running {
  job: number;
  ranks: Int32Array;
  step: StepTime;
  /** Steps (training) or seconds (inference) left. */
  remaining: number;
  /** Seconds per unit of `remaining` now (neighbours included). */
  pace: number;
  version: number;
  /** Leaves under a spanning job with its ranks there: [leaf, count, leaf, count, ...]. */
  leafRanks: number[];
  startS: number;
  aloneS: number;
}

export function manage(input: ManageInput): ManageResult {
  const { trace, fabric } = input;
  // Own keys only: "constructor" is no policy.
  const found: Policy | undefined = Object.hasOwn(POLICIES, input.policy)
    ? POLICIES[input.policy as keyof typeof POLICIES]
    : undefined;
  if (!found)
    throw new WeftError(`unknown policy "${input.policy}"; expected ${Object.keys(POLICIES).join(", ")}`);
  const policy: Policy = found;
  const scenario = {
    ...input.scenario,
    simulation: { ...input.scenario.simulation, fidelity: "analytical" as const },
  };
  const { collectives: ctx } = setupNetwork(scenario, fabric);
  const view = clusterView(fabric);
  const group = scenario.cluster.groups.find((g) => g.kind === "accelerator");
  const accelerator = group?.accelerator;
  if (!accelerator) throw new WeftError("manage: the cluster has no accelerators");
  const price = group.priceUsdPerHour;
  checkJobs(trace, view, accelerator);
  const tenants = [...new Set([...Object.keys(trace.tenants), ...trace.jobs.map((j) => j.tenant)])].sort();
  const tenantOf = new Map(tenants.map((t, i) => [t, i]));
  const state = makeState(view, tenants, (t) => trace.tenants[t]?.isolate === "leaf", fabric.nodes.count);
  const prng = makePrng(scenario.simulation.seed ^ 0x2545f491);
  const rng = () => nextUint32(prng) / 4294967296;
  const ideal = idealTimes(trace, view, ctx, accelerator, fabric.nodes.count);

  const clock = makeClock();
  const waiting: number[] = [];
  const running = new Map<number, Running>();
  const results: JobResult[] = new Array(trace.jobs.length);
  const leafLoad = new Float64Array(fabric.nodes.count);
  const series: [number, number][] = [];
  let now = 0;
  let busyIntegral = 0;
  let fragIntegral = 0;
  let maxFrag = 0;

  const advance = (t: number) => {
    const dt = t - now;
    if (dt > 0) {
      for (const run of running.values()) run.remaining -= dt / run.pace;
      busyIntegral += (view.accelerators - state.freeCount) * dt;
      if (waiting.length) fragIntegral += state.freeCount * dt;
    }
    now = t;
  };
  /** After every event: place what waits, re-pace what runs, note the utilization. */
  const settle = () => {
    schedule();
    repace();
    series.push([now, (view.accelerators - state.freeCount) / view.accelerators]);
    if (waiting.length) maxFrag = Math.max(maxFrag, state.freeCount);
  };
  const ARRIVE = registerHandler(clock, (i) => {
    advance(clock.now);
    waiting.push(i);
    settle();
  });
  const FINISH = registerHandler(clock, (i, version) => {
    advance(clock.now);
    const run = running.get(i);
    if (!run || run.version !== version) return; // superseded by a later pace change
    running.delete(i);
    take(state, run.ranks, tenantOf.get(trace.jobs[i].tenant) ?? 0, -1);
    results[i] = jobResult(trace.jobs[i], run, now, ideal[i], view, fabric.nodes.names, input.keepRanks);
    settle();
  });
  for (let i = 0; i < trace.jobs.length; i++) at(clock, trace.jobs[i].arrival, ARRIVE, i);
  runClock(clock);
  if (waiting.length) throw new WeftError(`manage: ${waiting.length} job(s) never fit the cluster`);

  function schedule() {
    if (!waiting.length) return;
    waiting.sort((a, b) => {
      const ja = trace.jobs[a];
      const jb = trace.jobs[b];
      return jb.priority - ja.priority || ja.arrival - jb.arrival || a - b;
    });
    for (let w = 0; w < waiting.length && state.freeCount > 0; ) {
      const i = waiting[w];
      const job = trace.jobs[i];
      if (job.gpus > state.freeCount) {
        w++;
        continue;
      }
      const tenant = tenantOf.get(job.tenant) ?? 0;
      const ranks = policy(state, { gpus: job.gpus, tp: job.work.tp, tenant }, rng);
      if (!ranks) {
        w++;
        continue;
      }
      waiting.splice(w, 1);
      take(state, ranks, tenant, 1);
      start(i, ranks);
    }
  }

  function start(i: number, ranks: Int32Array) {
    const job = trace.jobs[i];
    if (job.work.kind === "inference") {
      const step = { stepS: 1, computeS: 1, tpS: 0, dpS: 0, dpBytesPerRank: 0 };
      running.set(i, {
        job: i,
        ranks,
        step,
        remaining: job.work.duration,
        pace: 1,
        version: 0,
        leafRanks: [],
        startS: now,
        aloneS: job.work.duration,
      });
      at(clock, now + job.work.duration, FINISH, i, 0);
      return;
    }
    const step = trainingStep(ctx, view, accelerator as AcceleratorSpec, job.work, ranks);
    running.set(i, {
      job: i,
      ranks,
      step,
      remaining: job.work.steps,
      pace: Number.NaN,
      version: 0,
      leafRanks: spanningLeaves(view, ranks, step),
      startS: now,
      aloneS: job.work.steps * step.stepS,
    });
  }

  /** Recomputes each leaf's uplink load and every job's pace; reschedules finishes whose pace changed. */
  function repace() {
    leafLoad.fill(0);
    for (const run of running.values()) {
      const rate = run.step.dpBytesPerRank / run.step.stepS;
      for (let k = 0; k < run.leafRanks.length; k += 2) {
        const leaf = run.leafRanks[k];
        if (view.leafUplink[leaf] > 0)
          leafLoad[leaf] += (run.leafRanks[k + 1] * rate) / view.leafUplink[leaf];
      }
    }
    for (const run of running.values()) {
      if (trace.jobs[run.job].work.kind === "inference") continue;
      let factor = 1;
      for (let k = 0; k < run.leafRanks.length; k += 2) factor = Math.max(factor, leafLoad[run.leafRanks[k]]);
      const pace = run.step.computeS + run.step.tpS + run.step.dpS * factor;
      if (pace === run.pace) continue;
      run.pace = pace;
      run.version++;
      at(clock, now + Math.max(0, run.remaining) * pace, FINISH, run.job, run.version);
    }
  }

  return summarize(
    input.policy,
    results,
    busyIntegral,
    fragIntegral,
    maxFrag,
    now,
    view,
    series,
    input.seriesPoints ?? 200,
    price,
  );
}

/**
 * What the cluster cannot run in a trace (`weft validate` asks too): more GPUs than it has, tensor
 * parallelism past its largest scale-up domain, a training job that cannot fit in memory.
 */
export function checkTrace(scenario: Scenario, fabric: Fabric, trace: Trace): void {
  const accelerator = scenario.cluster.groups.find((g) => g.kind === "accelerator")?.accelerator;
  if (!accelerator) throw new WeftError("manage: the cluster has no accelerators");
  checkJobs(trace, clusterView(fabric), accelerator);
}

function checkJobs(trace: Trace, view: ClusterView, accelerator: AcceleratorSpec) {
  const domainSize = new Int32Array(view.domains);
  for (let r = 0; r < view.accelerators; r++) domainSize[view.domain[r]]++;
  const largest = Math.max(...domainSize);
  for (const j of trace.jobs) {
    const fail = (text: string) => positionedError(j.at ?? {}, `job ${j.id}: ${text}`);
    if (j.gpus > view.accelerators) {
      throw fail(
        `${j.gpus} GPUs asked, the cluster has ${view.accelerators}; expected at most ${view.accelerators}`,
      );
    }
    if (j.work.tp > largest) {
      throw fail(
        `tp ${j.work.tp} is larger than the largest scale-up domain (${largest}); expected tp ≤ ${largest}, so a TP group stays in one domain`,
      );
    }
    if (j.work.kind === "training") checkFits(j.work, j.gpus, accelerator, fail);
  }
}

/**
 * A training job that cannot fit even with everything sharded — ZeRO-3 over its data-parallel ranks and
 * full recomputation — is refused: the manager's step model would otherwise time a job no framework runs.
 */
function checkFits(
  work: TrainingJob,
  gpus: number,
  accelerator: AcceleratorSpec,
  fail: (text: string) => WeftError,
): void {
  const model = MODEL_PRESETS[work.model];
  if (!model || !accelerator.hbmBytes) return;
  const dp = gpus / (work.tp * work.pp);
  const mem = memoryPerRank({
    model: work.seqLength ? { ...model, seqLength: work.seqLength } : model,
    parallelism: {
      tp: work.tp,
      pp: work.pp,
      dp,
      ep: 1,
      cp: 1,
      vpp: 1,
      zero: 3,
      sequenceParallel: work.tp > 1,
    },
    microBatch: work.microBatch,
    microBatches: Math.max(1, Math.round(work.globalBatch / (dp * work.microBatch))),
    recompute: "full",
    attention: "flash",
  });
  const hbm = exposedHbm(accelerator);
  if (mem.total > hbm) {
    throw fail(
      `${work.model} at tp ${work.tp} × pp ${work.pp} × dp ${dp} needs ${(mem.total / 1e9).toFixed(1)} GB per accelerator ` +
        `even with ZeRO-3 and full recomputation, but ${accelerator.id} has ${(hbm / 1e9).toFixed(1)} GB; expected a layout ` +
        "that fits: more tp or pp, or more GPUs",
    );
  }
}

/** [leaf, ranks there, ...] for a job whose gradient traffic crosses leaves (it spans more than one). */
function spanningLeaves(view: ClusterView, ranks: Int32Array, step: StepTime): number[] {
  if (step.dpBytesPerRank === 0) return [];
  const counts = new Map<number, number>();
  for (const r of ranks) counts.set(view.leaf[r], (counts.get(view.leaf[r]) ?? 0) + 1);
  if (counts.size <= 1) return [];
  return [...counts].sort((a, b) => a[0] - b[0]).flat();
}

/** Each job's run time alone on the best placement of an empty cluster (topology policy), by job shape. */
function idealTimes(
  trace: Trace,
  view: ClusterView,
  ctx: Parameters<typeof trainingStep>[0],
  accelerator: AcceleratorSpec,
  nodes: number,
): number[] {
  const cache = new Map<string, number>();
  return trace.jobs.map((job) => {
    if (job.work.kind === "inference") return job.work.duration;
    const w = job.work;
    const key = `${job.gpus}|${w.model}|${w.tp}|${w.pp}|${w.globalBatch}|${w.microBatch}|${w.seqLength}`;
    let stepS = cache.get(key);
    if (stepS === undefined) {
      const empty = makeState(view, ["t"], () => false, nodes);
      const ranks = POLICIES.topology(empty, { gpus: job.gpus, tp: w.tp, tenant: 0 }, () => 0);
      stepS = ranks ? trainingStep(ctx, view, accelerator, w, ranks).stepS : Number.NaN;
      cache.set(key, stepS);
    }
    return w.steps * stepS;
  });
}

function jobResult(
  job: Job,
  run: Running,
  finishS: number,
  idealRunS: number,
  view: ClusterView,
  names: string[],
  keepRanks = false,
): JobResult {
  const runS = finishS - run.startS;
  const domains = new Set<number>();
  const leaves = new Set<number>();
  for (const r of run.ranks) {
    domains.add(view.domain[r]);
    const s = view.server[r];
    for (let k = view.serverLeafStart[s]; k < view.serverLeafStart[s + 1]; k++)
      leaves.add(view.serverLeaves[k]);
  }
  return {
    id: job.id,
    tenant: job.tenant,
    gpus: job.gpus,
    kind: job.work.kind,
    arrivalS: job.arrival,
    startS: run.startS,
    finishS,
    waitS: run.startS - job.arrival,
    runS,
    idealRunS,
    slowdownPlacement: run.aloneS / idealRunS,
    slowdownNeighbours: runS / run.aloneS,
    domains: domains.size,
    leaves: [...leaves].sort((a, b) => a - b).map((l) => names[l]),
    ...(keepRanks ? { ranks: Array.from(run.ranks) } : {}),
  };
}

function summarize(
  policy: string,
  jobs: JobResult[],
  busyIntegral: number,
  fragIntegral: number,
  maxFrag: number,
  makespanS: number,
  view: ClusterView,
  series: [number, number][],
  points: number,
  price: number,
): ManageResult {
  const waits = Float64Array.from(jobs, (j) => j.waitS).sort();
  const slow = jobs.filter((j) => j.kind === "training").map((j) => j.runS / j.idealRunS);
  let lostS = 0;
  for (const j of jobs) lostS += Math.max(0, j.runS - j.idealRunS) * j.gpus;
  const stride = Math.max(1, Math.ceil(series.length / points));
  return {
    policy,
    jobs,
    makespanS,
    utilization: {
      mean: makespanS > 0 ? busyIntegral / (view.accelerators * makespanS) : 0,
      series: series.filter((_, k) => k % stride === 0 || k === series.length - 1),
    },
    queueDelayS: {
      mean: waits.reduce((s, w) => s + w, 0) / Math.max(1, waits.length),
      p50: percentile(waits, 0.5),
      p99: percentile(waits, 0.99),
    },
    fragmentation: { meanFree: makespanS > 0 ? fragIntegral / makespanS : 0, maxFree: maxFrag },
    meanSlowdown: slow.length ? slow.reduce((s, x) => s + x, 0) / slow.length : 1,
    acceleratorHoursLost: lostS / 3600,
    costUsdLost: (lostS / 3600) * price,
  };
}
