/**
 * One training step: stage costs → pipeline schedule → data-parallel tail → optimizer, and the results a
 * user reads (step time, TFLOP/s, MFU, where the time goes, what the network costs). See
 * docs/training-model.md for every formula.
 */

import { executedFlopsPerToken, modelFlopsPerToken } from "../../model/flops.js";
import { memoryPerRank } from "../../model/memory.js";
import { modelParameters } from "../../model/param-summary.js";
import type { ExposedByKind, TrainingResults } from "../../results/types.js";
import type { Scenario } from "../../scenario/types.js";
import type { Fabric } from "../../topology/fabric.js";
import { fabricSummary } from "../../topology/summary.js";
import type { CommModel } from "./comm.js";
import { gatherGates, gradTail } from "./dp.js";
import { type DualPipeInput, simulateDualPipe } from "./dualpipe.js";
import { addCause, byKind, type Ledger, ledgerTotal, mergeLedger } from "./ledger.js";
import { optimizerTime } from "./optimizer.js";
import { type TrainingOptions, type TrainingPlan, trainingPlan } from "./plan.js";
import { type PipelineInput, type PipelineResult, simulatePipeline } from "./schedule.js";
import { type StageCost, stageCost, stageNet } from "./stage-cost.js";
import { type StepEnd, stepTimeline } from "./timeline.js";

export interface TrainingDeps {
  fabric: Fabric;
  comm: CommModel;
  /** The same network without oversubscription (or otherwise ideal), for `whatIf`. */
  nonBlockingComm?: CommModel;
  options?: TrainingOptions;
}

export interface StepOutcome {
  stepTimeS: number;
  breakdown: TrainingResults["breakdown"];
  exposedCommByKind: ExposedByKind;
  causes: TrainingResults["causes"];
  costs: StageCost[];
  pipe: PipelineResult;
  ends: StepEnd;
}

function pipelineInput(
  plan: TrainingPlan,
  costs: StageCost[],
  transfers: boolean,
  gates?: Float64Array,
): PipelineInput {
  const { pp, vpp } = plan.p;
  const fwdS = new Float64Array(pp * vpp);
  const bwdS = new Float64Array(pp * vpp);
  const p2pS = new Float64Array(pp);
  for (let s = 0; s < pp; s++) {
    for (let c = 0; c < vpp; c++) {
      fwdS[s * vpp + c] = costs[s].chunks[c].fwd.timeS;
      bwdS[s * vpp + c] = costs[s].chunks[c].bwd.timeS;
    }
    p2pS[s] = transfers ? costs[s].p2pS : 0;
  }
  return { pp, vpp, m: plan.m, fwdS, bwdS, p2pS, firstFwdMinEnd: gates };
}

/**
 * DualPipe's per-stage times (vpp 1): forward, full backward, their compute, and the weight gradient,
 * taken as min(F, B/2) of compute (dW costs what dX does for every weight GEMM, and the forward's GEMMs).
 */
function dualPipeInput(plan: TrainingPlan, costs: StageCost[], transfers: boolean): DualPipeInput {
  const pp = plan.p.pp;
  const per = () => new Float64Array(pp);
  const input: DualPipeInput = {
    pp,
    m: plan.m,
    fwdS: per(),
    bwdS: per(),
    fwdComputeS: per(),
    bwdComputeS: per(),
    weightS: per(),
    p2pS: per(),
  };
  for (let s = 0; s < pp; s++) {
    const { fwd, bwd } = costs[s].chunks[0];
    input.fwdS[s] = fwd.timeS;
    input.bwdS[s] = bwd.timeS;
    input.fwdComputeS[s] = fwd.computeS;
    input.bwdComputeS[s] = bwd.computeS;
    input.weightS[s] = Math.min(fwd.computeS, bwd.computeS / 2);
    input.p2pS[s] = transfers ? costs[s].p2pS : 0;
  }
  return input;
}

/** Under DualPipe rank r holds stage r (direction 0) and stage pp−1−r (direction 1): its two chunks. */
function dualPipeCosts(costs: StageCost[]): StageCost[] {
  const pp = costs.length;
  return costs.map((c, r) => ({ ...c, chunks: [c.chunks[0], costs[pp - 1 - r].chunks[0]] }));
}

/**
 * Simulates one step of `plan` with `comm`. The schedule runs three times: as is (T1), without the ZeRO
 * weight gates (Tg) and without transfers between stages either (T2). T1 − Tg is exposed weight
 * gathering, Tg − T2 exposed pipeline transfers, T2 − a stage's busy time its bubble.
 */
export function simulateStep(plan: TrainingPlan, comm: CommModel): StepOutcome {
  const { pp, vpp } = plan.p;
  const nets = Array.from({ length: pp }, (_, s) => stageNet(plan, comm, s));
  const costs = nets.map((net, s) => stageCost(plan, net, s));
  // DualPipe: the weight gathers of ZeRO 1/2 are not gated (see docs/training-model.md)
  const dual = plan.workload.schedule === "dualpipe";
  const gates = new Float64Array(pp * vpp);
  let gateTier = "leaf";
  let gated = false;
  for (let s = 0; s < pp && !dual; s++) {
    const g = gatherGates(plan, nets[s], costs[s]);
    gates.set(g.minEnd, s * vpp);
    gateTier = g.tier;
    gated ||= g.minEnd.some((x) => x > 0);
  }
  const schedule = (transfers: boolean, g?: Float64Array) =>
    dual
      ? simulateDualPipe(dualPipeInput(plan, costs, transfers))
      : simulatePipeline(pipelineInput(plan, costs, transfers, g));
  const pipe = schedule(true, gated ? gates : undefined);
  const ungated = gated ? schedule(true) : pipe;
  const ideal = pp > 1 ? schedule(false) : ungated;
  const rankCosts = dual ? dualPipeCosts(costs) : costs;
  const perChunk = dual ? plan.m / 2 : plan.m; // micro-batches each chunk of a rank runs
  const gatherExposed = Math.max(0, pipe.makespan - ungated.makespan);
  const ppExposed = Math.max(0, ungated.makespan - ideal.makespan);

  let gradEnd = pipe.makespan;
  let gradCause = { collective: "all-reduce", tier: "leaf" };
  let optimizerS = 0;
  for (let s = 0; s < pp; s++) {
    const tail = gradTail(plan, nets[s], rankCosts[s], pipe, s);
    if (tail.endS > gradEnd) {
      gradEnd = tail.endS;
      gradCause = tail;
    }
    optimizerS = Math.max(optimizerS, optimizerTime(plan, s));
  }
  const gradExposed = gradEnd - pipe.makespan;
  const stepTimeS = gradEnd + optimizerS;

  // per-stage accounts, averaged: compute + in-pass comm + bubble + transfers + dp + optimizer = step
  const causes: Ledger = new Map();
  let computeS = 0;
  let bubbleS = 0;
  for (let s = 0; s < pp; s++) {
    for (const chunk of rankCosts[s].chunks) {
      computeS += (perChunk * (chunk.fwd.computeS + chunk.bwd.computeS)) / pp;
      mergeLedger(causes, chunk.fwd.causes, perChunk / pp);
      mergeLedger(causes, chunk.bwd.causes, perChunk / pp);
    }
    bubbleS += (ideal.makespan - pipe.busy[s]) / pp;
  }
  // Communication a schedule hides under paired compute (DualPipe) leaves the in-pass causes, pro rata.
  if (pipe.overlappedS) {
    let hidden = 0;
    for (let s = 0; s < pp; s++) hidden += pipe.overlappedS[s] / pp;
    const inPass = ledgerTotal(causes);
    const keep = inPass > 0 ? Math.max(0, 1 - hidden / inPass) : 1;
    for (const c of causes.values()) c.exposedS *= keep;
  }
  let worstP2p = costs[0];
  for (const c of costs) if (c.p2pS > worstP2p.p2pS) worstP2p = c;
  addCause(causes, "pp", "send-recv", worstP2p.p2pTier, ppExposed);
  addCause(causes, "dp", gradCause.collective, gradCause.tier, gradExposed);
  addCause(causes, "dp", "all-gather (weights)", gateTier, gatherExposed);

  const exposedCommByKind = byKind(causes);
  const exposedCommS = Object.values(exposedCommByKind).reduce((a, b) => a + b, 0);
  return {
    stepTimeS,
    breakdown: { computeS, exposedCommS, bubbleS, otherS: optimizerS },
    exposedCommByKind,
    causes: [...causes.values()].sort((a, b) => b.exposedS - a.exposedS),
    costs: rankCosts,
    pipe,
    ends: { scheduleEndS: pipe.makespan, dpEndS: gradEnd, stepEndS: stepTimeS },
  };
}

/** Simulates one training step of `scenario` and reports it. */
export function runTraining(scenario: Scenario, deps: TrainingDeps): TrainingResults {
  return simulateTraining(scenario, deps).results;
}

/** `runTraining`, with the plan and the simulated step behind the report (for a job on the shared clock). */
export function simulateTraining(
  scenario: Scenario,
  deps: TrainingDeps,
): { results: TrainingResults; plan: TrainingPlan; step: StepOutcome } {
  const started = performance.now();
  const plan = trainingPlan(scenario, deps.options);
  const out = simulateStep(plan, deps.comm);
  const n = plan.accelerators;
  const tokens = plan.workload.globalBatch * plan.model.seqLength;
  const flopOpts = { attention: plan.attention };
  const executed = tokens * executedFlopsPerToken(plan.model, plan.workload.recompute, flopOpts);
  const model = tokens * modelFlopsPerToken(plan.model);
  const peak =
    plan.shard.fp8 && plan.accelerator.peakFlops.fp8
      ? plan.accelerator.peakFlops.fp8
      : plan.accelerator.peakFlops.bf16;
  const networkIdleFraction = out.breakdown.exposedCommS / out.stepTimeS;
  const mem = memoryPerRank({
    model: plan.model,
    parallelism: plan.p,
    microBatch: plan.workload.microBatch,
    microBatches: plan.m,
    recompute: plan.workload.recompute,
    attention: plan.attention,
    schedule: plan.workload.schedule,
  });
  let whatIf: TrainingResults["whatIf"];
  if (deps.nonBlockingComm) {
    const nb = simulateStep(plan, deps.nonBlockingComm);
    whatIf = { nonBlockingStepTimeS: nb.stepTimeS, speedup: out.stepTimeS / nb.stepTimeS };
  }
  const results: TrainingResults = {
    kind: "training",
    scenario: scenario.name,
    fidelity: scenario.simulation.fidelity,
    wallS: (performance.now() - started) / 1000,
    fabric: fabricSummary(deps.fabric),
    warnings: [...(scenario.warnings ?? []), ...plan.warnings],
    parameters: modelParameters(plan.model),
    stepTimeS: out.stepTimeS,
    tflopsPerAccelerator: executed / (out.stepTimeS * n) / 1e12,
    mfu: model / (out.stepTimeS * n * peak),
    breakdown: out.breakdown,
    exposedCommByKind: out.exposedCommByKind,
    networkIdleFraction,
    networkIdleCostUsdPerHour: n * plan.group.priceUsdPerHour * networkIdleFraction,
    causes: out.causes,
    whatIf,
    timeline: stepTimeline(out.pipe, out.costs, out.ends),
    memoryPerRankBytes: {
      weights: mem.weights,
      gradients: mem.gradients,
      optimizer: mem.optimizer,
      activations: mem.activations,
      total: mem.total,
    },
  };
  return { results, plan, step: out };
}
