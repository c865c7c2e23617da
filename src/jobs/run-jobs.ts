/**
 * `jobs:`: every job as a process on one clock and one network (fluid at analytical and flow fidelity,
 * the packet network at packet fidelity), then each job alone on the same fabric and placement, and the
 * comparison (attribution.ts). Failures at time 0 shape the fabric every run
 * sees; later ones fail or degrade their links at their time, and after `failureDetection` the routes
 * avoid dead links; a run without those later failures gives each job's loss to them.
 */

import { busBandwidthFactor } from "../collectives/busbw.js";
import { collectiveContext } from "../collectives/run.js";
import { WeftError } from "../errors.js";
import type { CollectiveRow, InferenceResults, JobResult, JobsResults } from "../results/types.js";
import { makeRouter } from "../routing/index.js";
import type { Router } from "../routing/types.js";
import type { Scenario } from "../scenario/types.js";
import { type Clock, callAt, makeClock, runClock } from "../sim/clock.js";
import type { LinkFailure } from "../sim/engines/packet/params.js";
import { packetOptionsFor, wireModelOf } from "../sim/engines/packet/scenario-options.js";
import { applyStaticFailures, resolveFailures } from "../sim/failures.js";
import { makeFluidNetwork } from "../sim/network/fluid.js";
import { makePacketNetwork } from "../sim/network/packet.js";
import type { Meetings, Network } from "../sim/network/types.js";
import { spawn } from "../sim/process.js";
import { buildScenarioFabric } from "../topology/build.js";
import { type Fabric, LINK_TIER_NAMES } from "../topology/fabric.js";
import { fabricSummary } from "../topology/summary.js";
import { formatTime } from "../units/format.js";
import { networkEngine } from "../workload/network.js";
import { fctPercentiles } from "../workload/traffic/run.js";
import { causesOf, sharedLinksOf } from "./attribution.js";
import {
  type CollectiveJob,
  collectiveJobProcess,
  type JobRecord,
  prepareCollectiveJob,
} from "./collective-job.js";
import { type InferenceJob, inferenceJobProcess, prepareInferenceJob } from "./inference-job.js";
import { prepareTrafficJob, type TrafficJob, trafficJobProcess } from "./traffic-job.js";
import { prepareTrainingJob, type TrainingJob, trainingJobProcess } from "./training-job.js";

type Job = CollectiveJob | TrafficJob | TrainingJob | InferenceJob;

/** Jobs a run tells apart in its meeting masks (one bit each). */
const MAX_JOBS = 30;

interface World {
  scenario: Scenario;
  fabric: Fabric;
  router: Router;
  /** Failures after time 0, resolved to links. */
  timed: LinkFailure[];
  jobs: Job[];
  warnings: string[];
}

interface RunOutcome {
  records: JobRecord[];
  meetings: Meetings;
}

export function runJobs(
  scenario: Scenario,
  onProgress?: (done: number, total: number, label?: string) => void,
): JobsResults {
  const started = performance.now();
  const specs = scenario.jobs;
  if (!specs) throw new WeftError("runJobs needs a scenario with jobs");
  const fidelity = scenario.simulation.fidelity;
  if (specs.length > MAX_JOBS) throw new WeftError(`${specs.length} jobs; at most ${MAX_JOBS} run together`);
  const world = buildWorld(scenario);
  const names = specs.map((j) => j.name);
  const total = specs.length + 1 + (world.timed.length > 0 ? 1 : 0);
  onProgress?.(0, total, "all jobs");
  const shared = simulate(
    world,
    specs.map((_, i) => i),
    true,
  );
  // A job that never had a flow on a link while another job's flow moved there was, at every instant, in
  // components of its own flows only: its rates, and so its run, are those it has alone.
  const alone = specs.map((_, i) => {
    onProgress?.(i + 1, total, names[i]);
    return metNobody(shared.meetings, i) ? shared.records[i] : simulate(world, [i], true).records[0];
  });
  const healthy =
    world.timed.length > 0
      ? simulate(
          world,
          specs.map((_, i) => i),
          false,
        )
      : undefined;
  onProgress?.(total, total);
  const jobs = specs.map((spec, a): JobResult => {
    const mine = shared.records[a];
    const step = mean(mine.stepS);
    const aloneStep = mean(alone[a].stepS);
    const job = world.jobs[a];
    const result: JobResult = {
      name: spec.name,
      kind: job.kind,
      accelerators: spec.ranks.length,
      startS: spec.startS,
      steps: spec.steps,
      endS: mine.endS,
      stepTimeS: step,
      aloneStepTimeS: aloneStep,
      slowdown: aloneStep > 0 ? step / aloneStep : 1,
      op: opOf(job),
      rows: job.kind === "collective" ? rowsOf(job, mine) : [],
      ...(job.kind === "traffic" ? { flows: job.flows.count, fctUs: fctUsOf(mine) } : {}),
      ...(job.kind === "training" ? trainingFields(job, step) : {}),
      ...(job.kind === "inference" ? inferenceFields(mine, alone[a]) : {}),
      sharedLinks: sharedLinksOf(shared.meetings, world.fabric, a, names),
      causes: causesOf(shared.meetings, a, names, spec.steps * (step - aloneStep)),
    };
    if (healthy) result.failureLossS = Math.max(0, step - mean(healthy.records[a].stepS));
    return result;
  });
  const makespanS = Math.max(...jobs.map((j) => j.endS)) - Math.min(...jobs.map((j) => j.startS));
  return {
    kind: "jobs",
    scenario: scenario.name,
    fidelity,
    wallS: (performance.now() - started) / 1000,
    fabric: fabricSummary(world.fabric),
    warnings: [...(scenario.warnings ?? []), ...world.warnings],
    makespanS,
    jobs,
  };
}

function buildWorld(scenario: Scenario): World {
  const fabric = buildScenarioFabric(scenario);
  const seed = scenario.simulation.seed;
  const all = resolveFailures(fabric, scenario.failures, seed);
  // Analytical phases are closed forms of the fabric, with no clock to meet a failure at its time: every
  // failure holds from time 0 there, and the run says so.
  const closedForm = scenario.simulation.fidelity === "analytical";
  const late = all.filter((f) => f.atS > 0);
  const warnings =
    closedForm && late.length > 0
      ? [
          `analytical fidelity has no clock for failures: the ${late.length} failure(s) after time 0 (first at ` +
            `${formatTime(Math.min(...late.map((f) => f.atS)))}) hold from time 0; fidelity: flow meets them at their time`,
        ]
      : [];
  const { failed } = applyStaticFailures(fabric, closedForm ? all : all.filter((f) => f.atS === 0));
  const router = routerFor(scenario, fabric, failed);
  const ctx = collectiveContext(scenario, fabric, router, networkEngine(scenario, []));
  const jobs = (scenario.jobs ?? []).map((spec): Job => {
    const w = spec.workload;
    if (w.kind === "collective") return prepareCollectiveJob(ctx, spec, w);
    if (w.kind === "training") return prepareTrainingJob(ctx, scenario, fabric, spec, w);
    if (w.kind === "inference") return prepareInferenceJob(ctx, scenario, spec, w);
    return prepareTrafficJob(fabric, seed, spec, w);
  });
  return { scenario, fabric, router, timed: closedForm ? [] : late, jobs, warnings };
}

function routerFor(scenario: Scenario, fabric: Fabric, failed: Uint8Array | undefined): Router {
  return makeRouter(fabric, {
    loadBalancing: scenario.cluster.transport.loadBalancing,
    railAware: true,
    seed: scenario.simulation.seed,
    failed,
  });
}

/** Runs the jobs `which` together (tags 0..which.length−1 in that order), with or without the timed failures. */
function simulate(world: World, which: number[], withFailures: boolean): RunOutcome {
  const { scenario, fabric } = world;
  const clock = makeClock();
  const fidelity = scenario.simulation.fidelity;
  const net =
    fidelity === "packet"
      ? makePacketNetwork(clock, fabric, world.router, {
          ...packetOptionsFor(scenario, []),
          tags: which.length,
        })
      : makeFluidNetwork(clock, fabric, world.router, {
          fidelity,
          loadBalancing: scenario.cluster.transport.loadBalancing,
          seed: scenario.simulation.seed,
          tags: which.length,
          // Traffic jobs' flow times as workload.traffic reports them (headers, window, the last ack); the
          // collectives' protocol efficiencies and step latencies already carry their overheads.
          ...(fidelity === "flow"
            ? {
                wire: wireModelOf(scenario, fabric, world.router, true),
                wiredTags: which.map((j) => world.jobs[j].kind === "traffic"),
              }
            : {}),
        });
  const records = which.map((j, tag): JobRecord => {
    const record: JobRecord = { stepS: [], sizeS: [], fctS: [], endS: 0 };
    const job = world.jobs[j];
    const body =
      job.kind === "collective"
        ? collectiveJobProcess(net, job, tag, record)
        : job.kind === "training"
          ? trainingJobProcess(net, job, tag, record)
          : job.kind === "inference"
            ? inferenceJobProcess(net, job, tag, record)
            : trafficJobProcess(net, job, tag, record);
    spawn(clock, body, { at: job.spec.startS, name: job.spec.name });
    return record;
  });
  if (withFailures) scheduleFailures(world, net, clock);
  runClock(clock);
  return { records, meetings: net.meetings };
}

/** Each failure scales its links at its time; dead links leave the routes `failureDetection` later. */
function scheduleFailures(world: World, net: Network, clock: Clock): void {
  const { fabric, scenario } = world;
  const down = new Uint8Array(fabric.links.count);
  for (const f of world.timed) {
    callAt(clock, f.atS, () => {
      for (let i = 0; i < f.links.length; i++) net.setLinkScale(f.links[i], Math.max(0, 1 - f.degrade));
    });
    if (f.degrade < 1) continue;
    callAt(clock, f.atS + scenario.simulation.failureDetection, () => {
      for (let i = 0; i < f.links.length; i++) down[f.links[i]] = 1;
      net.reroute(routerFor(scenario, fabric, down), down);
    });
  }
}

function rowsOf(job: CollectiveJob, record: JobRecord): CollectiveRow[] {
  const n = job.spec.ranks.length;
  const factor = busBandwidthFactor(job.workload.op, n);
  return job.sizes.map((size, i) => {
    const timeS = mean(record.sizeS.map((s) => s[i]));
    const algbw = timeS > 0 ? size.bytes / timeS / 1e9 : 0;
    return {
      sizeBytes: size.bytes,
      count: job.counts[i],
      type: "float",
      timeUs: timeS * 1e6,
      algbwGBps: algbw,
      busbwGBps: algbw * factor,
      algorithm: size.algorithm,
    };
  });
}

/** What the job runs: the collective, the traffic pattern, or the training layout. */
function opOf(job: Job): string {
  if (job.kind === "collective") return job.workload.op;
  if (job.kind === "traffic") return job.workload.pattern;
  if (job.kind === "inference") {
    const w = job.workload;
    const pool = (p: typeof w.prefill) => `${p.instances}×tp${p.tp}${p.ep > 1 ? `·ep${p.ep}` : ""}`;
    return `${w.model.name} serving, ${w.decode ? `prefill ${pool(w.prefill)}, decode ${pool(w.decode)}` : pool(w.prefill)}`;
  }
  const p = job.workload.parallelism;
  const parts = [`tp${p.tp}`, `pp${p.pp}`, `dp${p.dp}`];
  if (p.cp > 1) parts.push(`cp${p.cp}`);
  if (p.ep > 1) parts.push(`ep${p.ep}`);
  if ((p.etp ?? 1) > 1) parts.push(`etp${p.etp}`);
  return `${job.workload.model.name} ${parts.join("·")}`;
}

/**
 * A training job's own figures with the others: throughput and MFU scale with 1 / step time; the network
 * holds the accelerators idle for what the step lost plus what was exposed alone.
 */
function trainingFields(job: TrainingJob, stepS: number): Partial<JobResult> {
  const a = job.alone;
  const scale = stepS > 0 ? a.stepTimeS / stepS : 1;
  const idleS = a.breakdown.exposedCommS + Math.max(0, stepS - a.stepTimeS);
  return {
    mfu: a.mfu * scale,
    tflopsPerAccelerator: a.tflopsPerAccelerator * scale,
    networkIdleFraction: stepS > 0 ? idleS / stepS : 0,
  };
}

/** An inference job's own figures with the others, and its time to first token alone. */
function inferenceFields(mine: JobRecord, alone: JobRecord): Partial<JobResult> {
  const r = mine.inference as InferenceResults;
  return {
    requests: r.requests,
    ttftS: r.ttftS,
    tpotS: r.tpotS,
    kvTransferS: r.kvTransferS,
    goodputFraction: r.goodputFraction,
    throughputTokensPerS: r.throughputTokensPerS,
    aloneTtftS: (alone.inference as InferenceResults).ttftS,
  };
}

function metNobody(m: Meetings, a: number): boolean {
  const width = m.tags * LINK_TIER_NAMES.length;
  const row = m.met.subarray(a * width, (a + 1) * width);
  return row.every((x) => x === 0);
}

function fctUsOf(record: JobRecord): { p50: number; p99: number; max: number } {
  return fctPercentiles(record.fctS.map((s) => s * 1e6));
}

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0;
}
