/**
 * From a finished serving simulation to the results a user reads: latency percentiles, throughput,
 * goodput, what it costs, and how much of the latency is the network and why.
 *
 *   throughput        = output tokens / (last completion − first arrival)
 *   per node          = throughput / nodes holding the pools' accelerators (whole nodes, each counted once)
 *   goodput fraction  = requests with TTFT ≤ slo.ttft and TPOT ≤ slo.tpot / requests
 *   cost / 1M tokens  = Σ pools (accelerators × group price per hour) × makespan / output tokens × 1e6
 *   network share     = Σ requests (exposed KV transfer + TP + EP time + transfers waited on while
 *                       decoding) / Σ requests end-to-end latency
 */

import { modelParameters } from "../../model/param-summary.js";
import { p50p99, quantiles } from "../../results/percentiles.js";
import type { InferencePoolSummary, InferenceResults } from "../../results/types.js";
import type { InferenceWorkload, Scenario } from "../../scenario/types.js";
import { type Fabric, LINK_TIER_NAMES } from "../../topology/fabric.js";
import { fabricSummary } from "../../topology/summary.js";
import { meanLength } from "./lengths.js";
import { type PoolPlan, rankOf } from "./pools.js";
import type { RequestRecords } from "./records.js";
import type { Sim } from "./serve-state.js";

export interface SummaryInputs {
  scenario: Scenario;
  workload: InferenceWorkload;
  fabric: Fabric;
  pools: PoolPlan[];
  sim: Sim;
  records: RequestRecords;
  /** Bytes × links the service's transfers were routed over, by link tier (LINK_TIER_NAMES order). */
  tierBytes: readonly number[];
  wallS: number;
  warnings: string[];
  kvTransferAloneS?: number;
}

export function summarize(x: SummaryInputs): InferenceResults {
  const { sim, records: rec, pools, workload: w } = x;
  const n = rec.count;
  let completed = 0;
  let outputTokens = 0;
  let good = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  const sums = { ttft: 0, kv: 0, tp: 0, ep: 0, decode: 0, dTp: 0, dEp: 0, dXfer: 0, e2e: 0 };
  for (let r = 0; r < n; r++) {
    if (rec.arrival[r] < first) first = rec.arrival[r];
    if (!Number.isFinite(rec.e2eS[r])) continue;
    completed++;
    outputTokens += rec.output[r];
    good += rec.meetsSlo[r];
    if (sim.tDone[r] > last) last = sim.tDone[r];
    sums.ttft += rec.ttftS[r];
    sums.kv += sim.kvExposed[r];
    sums.tp += sim.ttftTp[r];
    sums.ep += sim.ttftEp[r];
    sums.decode += sim.tDone[r] - sim.tFirst[r];
    sums.dTp += sim.decTp[r];
    sums.dEp += sim.decEp[r];
    sums.dXfer += sim.decXfer[r];
    sums.e2e += rec.e2eS[r];
  }
  const makespan = completed > 0 ? last - first : 0;
  const throughput = makespan > 0 ? outputTokens / makespan : 0;
  const servers = pools.map((p) => poolServers(p, x.fabric));
  const poolSummaries = pools.map((p, k) => poolSummary(p, servers[k].size, sim, w, makespan));
  const accelerators = poolSummaries.reduce((s, p) => s + p.accelerators, 0);
  // pools can share a node (prefill and decode on one 8-GPU server): count it once
  const nodes = new Set(servers.flatMap((s) => [...s])).size;
  const costPerHour = poolSummaries.reduce((s, p) => s + p.costUsdPerHour, 0);
  const network = sums.kv + sums.tp + sums.ep + sums.dTp + sums.dEp + sums.dXfer;
  const tiers: Record<string, number> = {};
  LINK_TIER_NAMES.forEach((name, i) => {
    tiers[name] = x.tierBytes[i];
  });
  return {
    kind: "inference",
    scenario: x.scenario.name,
    fidelity: x.scenario.simulation.fidelity,
    wallS: x.wallS,
    fabric: fabricSummary(x.fabric),
    warnings: x.warnings,
    parameters: modelParameters(w.model),
    ttftS: p50p99(rec.ttftS),
    tpotS: p50p99(rec.tpotS),
    throughputTokensPerS: throughput,
    goodputFraction: n > 0 ? good / n : 0,
    kvTransferS: sim.colocated ? { p50: 0, p99: 0 } : p50p99(rec.kvTransferS),
    networkShareOfLatency: ratio(network, sums.e2e),
    requests: n,
    completed,
    makespanS: makespan,
    outputTokens,
    requestsPerS: makespan > 0 ? completed / makespan : 0,
    e2eS: p50p99(rec.e2eS),
    queueS: p50p99(rec.queueS),
    distributions: {
      ttftS: quantiles(rec.ttftS),
      tpotS: quantiles(rec.tpotS),
      e2eS: quantiles(rec.e2eS),
    },
    throughputPerAcceleratorTokensPerS: accelerators > 0 ? throughput / accelerators : 0,
    throughputPerNodeTokensPerS: nodes > 0 ? throughput / nodes : 0,
    costUsdPerHour: costPerHour,
    costPerMillionOutputTokensUsd:
      outputTokens > 0 ? (costPerHour * makespan) / 3600 / (outputTokens / 1e6) : 0,
    ttftNetworkShare: {
      kvTransfer: ratio(sums.kv, sums.ttft),
      tp: ratio(sums.tp, sums.ttft),
      ep: ratio(sums.ep, sums.ttft),
    },
    tpotNetworkShare: {
      tp: ratio(sums.dTp, sums.decode),
      ep: ratio(sums.dEp, sums.decode),
      kvTransfer: ratio(sums.dXfer, sums.decode),
    },
    ...(x.kvTransferAloneS !== undefined ? { kvTransferAloneS: x.kvTransferAloneS } : {}),
    kvBytesMoved: sim.kvBytesMoved,
    offloadBytesMoved: sim.offloadBytesMoved,
    transferBytesByTier: tiers,
    preemptions: sim.preemptionCount,
    recomputes: sim.recomputeCount,
    pools: poolSummaries,
  };
}

/** The servers (nodes) holding pool p's accelerators, as placement put its instances (pools.ts). */
function poolServers(p: PoolPlan, fabric: Fabric): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < p.instances; i++) {
    for (let k = 0; k < p.perInstance; k++) out.add(fabric.accelerators.server[rankOf(p, i, k)]);
  }
  return out;
}

function poolSummary(
  p: PoolPlan,
  nodes: number,
  sim: Sim,
  w: InferenceWorkload,
  makespan: number,
): InferencePoolSummary {
  const accelerators = p.instances * p.perInstance;
  const busy = p.role === "prefill" ? sim.prefill.busyS : sim.inst.busyS;
  let busyS = 0;
  for (let i = 0; i < busy.length; i++) busyS += busy[i];
  const meanSeq = meanLength(w.requests.promptTokens) + meanLength(w.requests.outputTokens);
  return {
    role: p.role,
    group: p.group.name,
    accelerator: p.accelerator.id,
    instances: p.instances,
    tp: p.tp,
    ep: p.ep,
    dp: p.dp,
    maxBatch: p.maxBatch,
    accelerators,
    nodes,
    weightsPerAcceleratorBytes: p.weightsPerAcceleratorBytes,
    kvCapacityTokens: p.kvCapacityTokens,
    // a sequence's KV lives on one attention replica, so each replica holds whole sequences
    batchCapacity: Math.min(p.maxBatch, p.dp * Math.floor(p.kvCapacityTokens / p.dp / meanSeq)),
    utilization: makespan > 0 ? busyS / (p.instances * makespan) : 0,
    costUsdPerHour: accelerators * p.group.priceUsdPerHour,
  };
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}
