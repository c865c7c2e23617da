/**
 * Schedules: a collective over a list of ranks → ordered phases of concurrent flows. This file dispatches
 * to one builder per algorithm and holds what they share (phase construction, rank pairs, accounting).
 * Builders are protocol-independent: `buildSchedule` then fills each phase's α for the protocol.
 */
import { WeftError } from "../errors.js";
import type { CollectiveOp } from "../scenario/types.js";
import { directPhases } from "./direct.js";
import { phaseAlpha } from "./evaluate.js";
import { halvingDoublingPhases } from "./halving-doubling.js";
import { hierarchicalPhases } from "./hierarchical.js";
import { inNetworkPhases } from "./in-network.js";
import type { RankLayout } from "./layout.js";
import { MODEL } from "./protocol.js";
import { ringPhases } from "./ring.js";
import type { StepResult } from "./step.js";
import { treePhases } from "./tree.js";
import type { Algorithm, AlphaCounts, Phase, Protocol, Schedule, StepTier } from "./types.js";

/** What a builder may use beyond the layout: which levels can reduce in the network. */
export interface BuildOptions {
  /** Collect rank loads only (closed form), not flows. */
  sketch?: boolean;
  /** Every domain of the ranks has a reducing scale-up switch (NVLS). */
  scaleUpReduction: boolean;
  /** The scale-out switches reduce (SHARP / UEC INC), and `auto` may use them. */
  scaleOutReduction: boolean;
  /** The scale-out switches can reduce: an explicit `in-network` algorithm may use them. */
  scaleOutCapable?: boolean;
}

export type PhaseBuilder = (
  layout: RankLayout,
  op: CollectiveOp,
  bytes: number,
  options: BuildOptions,
) => Phase[];

const BUILDERS: Record<Algorithm, PhaseBuilder> = {
  ring: ringPhases,
  tree: treePhases,
  "halving-doubling": halvingDoublingPhases,
  direct: directPhases,
  hierarchical: hierarchicalPhases,
  "in-network": inNetworkPhases,
};

/** The protocol-independent phases of an algorithm (α counts, no α values yet). */
export function buildPhases(
  layout: RankLayout,
  op: CollectiveOp,
  bytes: number,
  algorithm: Algorithm,
  options: BuildOptions,
): Phase[] {
  if (!(bytes >= 0) || !Number.isFinite(bytes)) {
    throw new WeftError(`collective size must be a non-negative number of bytes, got ${bytes}`);
  }
  if (layout.n === 1 || bytes === 0) return [];
  return BUILDERS[algorithm](layout, op, bytes, options);
}

export function buildSchedule(
  layout: RankLayout,
  op: CollectiveOp,
  bytes: number,
  algorithm: Algorithm,
  protocol: Protocol,
  options: BuildOptions,
): Schedule {
  return withProtocol(
    layout,
    op,
    bytes,
    algorithm,
    buildPhases(layout, op, bytes, algorithm, options),
    protocol,
  );
}

export function withProtocol(
  layout: RankLayout,
  op: CollectiveOp,
  bytes: number,
  algorithm: Algorithm,
  phases: Phase[],
  protocol: Protocol,
): Schedule {
  return {
    op,
    algorithm,
    protocol,
    ranks: layout.n,
    bytes,
    phases: phases.map((p) => ({
      ...p,
      latencyS: p.latencySteps > 0 ? phaseAlpha(layout, p, protocol) / p.latencySteps : 0,
    })),
    baseLatencyS: layout.n > 1 ? MODEL.baseLatencyS[protocol] : 0,
  };
}

export interface PhaseSpec {
  label: string;
  step: StepResult;
  repeat: number;
  alphaCounts: AlphaCounts;
  /** Pipeline depth (α paid per stage, depth − 1 fill steps); omit for lock-step phases. */
  depth?: number;
  /** Algorithm-level efficiency (direct transfers). */
  efficiency?: number;
}

export function makePhase(spec: PhaseSpec): Phase {
  const steps = Object.values(spec.alphaCounts).reduce((a, b) => a + b, 0);
  return {
    label: spec.label,
    flows: spec.step.flows,
    ...(spec.step.loads ? { loads: spec.step.loads } : {}),
    repeat: spec.repeat,
    latencyS: 0,
    latencySteps: steps,
    alphaCounts: spec.alphaCounts,
    fillSteps: spec.depth !== undefined ? Math.max(0, spec.depth - 1) : 0,
    tier: slowestTier(spec.alphaCounts),
    ...(spec.efficiency !== undefined ? { efficiency: spec.efficiency } : {}),
  };
}

const TIER_ORDER: StepTier[] = ["scaleUp", "inNetworkUp", "scaleOut", "inNetworkOut"];

function slowestTier(counts: AlphaCounts): StepTier {
  let tier: StepTier = "scaleUp";
  for (const t of TIER_ORDER) if (counts[t] > 0) tier = t;
  return tier;
}

/** α counts of a step whose flows cross domains on `crossing` of `edges` hops, over `steps` steps. */
export function mixedAlpha(steps: number, crossing: number, edges: number): AlphaCounts {
  const out = edges > 0 ? crossing / edges : 0;
  return { scaleUp: steps * (1 - out), scaleOut: steps * out, inNetworkUp: 0, inNetworkOut: 0 };
}

/** Payload bytes each rank sends over a schedule (Σ repeat × flow bytes by source), by position. */
export function bytesSentPerRank(layout: RankLayout, phases: Phase[]): Float64Array {
  const sent = new Float64Array(layout.n);
  for (const phase of phases) {
    const f = phase.flows;
    for (let i = 0; i < f.count; i++) {
      const p = layout.positionOfNode[f.src[i]];
      if (p >= 0) sent[p] += phase.repeat * f.bytes[i];
    }
  }
  return sent;
}

/** Payload bytes each rank receives over a schedule, by position. */
export function bytesReceivedPerRank(layout: RankLayout, phases: Phase[]): Float64Array {
  const received = new Float64Array(layout.n);
  for (const phase of phases) {
    const f = phase.flows;
    for (let i = 0; i < f.count; i++) {
      const p = layout.positionOfNode[f.dst[i]];
      if (p >= 0) received[p] += phase.repeat * f.bytes[i];
    }
  }
  return received;
}

export function unsupported(algorithm: Algorithm, op: CollectiveOp, supported: string[]): WeftError {
  return new WeftError(
    `the ${algorithm} algorithm does not implement ${op}; it implements ${supported.join(", ")} ` +
      "(use algorithm: auto to let the tuner choose)",
  );
}
