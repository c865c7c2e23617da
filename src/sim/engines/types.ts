/**
 * What every network engine takes and returns. An engine evaluates a FlowSet on a Fabric with a Router and
 * returns a FlowSetResult (finish time per flow, makespan, statistics), so callers swap fidelity freely.
 */
import type { LoadBalancing, Router } from "../../routing/types.js";
import type { Fabric } from "../../topology/fabric.js";
import type { FlowSet, FlowSetResult } from "../flows.js";
import type { WireModel } from "./wire.js";

export interface EngineOptions {
  /**
   * ecmp: each flow takes one equal-cost path chosen by a hash of (src, dst, flow index, seed);
   * spray and adaptive: each flow is spread evenly over all equal-cost paths (the fluid limit of per-packet
   * spraying; adaptive routing is modelled as ideal spraying).
   */
  loadBalancing: LoadBalancing;
  /** Seed of the ECMP hash. */
  seed: number;
  /** Also return `linkBytes` (bytes carried per link). */
  linkBytes?: boolean;
  /**
   * The flow engine's packet overheads (headers, the last packet's store-and-forward, the ack's return;
   * wire.ts), from the scenario's transport. Absent: the ideal fluid transfer. Other engines ignore it.
   */
  wire?: WireModel;
}

export type FlowEngine = (
  fabric: Fabric,
  router: Router,
  flows: FlowSet,
  options: EngineOptions,
) => FlowSetResult;
