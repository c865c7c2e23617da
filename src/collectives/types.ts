/**
 * Collectives as transfer schedules. A collective over a list of ranks becomes an ordered list of phases;
 * the flows of a phase run concurrently, and identical steps are one phase with a `repeat` count, so a
 * 2(n−1)-step ring is evaluated once, not 2(n−1) times.
 */
import type { Router } from "../routing/types.js";
import type { CollectiveAlgorithm, CollectiveOp, Fidelity, LoadBalancing } from "../scenario/types.js";
import type { FlowEngine } from "../sim/engines/types.js";
import type { FlowSet } from "../sim/flows.js";
import type { Fabric } from "../topology/fabric.js";
import type { ProtocolModel } from "./protocol.js";
import type { StepLoads } from "./step.js";

/** NCCL's three wire protocols. */
export type Protocol = "LL" | "LL128" | "Simple";
export const PROTOCOLS: readonly Protocol[] = ["LL", "LL128", "Simple"];

/** A concrete algorithm (what `auto` resolves to). */
export type Algorithm = Exclude<CollectiveAlgorithm, "auto">;
export const ALGORITHMS: readonly Algorithm[] = [
  "ring",
  "tree",
  "halving-doubling",
  "direct",
  "hierarchical",
  "in-network",
];

/**
 * Where a phase's traffic runs, for per-step latency and link efficiency: inside the scale-up domain,
 * across the scale-out fabric, or into a reducing switch (in-network reduction, scale-up or scale-out).
 */
export type StepTier = "scaleUp" | "scaleOut" | "inNetworkUp" | "inNetworkOut";

export type AlphaCounts = Record<StepTier, number>;

export interface Phase {
  /** What runs, as reports print it: `ring reduce-scatter`, `tree up+down`. */
  label: string;
  /** One step: these transfers run concurrently. Bytes are payload (before protocol overhead). */
  flows: FlowSet;
  /** A phase built for the closed form only carries its ranks' link loads instead of flows. */
  loads?: StepLoads;
  /** Steps that each move `flows` (data-carrying steps); may be fractional for pipelines (S / chunk). */
  repeat: number;
  /** Mean per-step latency α of the schedule's protocol over the steps that pay it, seconds. */
  latencyS: number;
  /** How many times α is paid: `repeat` for lock-step phases, the pipeline depth for pipelines. */
  latencySteps: number;
  /**
   * The α's the phase pays, counted per tier (Σ = latencySteps): a ring step that crosses the scale-out
   * fabric on D of its n edges pays α_scaleOut on D/n of its steps. Protocol-independent, so one schedule
   * serves every protocol.
   */
  alphaCounts: AlphaCounts;
  /** Pipeline fill and drain: extra step times that move no new data (depth − 1; 0 when not pipelined). */
  fillSteps: number;
  /** The tier whose per-step latency applies (the slowest the phase touches). */
  tier: StepTier;
  /** Algorithm-level share of the link rate on top of protocol and tier (direct transfers), default 1. */
  efficiency?: number;
}

export interface Schedule {
  op: CollectiveOp;
  algorithm: Algorithm;
  protocol: Protocol;
  /** Number of ranks. */
  ranks: number;
  /** Buffer size as nccl-tests reports it, bytes. */
  bytes: number;
  phases: Phase[];
  /** Launch / setup latency of the protocol, paid once per collective, seconds. */
  baseLatencyS: number;
}

/** Everything a collective needs to be timed: the fabric, its routes and a network engine. */
export interface CollectiveContext {
  fabric: Fabric;
  router: Router;
  engine: FlowEngine;
  loadBalancing: LoadBalancing;
  seed: number;
  /**
   * `analytical` times phases in closed form (each rank's own links and, on oversubscribed fabrics, the
   * leaf and pod uplink bundles spread evenly: microseconds even at 16K ranks); anything else evaluates
   * each phase's flows with `engine`. Default: `flow`.
   */
  fidelity?: Fidelity;
  /**
   * Which levels reduce in the network: `scaleUp[g]` for accelerator group g (its ScaleUpSpec's
   * inNetworkReduction), `scaleOut` for the scale-out switches (SHARP / UEC INC) when `auto` may use them,
   * `scaleOutCapable` when only an explicit `in-network` algorithm may (the switch can; the job did not
   * enable it). Default: none.
   */
  inNetwork?: { scaleUp: boolean[]; scaleOut: boolean; scaleOutCapable?: boolean };
  /** Latencies and efficiencies of this cluster (calibrated, `weft calibrate`); default MODEL. */
  model?: ProtocolModel;
}

export interface PhaseTime {
  label: string;
  /** Total time of the phase (all its repeats, fill and latency), seconds. */
  timeS: number;
  /**
   * The fabric tier the phase crosses: `scaleUp`, `leaf`, `spine`, `core` (highest tier of its routes), or,
   * when shared uplinks bound its step in closed form, their tier (`spine`: a leaf's, `core`: a pod's).
   */
  tier: string;
}

export interface CollectiveTime {
  timeS: number;
  algorithm: Algorithm;
  protocol: Protocol;
  phases: PhaseTime[];
}
