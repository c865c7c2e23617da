/**
 * The inference service: an inference-serving workload on a built fabric → InferenceResults. Plans the
 * pools (placement, memory), draws the requests, times steps with the compute model and the collective
 * model, and runs the serving simulation on a clock, with KV and offload transfers on a network.
 *
 * `startInferenceService` puts a service on a given clock and network (shared with other jobs, starting at
 * any time, on a job's accelerators); `simulateInference` runs one alone on its own clock and network, as
 * `workload: inference` does. docs/inference-model.md describes every formula.
 */

import { WeftError } from "../../errors.js";
import { readInputFile } from "../../files/read-input.js";
import type { InferenceResults } from "../../results/types.js";
import type { Router } from "../../routing/types.js";
import { parseTrace } from "../../scenario/request-trace.js";
import type { InferenceWorkload, Scenario } from "../../scenario/types.js";
import { type Clock, callAt, makeClock, runClock } from "../../sim/clock.js";
import type { LinkFailure } from "../../sim/engines/packet/params.js";
import { packetOptionsFor } from "../../sim/engines/packet/scenario-options.js";
import type { FlowEngine } from "../../sim/engines/types.js";
import { makeFlowSet } from "../../sim/flows.js";
import { makeFluidNetwork } from "../../sim/network/fluid.js";
import { makePacketNetwork } from "../../sim/network/packet.js";
import type { Network } from "../../sim/network/types.js";
import { fire, type Signal } from "../../sim/process.js";
import { type Fabric, LINK_TIER_NAMES } from "../../topology/fabric.js";
import { formatCount } from "../../units/format.js";
import { packetReport } from "../traffic/run.js";
import type { CommModel } from "../training/comm.js";
import { type PlacementWindow, type PoolPlan, planPools, rankOf } from "./pools.js";
import { type RequestRecords, requestRecords } from "./records.js";
import { makeRequests, type RequestTable } from "./requests.js";
import { checkAllFinished, startServing } from "./serve.js";
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

export interface InferenceDeps {
  fabric: Fabric;
  router: Router;
  /** Network engine for one-off transfer sets (the idle KV transfer time). */
  engine: FlowEngine;
  /** Collective timing for TP all-reduces and EP all-to-alls. */
  comm: CommModel;
  /** Packet fidelity: the scenario's failures resolved to links, failed at their time by the packet network. */
  linkFailures?: LinkFailure[];
}

export interface InferenceRun {
  results: InferenceResults;
  records: RequestRecords;
  pools: PoolPlan[];
  sim: Sim;
  /** Events the serving simulation handled (arrivals, batch and step ends, transfers landed). */
  events: number;
}

export interface InferenceServiceOptions {
  /**
   * Clock time the service starts at, seconds (default: the clock's now): request r arrives at
   * startS + its arrival time, and the results' times count from startS.
   */
  startS?: number;
  /**
   * The global accelerator ranks the service may use (a job's accelerators): contiguous, in one
   * accelerator group, which must be the group of every pool. The pools are placed inside them as they
   * would be inside the group, from the first one. Default: from each pool's group's first accelerator.
   */
  ranks?: readonly number[];
}

export interface InferenceService {
  /** Fires when the last request has finished. */
  done: Signal;
  /** The serving state as the clock runs it (what `finish` summarizes), for observers; not to be written. */
  sim: Sim;
  /**
   * The results, once the clock has run the service to its end (call it after `done` has fired; a
   * service with a request left unfinished stops with where that request is stuck). Times are relative
   * to startS. The first call builds them; later calls return the same run.
   */
  finish(): InferenceRun;
}

/** The serving run's results; `simulateInference` also returns the per-request records. */
export function runInference(scenario: Scenario, deps: InferenceDeps): InferenceResults {
  return simulateInference(scenario, deps).results;
}

/**
 * The scenario's inference workload alone: its own clock and a network of the scenario's fidelity (at
 * packet fidelity the KV and offload transfers are packets, and the results carry the packet counts), run
 * to the end.
 */
export function simulateInference(scenario: Scenario, deps: InferenceDeps): InferenceRun {
  const w = scenario.workload;
  if (w.kind !== "inference") throw new WeftError(`runInference needs an inference workload, got ${w.kind}`);
  const clock = makeClock();
  const fidelity = scenario.simulation.fidelity;
  const packets =
    fidelity === "packet"
      ? makePacketNetwork(
          clock,
          deps.fabric,
          deps.router,
          packetOptionsFor(scenario, deps.linkFailures ?? []),
        )
      : undefined;
  const net =
    packets ??
    makeFluidNetwork(clock, deps.fabric, deps.router, {
      fidelity: fidelity === "analytical" ? "analytical" : "flow",
      loadBalancing: scenario.cluster.transport.loadBalancing,
      seed: scenario.simulation.seed,
    });
  const service = startInferenceService(clock, net, 0, scenario, w, deps);
  runClock(clock);
  const run = service.finish();
  if (packets) run.results.packets = packetReport(deps.fabric, packets.packets());
  return run;
}

/**
 * Plans `workload`'s pools, draws its requests and schedules the service on `clock`, its KV and offload
 * transfers on `net` as flows of owner `tag` (0 for a lone service). Nothing runs until the clock does.
 * `scenario` gives the cluster (groups, offload tier), the fidelity named in the results and the
 * scenario's warnings; routing (load balancing, ECMP seed) is the network's. `deps.fabric` must be the
 * fabric `net` runs on, and `tag` one of the network's tags.
 */
export function startInferenceService(
  clock: Clock,
  net: Network,
  tag: number,
  scenario: Scenario,
  workload: InferenceWorkload,
  deps: InferenceDeps,
  options: InferenceServiceOptions = {},
): InferenceService {
  const started = performance.now();
  const w = workload;
  const startS = options.startS ?? clock.now;
  if (!(startS >= clock.now && Number.isFinite(startS))) {
    throw new WeftError(`an inference service cannot start at ${startS} s: the clock is at ${clock.now} s`);
  }
  const { fabric } = deps;
  if (net.fabric !== fabric)
    throw new WeftError("internal: an inference service's network runs on another fabric");
  if (!(Number.isInteger(tag) && tag >= 0 && tag < net.meetings.tags)) {
    throw new WeftError(`internal: owner tag ${tag} is outside the network's 0..${net.meetings.tags - 1}`);
  }
  const firsts = firstRanks(scenario, fabric);
  const window = options.ranks ? placementWindow(scenario, firsts, options.ranks) : undefined;
  const pools = planPools(scenario, w, firsts, window);
  const req = makeRequests(w.requests, w.requests.trace ? readTrace(w.requests.trace) : undefined);
  checkRequestsFit(req, pools);
  const prefillPool = pools[0];
  const instPool = pools[pools.length - 1];
  const prefillCost = makeStepCost(w.model, prefillPool, deps.comm, w.precision);
  const instCost = pools.length > 1 ? makeStepCost(w.model, instPool, deps.comm, w.precision) : prefillCost;
  const sim = makeSim({
    fabric,
    req,
    kvBytesPerToken: prefillPool.kvBytesPerToken,
    transferMode: w.kvCache.transfer,
    prefixHitRate: w.kvCache.prefixHitRate,
    clock,
    startS,
    net,
    tag,
    prefill: makePrefillState(prefillPool, prefillCost),
    inst: makeInstanceState(instPool, instCost),
    colocated: pools.length === 1,
    offload: offloadTarget(scenario, w, fabric),
  });
  startServing(sim);
  if (sim.n === 0) callAt(clock, startS, () => fire(clock, sim.done));
  let run: InferenceRun | undefined;
  return {
    done: sim.done,
    sim,
    finish() {
      if (run) return run;
      checkAllFinished(sim);
      relativeTimes(sim);
      const records = requestRecords(sim, w.slo);
      const warnings = [...(scenario.warnings ?? []), ...runWarnings(sim, w)];
      const tierBytes = LINK_TIER_NAMES.map((_, tier) => net.tierBytes(tag, tier));
      const results = summarize({
        scenario,
        workload: w,
        fabric,
        pools,
        sim,
        records,
        tierBytes,
        wallS: 0,
        warnings,
        ...(pools.length > 1 ? { kvTransferAloneS: kvTransferAlone(scenario, deps, pools, req, w) } : {}),
      });
      results.wallS = (performance.now() - started) / 1000;
      run = { results, records, pools, sim, events: sim.events };
      return run;
    },
  };
}

/** The request times the simulation kept on the clock, made relative to the service's start. */
function relativeTimes(sim: Sim): void {
  const t0 = sim.startS;
  if (t0 === 0) return;
  for (const a of [sim.tPrefillStart, sim.tPrefillEnd, sim.tKvStart, sim.tKvEnd, sim.tFirst, sim.tDone]) {
    for (let r = 0; r < a.length; r++) a[r] -= t0;
  }
}

/** The window of a job's accelerators: contiguous global ranks inside one accelerator group. */
function placementWindow(scenario: Scenario, firsts: number[], ranks: readonly number[]): PlacementWindow {
  const n = ranks.length;
  if (n === 0) throw new WeftError("an inference service needs at least one accelerator; the job has none");
  const r0 = ranks[0];
  for (let i = 1; i < n; i++) {
    if (ranks[i] !== r0 + i) {
      throw new WeftError(
        `an inference service's accelerators must be consecutive ranks; the job's jump from ${ranks[i - 1]} to ${ranks[i]}`,
      );
    }
  }
  const groups = scenario.cluster.groups;
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g];
    if (group.kind !== "accelerator") continue;
    const offset = r0 - firsts[g];
    if (offset >= 0 && offset + n <= group.nodes * group.acceleratorsPerNode) {
      return { groupIndex: g, offset, count: n };
    }
  }
  throw new WeftError(
    `an inference service's accelerators must lie in one accelerator group; the job's ranks ${r0}..${r0 + n - 1} do not`,
  );
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

/**
 * Every request must fit alone in the KV cache of the attention replica that holds it (an instance's cache
 * is dp replicas' caches, and a request's KV lives on one), or it would never run.
 */
function checkRequestsFit(req: RequestTable, pools: PoolPlan[]): void {
  let worst = 0;
  let worstPrompt = 0;
  for (let r = 0; r < req.count; r++) {
    if (req.prompt[r] + req.output[r] > req.prompt[worst] + req.output[worst]) worst = r;
    if (req.prompt[r] > req.prompt[worstPrompt]) worstPrompt = r;
  }
  const hold = pools[pools.length - 1];
  const need = req.prompt[worst] + req.output[worst];
  const limit = Math.floor((hold.kvCapacityTokens / hold.dp) * (1 - KV_WATERMARK));
  if (need > limit) {
    throw new WeftError(
      `request ${worst} needs ${formatCount(need)} tokens of KV cache (prompt ${formatCount(req.prompt[worst])} + output ` +
        `${formatCount(req.output[worst])}); ${holder(hold)} holds ${formatCount(limit)}. Use more accelerators per ` +
        "instance or shorter requests",
    );
  }
  const p = pools[0];
  const prefillLimit = p.kvCapacityTokens / p.dp;
  if (pools.length > 1 && req.prompt[worstPrompt] > prefillLimit) {
    throw new WeftError(
      `request ${worstPrompt} has a ${formatCount(req.prompt[worstPrompt])}-token prompt; ${holder(p)} holds ` +
        `${formatCount(prefillLimit)} tokens of KV cache`,
    );
  }
}

/** What holds one request's KV: an instance, or one attention replica of it. */
function holder(p: PoolPlan): string {
  const instance = `${p.role} instance (${p.perInstance} × ${p.accelerator.id}, tp ${p.tp}`;
  return p.dp > 1 ? `one attention replica of a ${instance}, dp ${p.dp})` : `one ${instance})`;
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
