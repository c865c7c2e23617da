/**
 * Timing a schedule. One step of a phase costs the transfer time of its flows, each flow's bytes divided by
 * its efficiency (protocol × tier × algorithm, protocol.ts). That transfer time comes either from an engine
 * (the flow engine shares every link max-min fairly; its makespan less the path latency) or in closed
 * form: each rank's own links — its scale-up port, the direct links of a mesh, its PCIe link to a shared
 * NIC, and each NIC port (shared by the ranks behind it) — carry the sum of their flows, and so do the
 * links ranks share deeper in the fabric, as bundles spread evenly (a leaf's uplinks, the spine-to-leaf
 * links into it, a pod's links to and from the cores: shared-links.ts); the step lasts as long as the
 * most loaded of them. Latency is charged per step as α, each step paying max(α of its protocol and
 * tier, path latency of its tier).
 *
 * Several copies of a collective may run at once (a GroupSet, group-set.ts): the engine then evaluates
 * the merged flows of every copy, and the closed form adds every copy's load to the NIC ports and the
 * shared bundles (a copy's own scale-up and direct links are its own, as loaded as the first copy's).
 *
 * Collective time = base latency + Σ phases [ Σ_steps α + (repeat + fillSteps)·transfer ].
 */
import type { FlowSet } from "../sim/flows.js";
import { LINK_TIER_NAMES } from "../topology/fabric.js";
import { type GroupSet, type MergedFlows, mergedFlows } from "./group-set.js";
import type { RankLayout } from "./layout.js";
import { efficiency, MODEL, type ProtocolModel } from "./protocol.js";
import { type PortLeaves, portLeaves } from "./shared-links.js";
import { loadsOfFlows, type StepLoads, TIER_CODE, TIER_OF_CODE } from "./step.js";
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

/** The merged flows with wire bytes: payload / efficiency of the flow's tier under the protocol. */
export function wireFlows(
  merged: MergedFlows,
  protocol: Protocol,
  algorithmEfficiency = 1,
  model: ProtocolModel = MODEL,
): FlowSet {
  const inv = TIER_OF_CODE.map((t) => 1 / (efficiency(t, protocol, model) * algorithmEfficiency));
  const { flows, tier } = merged;
  const bytes = new Float64Array(flows.count);
  for (let i = 0; i < flows.count; i++) bytes[i] = flows.bytes[i] * inv[tier[i]];
  return { count: flows.count, src: flows.src, dst: flows.dst, bytes, start: flows.start };
}

/** The closed form of one step under Simple: transfer time, and the bundle tier when a shared bundle bounds it. */
interface SimpleStep {
  timeS: number;
  /** `spine` / `core` when the busiest resource is a bundle of shared links, else undefined. */
  sharedTier?: string;
}

const simpleCache = new WeakMap<ProtocolModel, WeakMap<GroupSet, WeakMap<StepLoads, SimpleStep>>>();

function simpleOf(set: GroupSet, loads: StepLoads, model: ProtocolModel): SimpleStep {
  let bySet = simpleCache.get(model);
  if (!bySet) {
    bySet = new WeakMap();
    simpleCache.set(model, bySet);
  }
  let byLoads = bySet.get(set);
  if (!byLoads) {
    byLoads = new WeakMap();
    bySet.set(set, byLoads);
  }
  let simple = byLoads.get(loads);
  if (!simple) {
    simple = simpleStep(set, loads, model);
    byLoads.set(loads, simple);
  }
  return simple;
}

/**
 * Closed-form transfer time of one step (latency excluded): wire bytes on the most loaded link or bundle
 * / its rate. Protocols scale every tier alike, so the Simple time is computed once and divided.
 */
export function closedFormStep(
  set: GroupSet,
  loads: StepLoads,
  protocol: Protocol,
  model: ProtocolModel = MODEL,
): number {
  return simpleOf(set, loads, model).timeS / model.protocolEfficiency[protocol];
}

function simpleStep(set: GroupSet, loads: StepLoads, model: ProtocolModel): SimpleStep {
  const layout = set.layout;
  const inv = TIER_OF_CODE.map((t) => 1 / efficiency(t, "Simple", model));
  const [su, so, iu, io] = loads.rank;
  let worst = 0;
  // A rank's scale-up links are its own: every copy loads its ranks' like the first copy.
  const [suOut, suIn] = su;
  const [iuOut, iuIn] = iu;
  const inv0 = inv[0];
  const inv2 = inv[2];
  const upBandwidth = layout.upBandwidth;
  for (let p = 0; p < layout.n; p++) {
    const up = Math.max(suOut[p] * inv0 + iuOut[p] * inv2, suIn[p] * inv0 + iuIn[p] * inv2);
    if (up > 0) worst = Math.max(worst, up / upBandwidth[p]);
  }
  if (loads.direct) {
    for (const [link, bytes] of loads.direct) {
      worst = Math.max(worst, (bytes * inv[TIER_CODE.scaleUp]) / layout.fabric.links.bandwidth[link]);
    }
  }
  worst = Math.max(worst, portStep(set, so, io, inv));
  const shared = sharedStep(set, loads, inv[TIER_CODE.scaleOut]);
  if (shared.timeS > worst) return shared;
  return { timeS: worst };
}

/** NIC ports (shared by the ranks behind them, of every copy) and each rank's PCIe link to its NIC. */
function portStep(set: GroupSet, so: Float64Array[], io: Float64Array[], inv: number[]): number {
  const { n, portStart, portIndex, portShare, hostBandwidth } = set;
  const [outPorts, inPorts] = set.scratch.ports;
  outPorts.fill(0);
  inPorts.fill(0);
  const [soOut, soIn] = so;
  const [ioOut, ioIn] = io;
  const inv1 = inv[1];
  const inv3 = inv[3];
  const count = set.count * n;
  let worst = 0;
  // Entry i = g·n + p: position p of group g carries the first group's loads of position p.
  for (let i = 0, p = 0; i < count; i++, p = p + 1 === n ? 0 : p + 1) {
    const out = soOut[p] * inv1 + ioOut[p] * inv3;
    const into = soIn[p] * inv1 + ioIn[p] * inv3;
    if (out === 0 && into === 0) continue;
    // Over PCIe to a NIC, then the NIC port, shared with the other ranks behind it.
    worst = Math.max(worst, Math.max(out, into) / hostBandwidth[i]);
    for (let k = portStart[i]; k < portStart[i + 1]; k++) {
      outPorts[portIndex[k]] += out * portShare[k];
      inPorts[portIndex[k]] += into * portShare[k];
    }
  }
  const portBandwidth = set.portBandwidth;
  for (let k = 0; k < outPorts.length; k++) {
    const load = Math.max(outPorts[k], inPorts[k]);
    if (load > 0) worst = Math.max(worst, load / portBandwidth[k]);
  }
  return worst;
}

/** Bundles of shared links (leaf uplinks and downlinks, pod links to the cores) under every copy's transfers. */
function sharedStep(set: GroupSet, loads: StepLoads, invOut: number): SimpleStep {
  const { pairs } = loads;
  const shared = set.shared;
  const entryLeaf = set.entryLeaf;
  if (!pairs || pairs.count === 0 || !entryLeaf) return { timeS: 0 };
  const load = set.scratch.bundles;
  load.fill(0);
  const { n } = set;
  const held = portLeaves(set.layout.fabric);
  const { net, leafUp, leafDown, pod, podUp, podDown } = shared;
  for (let g = 0; g < set.count; g++) {
    const base = g * n;
    for (let k = 0; k < pairs.count; k++) {
      const i = base + pairs.src[k];
      const j = base + pairs.dst[k];
      const la = entryLeaf[i];
      const lb = entryLeaf[j];
      if (la >= 0 && lb >= 0) {
        // One port, one leaf at each end: charge the two leaves (and pods) directly.
        if (la === lb || net[la] !== net[lb] || leafUp[la] < 0 || leafDown[lb] < 0) continue;
        const w = pairs.bytes[k] * invOut;
        load[leafUp[la]] += w;
        load[leafDown[lb]] += w;
        if (pod[la] !== pod[lb] && podUp[la] >= 0 && podDown[lb] >= 0) {
          load[podUp[la]] += w;
          load[podDown[lb]] += w;
        }
      } else if (la !== -2 && lb !== -2) chargePair(set, held, i, j, pairs.bytes[k] * invOut, load);
    }
  }
  let worst = 0;
  let tier = 0;
  for (let b = 0; b < shared.count; b++) {
    if (load[b] === 0 || shared.capacity[b] === 0) continue;
    const t = load[b] / shared.capacity[b];
    if (t > worst) {
      worst = t;
      tier = shared.tier[b];
    }
  }
  return worst > 0 ? { timeS: worst, sharedTier: LINK_TIER_NAMES[tier] } : { timeS: 0 };
}

/**
 * Charges `bytes` from entry i to entry j on the bundles between their leaves: for each leaf of i's
 * ports (by share), j's leaf in the same Clos network, the same one first, else one of the same pod.
 */
function chargePair(
  set: GroupSet,
  held: PortLeaves,
  i: number,
  j: number,
  bytes: number,
  load: Float64Array,
): void {
  const sh = set.shared;
  const { portStart, portIndex, portShare, portHolder } = set;
  for (let ka = portStart[i]; ka < portStart[i + 1]; ka++) {
    const ha = portHolder[portIndex[ka]];
    const wa = bytes * portShare[ka];
    for (let x = held.start[ha]; x < held.start[ha + 1]; x++) {
      const la = held.leaf[x];
      const lb = peerLeaf(set, held, j, la);
      if (lb < 0 || lb === la || sh.leafUp[la] < 0 || sh.leafDown[lb] < 0) continue;
      const w = wa * held.share[x];
      load[sh.leafUp[la]] += w;
      load[sh.leafDown[lb]] += w;
      if (sh.pod[la] !== sh.pod[lb] && sh.podUp[la] >= 0 && sh.podDown[lb] >= 0) {
        load[sh.podUp[la]] += w;
        load[sh.podDown[lb]] += w;
      }
    }
  }
}

/** Entry j's leaf closest to leaf `la` in la's network (la itself, else one in its pod, else any); −1 if none. */
function peerLeaf(set: GroupSet, held: PortLeaves, j: number, la: number): number {
  const sh = set.shared;
  let best = -1;
  for (let kb = set.portStart[j]; kb < set.portStart[j + 1]; kb++) {
    const hb = set.portHolder[set.portIndex[kb]];
    for (let y = held.start[hb]; y < held.start[hb + 1]; y++) {
      const lb = held.leaf[y];
      if (lb === la) return lb;
      if (sh.net[lb] !== sh.net[la]) continue;
      if (best < 0 || (sh.pod[lb] === sh.pod[la] && sh.pod[best] !== sh.pod[la])) best = lb;
    }
  }
  return best;
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

export function closedFormTimer(set: GroupSet, model: ProtocolModel = MODEL): StepTimer {
  return (phase, protocol) =>
    closedFormStep(set, phaseLoads(set.layout, phase), protocol, model) / (phase.efficiency ?? 1);
}

/** The tier of the shared links that bound a phase's step in closed form (`spine`, `core`), if they do. */
export function sharedBottleneck(
  set: GroupSet,
  model: ProtocolModel = MODEL,
): (phase: Phase) => string | undefined {
  return (phase) => simpleOf(set, phaseLoads(set.layout, phase), model).sharedTier;
}

/** The context's engine on the phase's flows of every group (phases must carry flows, not only loads). */
export function engineTimer(set: GroupSet, ctx: CollectiveContext): StepTimer {
  const memo = new WeakMap<FlowSet, Map<Protocol, number>>();
  return (phase, protocol) => {
    let byProtocol = memo.get(phase.flows);
    if (!byProtocol) {
      byProtocol = new Map();
      memo.set(phase.flows, byProtocol);
    }
    let t = byProtocol.get(protocol);
    if (t === undefined) {
      const merged = mergedFlows(set, phase.flows);
      const wire = wireFlows(merged, protocol, phase.efficiency, ctx.model);
      const result = ctx.engine(ctx.fabric, ctx.router, wire, {
        loadBalancing: ctx.loadBalancing,
        seed: ctx.seed,
      });
      // The per-step latency is charged as α (at least the path latency): keep only the transfer here.
      t = Math.max(0, result.makespan - stepPathLatency(set.layout, phaseLoads(set.layout, phase)));
      byProtocol.set(protocol, t);
    }
    return t;
  };
}

/**
 * Σ α over the phase's latency steps; a step costs at least the path latency of its tier (NCCL's α
 * already includes the wire on an ordinary fabric; a slower path raises it).
 */
export function phaseAlpha(
  layout: RankLayout,
  phase: Phase,
  protocol: Protocol,
  model: ProtocolModel = MODEL,
): number {
  let total = 0;
  for (const tier of TIER_OF_CODE) {
    const count = phase.alphaCounts[tier];
    if (count > 0) {
      total += count * Math.max(model.stepLatencyS[tier][protocol], tierLatency(layout, TIER_CODE[tier]));
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
  sharedTier?: (phase: Phase) => string | undefined,
  model: ProtocolModel = MODEL,
): { timeS: number; phases: PhaseTime[] } {
  const base = layout.n > 1 && phases.length > 0 ? model.baseLatencyS[protocol] : 0;
  let total = base;
  const out: PhaseTime[] = [];
  for (const phase of phases) {
    const t =
      phaseAlpha(layout, phase, protocol, model) + (phase.repeat + phase.fillSteps) * step(phase, protocol);
    total += t;
    out.push({ label: phase.label, timeS: t, tier: sharedTier?.(phase) ?? tierName(layout, phase.tier) });
  }
  return { timeS: total, phases: out };
}

function tierName(layout: RankLayout, tier: Phase["tier"]): string {
  if (tier === "scaleUp" || tier === "inNetworkUp") return "scaleUp";
  if (tier === "inNetworkOut") return "leaf";
  return layout.outTier;
}
