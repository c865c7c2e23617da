/**
 * runInference: an inference-serving scenario on a built fabric → InferenceResults. Plans the pools
 * (placement, memory), draws the requests, times steps with the compute model and the collective model,
 * and runs the serving simulation with KV and offload transfers on the fabric.
 * docs/inference-model.md describes every formula.
 */

import { WeftError } from "../../errors.js";
import { readInputFile } from "../../files/read-input.js";
import type { InferenceResults } from "../../results/types.js";
import type { Router } from "../../routing/types.js";
import { parseTrace } from "../../scenario/request-trace.js";
import type { InferenceWorkload, Scenario } from "../../scenario/types.js";
import type { FlowEngine } from "../../sim/engines/types.js";
import { makeFlowSet } from "../../sim/flows.js";
import type { Fabric } from "../../topology/fabric.js";
import { formatCount } from "../../units/format.js";
import type { CommModel } from "../training/comm.js";
import { type PoolPlan, planPools, rankOf } from "./pools.js";
import { type RequestRecords, requestRecords } from "./records.js";
import { makeRequests, type RequestTable } from "./requests.js";
import { runServing } from "./serve.js";
import {
  KV_WATERMARK,
  makeInstanceState,
  makePrefillState,
  makeSim,
  type OffloadTarget,
  type Sim,
} from "./serve-state.js";
import { makeStepCost } from "./step-cost.js";
import { summarize } from "./summary.js";
import { makeTransferNet } from "./transfers.js";

export interface InferenceDeps {
  fabric: Fabric;
  router: Router;
  /** Network engine for one-off transfer sets (the idle KV transfer time). */
  engine: FlowEngine;
  /** Collective timing for TP all-reduces and EP all-to-alls. */
  comm: CommModel;
}

export interface InferenceRun {
  results: InferenceResults;
  records: RequestRecords;
  pools: PoolPlan[];
  sim: Sim;
  /** Events the serving simulation processed. */
  events: number;
}

/** The serving run's results; `simulateInference` also returns the per-request records. */
export function runInference(scenario: Scenario, deps: InferenceDeps): InferenceResults {
  return simulateInference(scenario, deps).results;
}

export function simulateInference(scenario: Scenario, deps: InferenceDeps): InferenceRun {
  const started = performance.now();
  const w = scenario.workload;
  if (w.kind !== "inference") throw new WeftError(`runInference needs an inference workload, got ${w.kind}`);
  const { fabric, router } = deps;
  const pools = planPools(scenario, w, firstRanks(scenario, fabric));
  const req = makeRequests(w.requests, w.requests.trace ? readTrace(w.requests.trace) : undefined);
  checkRequestsFit(req, pools);
  const fp8 = w.precision === "fp8";
  const prefillPool = pools[0];
  const instPool = pools[pools.length - 1];
  const prefillCost = makeStepCost(w.model, prefillPool, deps.comm, fp8);
  const instCost = pools.length > 1 ? makeStepCost(w.model, instPool, deps.comm, fp8) : prefillCost;
  const net = makeTransferNet(fabric, router, {
    loadBalancing: scenario.cluster.transport.loadBalancing,
    seed: scenario.simulation.seed,
    share: scenario.simulation.fidelity !== "analytical",
  });
  const sim = makeSim({
    fabric,
    req,
    kvBytesPerToken: prefillPool.kvBytesPerToken,
    transferMode: w.kvCache.transfer,
    prefixHitRate: w.kvCache.prefixHitRate,
    net,
    prefill: makePrefillState(prefillPool, prefillCost),
    inst: makeInstanceState(instPool, instCost),
    colocated: pools.length === 1,
    offload: offloadTarget(scenario, w, fabric),
  });
  const serving = runServing(sim);
  const records = requestRecords(sim, w.slo);
  const warnings = [...(scenario.warnings ?? []), ...runWarnings(sim, w)];
  const results = summarize({
    scenario,
    workload: w,
    fabric,
    pools,
    sim,
    records,
    wallS: 0,
    warnings,
    ...(pools.length > 1 ? { kvTransferAloneS: kvTransferAlone(scenario, deps, pools, req, w) } : {}),
  });
  results.wallS = (performance.now() - started) / 1000;
  return { results, records, pools, sim, events: serving.events };
}

function readTrace(file: string) {
  let text: string;
  try {
    text = readInputFile(file);
  } catch (e) {
    throw new WeftError(`cannot read the request trace ${(e as Error).message}`, { file });
  }
  return parseTrace(text, file);
}

/** First global rank of each scenario group, as the fabric numbered them. */
function firstRanks(scenario: Scenario, fabric: Fabric): number[] {
  return scenario.cluster.groups.map((g) => fabric.groups.find((x) => x.name === g.name)?.firstRank ?? 0);
}

/** Every request must fit alone in the KV cache of the instances that hold it, or it would never run. */
function checkRequestsFit(req: RequestTable, pools: PoolPlan[]): void {
  let worst = 0;
  let worstPrompt = 0;
  for (let r = 0; r < req.count; r++) {
    if (req.prompt[r] + req.output[r] > req.prompt[worst] + req.output[worst]) worst = r;
    if (req.prompt[r] > req.prompt[worstPrompt]) worstPrompt = r;
  }
  const hold = pools[pools.length - 1];
  const need = req.prompt[worst] + req.output[worst];
  const limit = Math.floor(hold.kvCapacityTokens * (1 - KV_WATERMARK));
  if (need > limit) {
    throw new WeftError(
      `request ${worst} needs ${formatCount(need)} tokens of KV cache (prompt ${formatCount(req.prompt[worst])} + output ` +
        `${formatCount(req.output[worst])}); one ${hold.role} instance (${hold.perInstance} × ${hold.accelerator.id}, tp ${hold.tp}) ` +
        `holds ${formatCount(limit)}. Use more accelerators per instance or shorter requests`,
    );
  }
  const p = pools[0];
  if (pools.length > 1 && req.prompt[worstPrompt] > p.kvCapacityTokens) {
    throw new WeftError(
      `request ${worstPrompt} has a ${formatCount(req.prompt[worstPrompt])}-token prompt; one prefill instance ` +
        `(${p.perInstance} × ${p.accelerator.id}) holds ${formatCount(p.kvCapacityTokens)} tokens of KV cache`,
    );
  }
}

function offloadTarget(scenario: Scenario, w: InferenceWorkload, fabric: Fabric): OffloadTarget | undefined {
  const name = w.kvCache.offload;
  if (!name) return undefined;
  const group = scenario.cluster.groups.find((g) => g.name === name);
  const info = fabric.groups.find((g) => g.name === name);
  if (!group || !info || (group.kind !== "memory" && group.kind !== "storage")) {
    throw new WeftError(`kvCache.offload: "${name}" is not a memory or storage group of the cluster`);
  }
  const perNode = group.capacity ?? 0;
  if (!(perNode > 0))
    throw new WeftError(`kvCache.offload: group "${name}" has no capacity; set capacity (e.g. 16TB)`);
  return { endpoints: info.endpoints, capacityBytes: perNode * group.nodes, usedBytes: 0 };
}

/** The engine's time for one mean-sized KV transfer, prefill instance 0 → decode instance 0, on an idle fabric. */
function kvTransferAlone(
  scenario: Scenario,
  deps: InferenceDeps,
  pools: PoolPlan[],
  req: RequestTable,
  w: InferenceWorkload,
): number {
  const [src, dst] = pools;
  let prompt = 0;
  for (let r = 0; r < req.count; r++) prompt += req.prompt[r];
  prompt /= req.count;
  const tokens = prompt - Math.min(Math.floor(prompt * w.kvCache.prefixHitRate), prompt - 1);
  const n = Math.max(src.tp, dst.tp);
  const flows = makeFlowSet(n);
  for (let k = 0; k < n; k++) {
    flows.src[k] = deps.fabric.accelerators.node[rankOf(src, 0, k % src.tp)];
    flows.dst[k] = deps.fabric.accelerators.node[rankOf(dst, 0, k % dst.tp)];
    flows.bytes[k] = (tokens * src.kvBytesPerToken) / n;
  }
  const options = { loadBalancing: scenario.cluster.transport.loadBalancing, seed: scenario.simulation.seed };
  return deps.engine(deps.fabric, deps.router, flows, options).makespan;
}

function runWarnings(sim: Sim, w: InferenceWorkload): string[] {
  const out: string[] = [];
  if (sim.recomputeCount > 0) {
    out.push(
      `${formatCount(sim.recomputeCount)} preemption(s) recomputed a sequence: the KV cache is too small for the load` +
        (w.kvCache.offload
          ? " and the offload tier was full"
          : " (add a kvCache.offload memory group to swap instead)"),
    );
  }
  return out;
}
