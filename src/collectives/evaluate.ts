/**
 * Timing a schedule. One step of a phase costs the network time of its flows, each flow's bytes divided by
 * its efficiency (protocol × tier, protocol.ts). That network time comes either from an engine (the flow
 * engine shares every link max-min fairly) or in closed form: each rank's own links — scale-up port,
 * NIC share, or the direct links of a mesh — carry the sum of its flows, the step lasts as long as the most
 * loaded of them, and shared fabric links (leaf uplinks, spines) are assumed not to contend. Where nothing
 * contends the two agree; the closed form costs microseconds at any scale. The path latency is not part of
 * the step's transfer time (the engine's makespan less the path latency): it is charged in α, each step
 * paying max(α of its protocol and tier, path latency of its tier).
 *
 * Collective time = base latency + Σ phases [ Σ_steps α + (repeat + fillSteps)·transfer ].
 */
import { type Fabric, LinkTier, NodeKind, SwitchTier } from "../topology/fabric.js";
import type { FlowSet } from "../sim/flows.js";
import type { RankLayout } from "./layout.js";
import { efficiency, MODEL } from "./protocol.js";
import type { CollectiveContext, Phase, PhaseTime, Protocol, StepTier } from "./types.js";

const TIER_CODE: Record<StepTier, number> = { scaleUp: 0, scaleOut: 1, inNetworkUp: 2, inNetworkOut: 3 };
const TIER_OF_CODE: StepTier[] = ["scaleUp", "scaleOut", "inNetworkUp", "inNetworkOut"];

const tierCache = new WeakMap<FlowSet, Uint8Array>();

/** Per flow: which tier it runs on (code of TIER_CODE). */
export function flowTiers(layout: RankLayout, flows: FlowSet): Uint8Array {
  let tiers = tierCache.get(flows);
  if (tiers) return tiers;
  tiers = new Uint8Array(flows.count);
  const { nodes } = layout.fabric;
  for (let i = 0; i < flows.count; i++) {
    const a = flows.src[i];
    const b = flows.dst[i];
    const sw = nodes.kind[a] === NodeKind.switch ? a : nodes.kind[b] === NodeKind.switch ? b : -1;
    if (sw >= 0) {
      tiers[i] = nodes.tier[sw] === SwitchTier.scaleUp ? TIER_CODE.inNetworkUp : TIER_CODE.inNetworkOut;
    } else {
      const pa = layout.positionOfNode[a];
      const pb = layout.positionOfNode[b];
      tiers[i] = layout.domainOf[pa] === layout.domainOf[pb] ? TIER_CODE.scaleUp : TIER_CODE.scaleOut;
    }
  }
  tierCache.set(flows, tiers);
  return tiers;
}

/** The flows with wire bytes: payload / efficiency of the flow's tier under the protocol. */
export function wireFlows(layout: RankLayout, flows: FlowSet, protocol: Protocol): FlowSet {
  const tiers = flowTiers(layout, flows);
  const eff = TIER_OF_CODE.map((t) => efficiency(t, protocol));
  const bytes = new Float64Array(flows.count);
  for (let i = 0; i < flows.count; i++) bytes[i] = flows.bytes[i] / eff[tiers[i]];
  return { count: flows.count, src: flows.src, dst: flows.dst, bytes, start: flows.start };
}

/**
 * Payload bytes on each rank's own links in one step, by tier (protocol-independent, cached per FlowSet):
 * [tier][direction] arrays over positions, direction 0 = out of the rank, 1 = into it. Scale-up flows
 * of mesh / ring domains load specific direct links instead (`direct`, link → bytes).
 */
interface StepLoads {
  rank: Float64Array[][];
  direct?: Map<number, number>;
  directTier: number;
}

const loadCache = new WeakMap<FlowSet, StepLoads>();

function stepLoads(layout: RankLayout, flows: FlowSet): StepLoads {
  let loads = loadCache.get(flows);
  if (loads) return loads;
  const tiers = flowTiers(layout, flows);
  const n = layout.n;
  const rank = [0, 1, 2, 3].map(() => [new Float64Array(n), new Float64Array(n)]);
  let direct: Map<number, number> | undefined;
  const pos = layout.positionOfNode;
  for (let i = 0; i < flows.count; i++) {
    const t = tiers[i];
    const b = flows.bytes[i];
    const pa = pos[flows.src[i]];
    const pb = pos[flows.dst[i]];
    if (t === TIER_CODE.scaleUp && layout.upSwitches[pa].length === 0) {
      // Mesh or ring scale-up: the flow loads the direct link(s) it takes.
      direct ??= new Map();
      addDirectLoad(layout.fabric, flows.src[i], flows.dst[i], b, direct);
      continue;
    }
    if (pa >= 0) rank[t][0][pa] += b;
    if (pb >= 0) rank[t][1][pb] += b;
  }
  loads = { rank, directTier: TIER_CODE.scaleUp, ...(direct ? { direct } : {}) };
  loadCache.set(flows, loads);
  return loads;
}

/** Closed-form transfer time of one step (latency excluded): wire bytes on the most loaded rank link / its rate. */
export function closedFormStep(layout: RankLayout, flows: FlowSet, protocol: Protocol): number {
  const loads = stepLoads(layout, flows);
  const inv = TIER_OF_CODE.map((t) => 1 / efficiency(t, protocol));
  const [su, so, iu, io] = loads.rank;
  let worst = 0;
  for (let p = 0; p < layout.n; p++) {
    const up = Math.max(su[0][p] * inv[0] + iu[0][p] * inv[2], su[1][p] * inv[0] + iu[1][p] * inv[2]);
    if (up > 0) worst = Math.max(worst, up / layout.upBandwidth[p]);
    const out = Math.max(so[0][p] * inv[1] + io[0][p] * inv[3], so[1][p] * inv[1] + io[1][p] * inv[3]);
    if (out > 0) worst = Math.max(worst, out / layout.outBandwidth[p]);
  }
  if (loads.direct) {
    for (const [link, bytes] of loads.direct) {
      worst = Math.max(worst, (bytes * inv[loads.directTier]) / layout.fabric.links.bandwidth[link]);
    }
  }
  return worst;
}

/** One-way path latency of each step tier for these ranks. */
function tierLatency(layout: RankLayout, code: number): number {
  const lat = layout.latency;
  return [lat.up, lat.out, lat.incUp, lat.incOut][code];
}

/** The longest path latency among a step's flows (by the tiers they run on). */
export function stepPathLatency(layout: RankLayout, flows: FlowSet): number {
  const tiers = flowTiers(layout, flows);
  const present = [false, false, false, false];
  for (let i = 0; i < tiers.length; i++) present[tiers[i]] = true;
  let latency = 0;
  for (let t = 0; t < 4; t++) if (present[t]) latency = Math.max(latency, tierLatency(layout, t));
  return latency;
}

/** Direct link a → b if there is one, else a two-hop walk through a common neighbour (ring domains). */
function addDirectLoad(fabric: Fabric, a: number, b: number, bytes: number, load: Map<number, number>): void {
  const { links, outStart, outLinks } = fabric;
  for (let i = outStart[a]; i < outStart[a + 1]; i++) {
    const l = outLinks[i];
    if (links.to[l] === b) {
      load.set(l, (load.get(l) ?? 0) + bytes);
      return;
    }
  }
  // No direct link: charge the first scale-up hop (a ring domain forwards through neighbours).
  let first = -1;
  let bw = 0;
  for (let i = outStart[a]; i < outStart[a + 1]; i++) {
    const l = outLinks[i];
    if (links.tier[l] === LinkTier.scaleUp && links.bandwidth[l] > bw) {
      first = l;
      bw = links.bandwidth[l];
    }
  }
  if (first >= 0) load.set(first, (load.get(first) ?? 0) + bytes);
}

/** Network time of one step of each phase: by the engine, or in closed form. */
export type StepTimer = (flows: FlowSet, protocol: Protocol) => number;

export function closedFormTimer(layout: RankLayout): StepTimer {
  return (flows, protocol) => closedFormStep(layout, flows, protocol);
}

export function engineTimer(layout: RankLayout, ctx: CollectiveContext): StepTimer {
  const memo = new WeakMap<FlowSet, Map<Protocol, number>>();
  return (flows, protocol) => {
    let byProtocol = memo.get(flows);
    if (!byProtocol) {
      byProtocol = new Map();
      memo.set(flows, byProtocol);
    }
    let t = byProtocol.get(protocol);
    if (t === undefined) {
      const result = ctx.engine(ctx.fabric, ctx.router, wireFlows(layout, flows, protocol), {
        loadBalancing: ctx.loadBalancing,
        seed: ctx.seed,
      });
      // The per-step latency is charged as α (at least the path latency): keep only the transfer here.
      t = Math.max(0, result.makespan - stepPathLatency(layout, flows));
      byProtocol.set(protocol, t);
    }
    return t;
  };
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
    const alpha = phaseAlpha(layout, phase, protocol);
    const t = alpha + (phase.repeat + phase.fillSteps) * step(phase.flows, protocol);
    total += t;
    out.push({ label: phase.label, timeS: t, tier: tierName(layout, phase.tier) });
  }
  return { timeS: total, phases: out };
}

/**
 * Σ α over the phase's latency steps; a step costs at least the path latency of its tier (NCCL's α
 * already includes the wire on an ordinary fabric; a slower path raises it).
 */
export function phaseAlpha(layout: RankLayout, phase: Phase, protocol: Protocol): number {
  let total = 0;
  for (const tier of TIER_OF_CODE) {
    const count = phase.alphaCounts[tier];
    if (count > 0) total += count * Math.max(MODEL.stepLatencyS[tier][protocol], tierLatency(layout, TIER_CODE[tier]));
  }
  return total;
}

function tierName(layout: RankLayout, tier: StepTier): string {
  if (tier === "scaleUp" || tier === "inNetworkUp") return "scaleUp";
  if (tier === "inNetworkOut") return "leaf";
  return layout.outTier;
}
