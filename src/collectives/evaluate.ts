/**
 * Timing a schedule. One step of a phase costs the transfer time of its flows, each flow's bytes divided by
 * its efficiency (protocol × tier × algorithm, protocol.ts). That transfer time comes either from an engine
 * (the flow engine shares every link max-min fairly; its makespan less the path latency) or in closed
 * form: each rank's own links — its scale-up port, the direct links of a mesh, its PCIe link to a shared
 * NIC, and each NIC port (shared by the ranks behind it) — carry the sum of their flows, the step lasts as
 * long as the most loaded of them, and shared fabric links (leaf uplinks, spines) are assumed not to
 * contend. Where nothing contends the two agree; the closed form costs microseconds at any
 * scale. Latency is charged per step as α, each step paying max(α of its protocol and tier, path latency
 * of its tier).
 *
 * Collective time = base latency + Σ phases [ Σ_steps α + (repeat + fillSteps)·transfer ].
 */
import type { FlowSet } from "../sim/flows.js";
import type { RankLayout } from "./layout.js";
import { efficiency, MODEL } from "./protocol.js";
import { loadsOfFlows, type StepLoads, TIER_CODE, TIER_OF_CODE, tierOf } from "./step.js";
import type { CollectiveContext, Phase, PhaseTime, Protocol } from "./types.js";

const loadCache = new WeakMap<FlowSet, StepLoads>();

/** The rank loads of a phase's step (carried by sketches, derived from flows otherwise). */
export function phaseLoads(layout: RankLayout, phase: Phase): StepLoads {
  if (phase.loads) return phase.loads;
  let loads = loadCache.get(phase.flows);
  if (!loads) {
    loads = loadsOfFlows(layout, phase.flows);
    loadCache.set(phase.flows, loads);
  }
  return loads;
}

/** The flows with wire bytes: payload / efficiency of the flow's tier under the protocol. */
export function wireFlows(
  layout: RankLayout,
  flows: FlowSet,
  protocol: Protocol,
  algorithmEfficiency = 1,
): FlowSet {
  const inv = TIER_OF_CODE.map((t) => 1 / (efficiency(t, protocol) * algorithmEfficiency));
  const bytes = new Float64Array(flows.count);
  for (let i = 0; i < flows.count; i++)
    bytes[i] = flows.bytes[i] * inv[tierOf(layout, flows.src[i], flows.dst[i])];
  return { count: flows.count, src: flows.src, dst: flows.dst, bytes, start: flows.start };
}

const simpleCache = new WeakMap<StepLoads, number>();

/**
 * Closed-form transfer time of one step (latency excluded): wire bytes on the most loaded rank link / its
 * rate. Protocols scale every tier alike, so the Simple time is computed once and divided.
 */
export function closedFormStep(layout: RankLayout, loads: StepLoads, protocol: Protocol): number {
  let simple = simpleCache.get(loads);
  if (simple === undefined) {
    simple = simpleStep(layout, loads);
    simpleCache.set(loads, simple);
  }
  return simple / MODEL.protocolEfficiency[protocol];
}

function simpleStep(layout: RankLayout, loads: StepLoads): number {
  const inv = TIER_OF_CODE.map((t) => 1 / efficiency(t, "Simple"));
  const [su, so, iu, io] = loads.rank;
  const { portStart, portIndex, portShare } = layout;
  const ports = [
    new Float64Array(layout.portBandwidth.length),
    new Float64Array(layout.portBandwidth.length),
  ];
  let worst = 0;
  for (let p = 0; p < layout.n; p++) {
    const up = Math.max(su[0][p] * inv[0] + iu[0][p] * inv[2], su[1][p] * inv[0] + iu[1][p] * inv[2]);
    if (up > 0) worst = Math.max(worst, up / layout.upBandwidth[p]);
    for (let dir = 0; dir < 2; dir++) {
      const out = so[dir][p] * inv[1] + io[dir][p] * inv[3];
      if (out === 0) continue;
      // Over PCIe to a NIC, then the NIC port, shared with the other ranks behind it.
      worst = Math.max(worst, out / layout.hostBandwidth[p]);
      for (let k = portStart[p]; k < portStart[p + 1]; k++) ports[dir][portIndex[k]] += out * portShare[k];
    }
  }
  for (let k = 0; k < layout.portBandwidth.length; k++) {
    const load = Math.max(ports[0][k], ports[1][k]);
    if (load > 0) worst = Math.max(worst, load / layout.portBandwidth[k]);
  }
  if (loads.direct) {
    for (const [link, bytes] of loads.direct) {
      worst = Math.max(worst, (bytes * inv[TIER_CODE.scaleUp]) / layout.fabric.links.bandwidth[link]);
    }
  }
  return worst;
}

/** One-way path latency of a step tier for these ranks. */
function tierLatency(layout: RankLayout, code: number): number {
  const lat = layout.latency;
  return [lat.up, lat.out, lat.incUp, lat.incOut][code];
}

/** The longest path latency among a step's transfers (by the tiers they run on). */
export function stepPathLatency(layout: RankLayout, loads: StepLoads): number {
  let latency = 0;
  for (let t = 0; t < 4; t++)
    if (loads.present & (1 << t)) latency = Math.max(latency, tierLatency(layout, t));
  return latency;
}

/** Transfer time of one step of a phase under a protocol. */
export type StepTimer = (phase: Phase, protocol: Protocol) => number;

export function closedFormTimer(layout: RankLayout): StepTimer {
  return (phase, protocol) =>
    closedFormStep(layout, phaseLoads(layout, phase), protocol) / (phase.efficiency ?? 1);
}

/** The context's engine on the phase's flows (phases must carry flows, not only loads). */
export function engineTimer(layout: RankLayout, ctx: CollectiveContext): StepTimer {
  const memo = new WeakMap<FlowSet, Map<Protocol, number>>();
  return (phase, protocol) => {
    let byProtocol = memo.get(phase.flows);
    if (!byProtocol) {
      byProtocol = new Map();
      memo.set(phase.flows, byProtocol);
    }
    let t = byProtocol.get(protocol);
    if (t === undefined) {
      const result = ctx.engine(
        ctx.fabric,
        ctx.router,
        wireFlows(layout, phase.flows, protocol, phase.efficiency),
        {
          loadBalancing: ctx.loadBalancing,
          seed: ctx.seed,
        },
      );
      // The per-step latency is charged as α (at least the path latency): keep only the transfer here.
      t = Math.max(0, result.makespan - stepPathLatency(layout, phaseLoads(layout, phase)));
      byProtocol.set(protocol, t);
    }
    return t;
  };
}

/**
 * Σ α over the phase's latency steps; a step costs at least the path latency of its tier (NCCL's α
 * already includes the wire on an ordinary fabric; a slower path raises it).
 */
export function phaseAlpha(layout: RankLayout, phase: Phase, protocol: Protocol): number {
  let total = 0;
  for (const tier of TIER_OF_CODE) {
    const count = phase.alphaCounts[tier];
    if (count > 0) {
      total += count * Math.max(MODEL.stepLatencyS[tier][protocol], tierLatency(layout, TIER_CODE[tier]));
    }
  }
  return total;
}

/** Time of a list of protocol-independent phases under a protocol, with each phase's share. */
export function timePhases(
  layout: RankLayout,
  phases: Phase[],
  protocol: Protocol,
  step: StepTimer,
): { timeS: number; phases: PhaseTime[] } {
  const base = layout.n > 1 && phases.length > 0 ? MODEL.baseLatencyS[protocol] : 0;
  let total = base;
  const out: PhaseTime[] = [];
  for (const phase of phases) {
    const t = phaseAlpha(layout, phase, protocol) + (phase.repeat + phase.fillSteps) * step(phase, protocol);
    total += t;
    out.push({ label: phase.label, timeS: t, tier: tierName(layout, phase.tier) });
  }
  return { timeS: total, phases: out };
}

function tierName(layout: RankLayout, tier: Phase["tier"]): string {
  if (tier === "scaleUp" || tier === "inNetworkUp") return "scaleUp";
  if (tier === "inNetworkOut") return "leaf";
  return layout.outTier;
}
