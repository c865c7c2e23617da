/**
 * The incremental engine interface: a network that lives on the shared clock and takes flows as they come.
 * A workload process starts flows at the current time and waits for their group's signal; a fabric
 * manager caps rates, fails or degrades links and reroutes at any time; a report asks what crossed where.
 * Every fidelity implements the same calls, so a process never knows which one it runs on.
 */
import type { Router } from "../../routing/types.js";
import type { Fabric } from "../../topology/fabric.js";
import type { Clock } from "../clock.js";
import type { Signal } from "../process.js";

/** Flows that end together for their owner: `done` fires when the last of them is delivered. */
export interface FlowGroup {
  /** Flows started and not yet delivered. */
  pending: number;
  /** Set once every flow of the group has been started: only then can `done` fire. */
  sealed: boolean;
  done: Signal;
  /** Delivery time of the latest flow, seconds, and that flow's route latency. */
  lastFinish: number;
  lastLatency: number;
}

export interface NetworkStats {
  flows: number;
  events: number;
  recomputes: number;
}

export interface Network {
  readonly fidelity: "analytical" | "flow" | "packet";
  readonly clock: Clock;
  readonly fabric: Fabric;
  /** Current router (replaced by `reroute`). */
  router: Router;
  /**
   * Starts a flow of `bytes` from node `src` to node `dst` now. `tag` names its owner (a job, 0..tags−1)
   * for the meeting accounting; `key` is its ECMP hash key (as a source port: flows of one pair may take
   * different paths). Returns the flow id; its delivery (transfer end + route latency) counts `group` down.
   */
  startFlow(src: number, dst: number, bytes: number, tag: number, key: number, group: FlowGroup): number;
  /** Caps a flow's rate, bytes/s (+Infinity lifts the cap). */
  capRate(flow: number, rate: number): void;
  /** Scales a link's bandwidth from now: 1 = nominal, 0.5 = degraded by half, 0 = down (flows on it stall). */
  setLinkScale(link: number, scale: number): void;
  /** Routes the active flows that cross a link marked in `failed` (1 = down) again, and new flows avoid them. */
  reroute(router: Router, failed: Uint8Array): void;
  /** Bytes/s crossing a link now. */
  linkLoad(link: number): number;
  /** Delivery time of a flow (transfer end + latency), +Infinity while it is in flight. */
  finishOf(flow: number): number;
  /** Bytes each tag has had delivered. */
  deliveredBytes(tag: number): number;
  /**
   * Bytes × links the flows of `tag` were routed over, on links of tier `tier` (an index of
   * LINK_TIER_NAMES), counted as each flow starts on the route it starts on; a sprayed flow counts each
   * link by its share of the flow.
   */
  tierBytes(tag: number, tier: number): number;
  readonly meetings: Meetings;
  stats(): NetworkStats;
}

/**
 * Where flows of different owners met: while tag a had a flow on link l, tag b pushed `rate_b(l) dt`
 * bytes through it. Integrated over time, per ordered pair and link tier, and per link for all pairs.
 */
export interface Meetings {
  tags: number;
  /** met[(a·tags + b)·tiers + tier]: bytes of b that crossed links of that tier while a was on them. */
  met: Float64Array;
  /** Per link: bytes met there (all pairs), and a bit mask of the tags that met there. */
  linkMet: Float64Array;
  linkTags: Int32Array;
}

export function makeFlowGroup(): FlowGroup {
  return {
    pending: 0,
    sealed: false,
    done: { fired: false, time: Number.NaN, waiters: [] },
    lastFinish: 0,
    lastLatency: 0,
  };
}
