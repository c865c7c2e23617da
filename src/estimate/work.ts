/**
 * The work and memory a run will take, estimated from the scenario before anything is built: the fabric's
 * links, the flows each engine times, the packets and events of a packet simulation, the requests of a
 * serving simulation. The rates are this project's own measured throughputs (docs/benchmarks.md), rounded
 * down so that the estimate errs long; docs/limits.md gives each formula.
 */

import { kvBytesPerToken } from "../model/kv.js";
import { parameterCount } from "../model/params.js";
import type { Fidelity, Scenario, TrafficWorkload, Workload } from "../scenario/types.js";
import { meanLength } from "../workload/inference/lengths.js";
import { readConnectionMatrix } from "../workload/traffic/connection-matrix.js";
import { type FabricSize, fabricSize } from "./size.js";

/** Seconds and bytes per unit of work (measured on a 2-core machine, rounded so estimates err long). */
export const RATES = {
  /** Building, routing and pricing the fabric: per directed link (1M accelerators, 8M links: ~100 s). */
  linkSeconds: 1e-5,
  linkBytes: 180,
  /** A flow timed by the analytical engine. */
  analyticalFlowSeconds: 1e-6,
  /**
   * A flow through the max-min fluid engine (200 k flows/s; the benches run 28–377 k), up to 65,536
   * flows at once; beyond, each flow costs in proportion to how many share the fabric with it (a
   * 1,000,000-rank all-reduce did not finish in 600 s where a linear rate predicts 170 s).
   */
  flowSeconds: 5e-6,
  flowsAtOnceLinear: 65_536,
  flowBytes: 200,
  /**
   * A packet through the packet engine: 100 k packets/s, 17 events each. The permutation bench runs 284 k;
   * a collective's phases run slower (quickstart.yaml at packet fidelity: ~8 M packets in 132 s).
   */
  packetSeconds: 1e-5,
  eventsPerPacket: 17,
  /** A packet in flight (pool slot and queue entry) and a flow's sender/receiver state. */
  packetBytes: 64,
  packetFlowBytes: 400,
  /** A serving-simulation event (600 k events/s; the 100k-request bench runs 638 k). */
  servingEventSeconds: 1.6e-6,
  /** A request's serving state and its transfers' flow state on the shared network (the 100k-request bench: ~350 MiB). */
  requestBytes: 2200,
} as const;

export interface RunLimits {
  seconds: number;
  bytes: number;
}

/** Above either limit a run stops before it starts, unless forced. */
export const RUN_LIMITS: RunLimits = { seconds: 300, bytes: 3 * 2 ** 30 };

export interface Estimate {
  fidelity: Fidelity;
  fabric: FabricSize;
  /** Flows the engine times over the whole run. */
  flows: number;
  /** Packet fidelity: data packets simulated, and events. */
  packets: number;
  events: number;
  /** Inference: requests served. */
  requests: number;
  seconds: number;
  bytes: number;
  /** The scenario key whose value drives the estimate most (for the error's position). */
  driver: string;
}

interface Work {
  flows: number;
  /** Flows alive at once (their state is held together). */
  concurrentFlows: number;
  /** Bytes the packet engine would carry (0 unless it runs). */
  packetBytes: number;
  requests: number;
  servingEvents: number;
  driver: string;
}

export function estimateRun(scenario: Scenario): Estimate {
  const fidelity = scenario.simulation.fidelity;
  const fabric = fabricSize(scenario);
  const work = scenarioWork(scenario, fabric);
  const mss = Math.max(1, scenario.cluster.transport.mtu - 64);
  const packets = fidelity === "packet" ? work.packetBytes / mss + work.flows : 0;
  const events = packets * RATES.eventsPerPacket + work.servingEvents;
  const flowSeconds =
    fidelity === "analytical" ? RATES.analyticalFlowSeconds : fidelity === "flow" ? RATES.flowSeconds : 0;
  const fabricSeconds = fabric.links * RATES.linkSeconds;
  const crowding = fidelity === "flow" ? Math.max(1, work.concurrentFlows / RATES.flowsAtOnceLinear) : 1;
  const seconds =
    fabricSeconds +
    work.flows * flowSeconds * crowding +
    packets * RATES.packetSeconds +
    work.servingEvents * RATES.servingEventSeconds;
  const perFlow = fidelity === "packet" ? RATES.packetFlowBytes : RATES.flowBytes;
  const inFlight = fidelity === "packet" ? Math.min(packets, fabric.links * 64) * RATES.packetBytes : 0;
  const bytes =
    fabric.links * RATES.linkBytes +
    work.concurrentFlows * perFlow +
    inFlight +
    work.requests * RATES.requestBytes;
  const driver = fabricSeconds * 2 > seconds ? largestGroup(scenario) : work.driver;
  return {
    fidelity,
    fabric,
    flows: work.flows,
    packets,
    events,
    requests: work.requests,
    seconds,
    bytes,
    driver,
  };
}

/** `cluster.groups.<i>.nodes` of the group with the most links. */
function largestGroup(scenario: Scenario): string {
  const groups = scenario.cluster.groups;
  let best = 0;
  groups.forEach((g, i) => {
    const size = (x: typeof g) => x.nodes * Math.max(x.acceleratorsPerNode, x.nics.count);
    if (size(g) > size(groups[best])) best = i;
  });
  return `cluster.groups.${best}.nodes`;
}

/**
 * The one workload's work, or with `jobs:` every job's, each for its steps and on its own accelerators,
 * twice over: a job that met another runs again alone.
 */
function scenarioWork(scenario: Scenario, fabric: FabricSize): Work {
  if (!scenario.jobs) return workloadWork(scenario.workload, fabric, fabric.accelerators, "workload.");
  const total: Work = {
    flows: 0,
    concurrentFlows: 0,
    packetBytes: 0,
    requests: 0,
    servingEvents: 0,
    driver: "jobs",
  };
  let most = -1;
  scenario.jobs.forEach((job, i) => {
    const w = workloadWork(job.workload, fabric, job.ranks.length, `jobs.${i}.`);
    const runs = 2 * Math.max(1, job.steps);
    total.flows += runs * w.flows;
    total.concurrentFlows += w.concurrentFlows;
    total.packetBytes += runs * w.packetBytes;
    total.requests += w.requests;
    total.servingEvents += 2 * w.servingEvents;
    const size = w.flows + w.packetBytes / 4096 + w.servingEvents;
    if (size > most) {
      most = size;
      total.driver = w.driver;
    }
  });
  return total;
}

/** Work of workload `w` on `accelerators` of the fabric; `at` is where it sits in the scenario. */
function workloadWork(w: Workload, fabric: FabricSize, accelerators: number, at: string): Work {
  switch (w.kind) {
    case "collective": {
      // Each size is tuned over up to three candidate algorithms, each one or two distinct phases of one
      // flow per rank; a phase moves about the message size in all (phases × repeat).
      const ranks = typeof w.ranks === "number" ? w.ranks : accelerators;
      const candidates = w.algorithm === "auto" ? 3 : 1;
      const perSize = 2 * candidates;
      const total = w.sizes.reduce((s, x) => s + x, 0);
      return {
        flows: w.sizes.length * ranks * perSize,
        concurrentFlows: ranks * 2,
        packetBytes: total * perSize,
        requests: 0,
        servingEvents: 0,
        driver: `${at}collective.sizes`,
      };
    }
    case "training": {
      // Every collective kind (tp, pp, dp, ep, cp) with every copy of its group, on the fabric and on its
      // non-blocking twin: about eight flows per accelerator, twice.
      const p = w.parallelism;
      const m = w.model;
      const params = parameterCount(m).total;
      const perRank =
        (2 * params * 2) / (p.tp * p.pp * p.dp) + (4 * w.microBatch * m.seqLength * m.hidden * 2) / p.tp;
      return {
        flows: 2 * 8 * accelerators,
        concurrentFlows: 8 * accelerators,
        packetBytes: 2 * perRank * accelerators,
        requests: 0,
        servingEvents: 0,
        driver: `${at}training`,
      };
    }
    case "inference": {
      const r = w.requests;
      const output = meanLength(r.outputTokens);
      const prompt = meanLength(r.promptTokens);
      const disaggregated = w.decode !== undefined;
      return {
        flows: disaggregated ? r.count : 0,
        concurrentFlows: disaggregated ? Math.min(r.count, 65_536) : 0,
        packetBytes: disaggregated ? r.count * prompt * kvBytesPerToken(w.model) : 0,
        requests: r.count,
        servingEvents: r.count * (4 + output / 8),
        driver: `${at}inference.requests`,
      };
    }
    case "traffic":
      return trafficWork(w, at === "workload." ? fabric.endpoints : accelerators, at);
  }
}

function trafficWork(w: TrafficWorkload, e: number, at: string): Work {
  let flows: number;
  let bytes: number;
  if (w.pattern === "file" && w.file) {
    const m = readConnectionMatrix(w.file);
    flows = m.connections.length;
    bytes = m.connections.reduce((s, c) => s + c.bytes, 0);
  } else {
    flows = w.pattern === "all-to-all" ? e * (e - 1) : w.pattern === "incast" ? (w.senders ?? e - 1) : e;
    bytes = flows * w.size;
  }
  return {
    flows,
    concurrentFlows: flows,
    packetBytes: bytes,
    requests: 0,
    servingEvents: 0,
    driver: `${at}traffic.${w.pattern === "file" ? "file" : "pattern"}`,
  };
}
