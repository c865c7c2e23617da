/**
 * `workload.traffic`: builds the pattern's flows over the fabric's endpoints, runs them on the chosen engine
 * (analytical, flow or packet — the same flows either way) and reports per-flow completion times, their
 * p50 / p99 / max, and with the packet engine its packet statistics (retransmissions, trims, drops, PFC
 * pauses, ECN marks, per-queue occupancy maxima).
 */

import { percentile } from "../../results/percentiles.js";
import type {
  FlowRecord,
  LinkUtilization,
  PacketSummary,
  QueueMax,
  TrafficResults,
} from "../../results/types.js";
import type { Router } from "../../routing/types.js";
import type { Fidelity, Scenario, TrafficWorkload } from "../../scenario/types.js";
import { engineFor, type FlowEngine } from "../../sim/engines/index.js";
import {
  type PacketEngineResult,
  type PacketStats,
  type QueueTrace,
  runPacketEngine,
} from "../../sim/engines/packet/engine.js";
import type { LinkFailure, PacketEngineOptions } from "../../sim/engines/packet/params.js";
import { ackTimerOf, packetOptionsFor, wireModelOf } from "../../sim/engines/packet/scenario-options.js";
import { routeFlows } from "../../sim/engines/routes.js";
import type { FlowSet, FlowSetResult } from "../../sim/flows.js";
import { type Fabric, LINK_TIER_NAMES } from "../../topology/fabric.js";
import { fabricSummary } from "../../topology/summary.js";
import { formatTime } from "../../units/format.js";
import { ackWaitPastTimer, ackWaitWarning } from "./ack-wait.js";
import { trafficFlows } from "./patterns.js";

/** An engine by fidelity, or any engine function with the fluid engines' signature. */
export type TrafficEngine = Fidelity | FlowEngine;

export interface TrafficOptions {
  /** Sample the packet engine's per-queue occupancy (returned by `simulateTraffic`). */
  trace?: boolean;
  /** Sampling interval of the trace, seconds (default 1 us). */
  traceIntervalS?: number;
  /** Links that fail during a packet run (the scenario's failures, resolved by src/control); none if absent. */
  failures?: LinkFailure[];
  /** Packet fidelity: progress, and a way to stop early (the result is then marked partial). */
  onTick?: PacketEngineOptions["onTick"];
}

export type { QueueMax };
export type PacketReport = PacketSummary;

/** The traffic run's results. */
export function runTraffic(
  scenario: Scenario,
  fabric: Fabric,
  router: Router,
  engine: TrafficEngine = scenario.simulation.fidelity,
  options: TrafficOptions = {},
): TrafficResults {
  return simulateTraffic(scenario, fabric, router, engine, options).results;
}

/** The traffic run's results and, with `trace` at packet fidelity, the queue occupancy samples. */
export function simulateTraffic(
  scenario: Scenario,
  fabric: Fabric,
  router: Router,
  engine: TrafficEngine = scenario.simulation.fidelity,
  options: TrafficOptions = {},
): { results: TrafficResults; trace?: QueueTrace } {
  const started = performance.now();
  const workload = scenario.workload as TrafficWorkload;
  const { flows, ids, srcIndex, dstIndex } = trafficFlows(workload, fabric, scenario.simulation.seed);
  const warnings: string[] = [];
  let result: FlowSetResult;
  let packets: PacketEngineResult | undefined;
  if (engine === "packet") {
    const interval = options.trace ? (options.traceIntervalS ?? 1e-6) : undefined;
    const packetOptions = {
      ...packetOptionsFor(scenario, options.failures ?? [], interval),
      onTick: options.onTick,
    };
    packets = runPacketEngine(fabric, router, flows, packetOptions);
    if (packets.packets.stopped)
      warnings.push(
        `partial: the run was stopped at ${formatTime(packets.packets.simulatedS)} simulated; flows that had not finished are in unfinishedFlows`,
      );
    result = packets;
  } else {
    const run = typeof engine === "string" ? engineFor(engine) : engine;
    result = run(fabric, router, flows, {
      loadBalancing: scenario.cluster.transport.loadBalancing,
      seed: scenario.simulation.seed,
      // the links' bytes from the engine's own routes (no second routing for the loads)
      linkBytes: engine === "flow",
      // Flow completion times as the packet engine reports them: headers, window, the last ack.
      ...(engine === "flow" ? { wire: wireModelOf(scenario, fabric, router, true) } : {}),
    });
    if (options.trace) warnings.push("--trace needs the packet engine (fidelity: packet); no trace written");
    // The flow engine has no retransmission timer: say where a packet transport's would fire for nothing.
    if (engine === "flow") {
      const timer = ackTimerOf(scenario, fabric, router);
      const wait = ackWaitPastTimer(fabric, flows, result.finish, timer);
      if (wait) warnings.push(ackWaitWarning(wait, timer));
    }
  }
  const records: FlowRecord[] = [];
  const unfinished: Omit<FlowRecord, "finishUs" | "fctUs">[] = [];
  const fcts: number[] = [];
  for (let f = 0; f < flows.count; f++) {
    const startUs = flows.start[f] * 1e6;
    const finishUs = result.finish[f] * 1e6;
    const fctUs = finishUs - startUs;
    const flow = { id: ids[f], src: srcIndex[f], dst: dstIndex[f], bytes: flows.bytes[f], startUs };
    if (Number.isFinite(fctUs)) {
      fcts.push(fctUs);
      records.push({ ...flow, finishUs, fctUs });
    } else {
      unfinished.push(flow);
    }
  }
  if (unfinished.length > 0) {
    warnings.push(
      `${unfinished.length} flow(s) never finished (no live route after failures, or the time limit); see unfinishedFlows`,
    );
  }
  const out: TrafficResults = {
    kind: "traffic",
    scenario: scenario.name,
    fidelity: typeof engine === "string" ? engine : scenario.simulation.fidelity,
    wallS: (performance.now() - started) / 1000,
    fabric: fabricSummary(fabric),
    warnings: [...(scenario.warnings ?? []), ...warnings],
    flows: records,
    fctUs: fctPercentiles(fcts),
  };
  if (unfinished.length > 0) out.unfinishedFlows = unfinished;
  // How the flow engine shared contended links (docs/flow-model.md): results of the two are not comparable.
  if (engine === "flow") out.sharing = scenario.simulation.sharing;
  // Link loads where the engine shares links (flow, packet); the analytical one times each flow alone.
  if (engine === "flow" && result.linkBytes)
    out.linkUtilization = linkUtilization(fabric, result.linkBytes, flows.start, result.finish);
  if (packets) out.linkUtilization = packetUtilization(scenario, fabric, router, flows, result.finish);
  if (packets) out.packets = packetReport(fabric, packets.packets);
  if (packets?.packets.stopped) out.partial = true;
  return { results: out, ...(packets?.trace ? { trace: packets.trace } : {}) };
}

/**
 * The packet engine's link loads, estimated from the routes: each finished flow's payload split as its
 * route splits it (a sprayed flow's expected share per path; with failures, the routes before any
 * reroute), capped at line rate. Unfinished flows (a run stopped early, no live route) are left out: what
 * they moved is not known.
 */
function packetUtilization(
  scenario: Scenario,
  fabric: Fabric,
  router: Router,
  flows: FlowSet,
  finish: Float64Array,
): LinkUtilization {
  const routes = routeFlows(fabric, router, flows, {
    loadBalancing: scenario.cluster.transport.loadBalancing,
    seed: scenario.simulation.seed,
  });
  const bytes = new Float64Array(fabric.links.count);
  for (let f = 0; f < routes.count; f++) {
    if (!Number.isFinite(finish[f])) continue;
    for (let e = routes.start[f]; e < routes.start[f + 1]; e++)
      bytes[routes.link[e]] += flows.bytes[f] * routes.weight[e];
  }
  const u = linkUtilization(fabric, bytes, flows.start, finish);
  u.utilization = u.utilization.map((x) => Math.min(1, x));
  return u;
}

/**
 * Each loaded link's bytes over its bandwidth × the run (first start to last finish), to 4 significant
 * digits. With the packet engine the bytes are the routes' (payload × route weight), as the fluid engines
 * count them: retransmissions and headers are not in it.
 */
export function linkUtilization(
  fabric: Fabric,
  bytes: Float64Array,
  start: Float64Array,
  finish: Float64Array,
): LinkUtilization {
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (let f = 0; f < finish.length; f++) {
    if (!Number.isFinite(finish[f])) continue;
    first = Math.min(first, start[f]);
    last = Math.max(last, finish[f]);
  }
  const out: LinkUtilization = { links: fabric.links.count, index: [], utilization: [] };
  const span = last - first;
  if (!(span > 0)) return out;
  for (let l = 0; l < bytes.length; l++) {
    if (!(bytes[l] > 0)) continue;
    out.index.push(l);
    out.utilization.push(Number((bytes[l] / (fabric.links.bandwidth[l] * span)).toPrecision(4)));
  }
  return out;
}

/** p50 and p99 by the one percentile definition of every report (src/results/percentiles.ts), and the maximum. */
export function fctPercentiles(values: number[]): { p50: number; p99: number; max: number } {
  if (values.length === 0) return { p50: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] };
}

/** Packet statistics for the results: queues that ever held a byte, fullest first. */
export function packetReport(fabric: Fabric, stats: PacketStats): PacketReport {
  const { from, to, tier } = fabric.links;
  const names = fabric.nodes.names;
  const queueMaxBytes: QueueMax[] = [];
  stats.queueMaxBytes.forEach((maxBytes, l) => {
    if (maxBytes > 0) {
      queueMaxBytes.push({
        queue: `${names[from[l]]}->${names[to[l]]}`,
        tier: LINK_TIER_NAMES[tier[l]],
        maxBytes,
      });
    }
  });
  queueMaxBytes.sort((a, b) => b.maxBytes - a.maxBytes || a.queue.localeCompare(b.queue));
  return { ...stats, queueMaxBytes };
}
