/**
 * A set of concurrent transfers, the unit every network engine evaluates. Plain typed arrays, one entry per
 * flow; ids are fabric node ids.
 */
export interface FlowSet {
  count: number;
  src: Int32Array;
  dst: Int32Array;
  bytes: Float64Array;
  /** Start time of each flow, seconds (all zero for a collective step). */
  start: Float64Array;
  /**
   * Optional symmetry classes: flows with the same class id are known to be interchangeable (same bytes,
   * same start, symmetric paths), so an engine may compute one representative and share its rate.
   */
  klass?: Int32Array;
}

export function makeFlowSet(count: number): FlowSet {
  return {
    count,
    src: new Int32Array(count),
    dst: new Int32Array(count),
    bytes: new Float64Array(count),
    start: new Float64Array(count),
  };
}

export interface FlowSetResult {
  /** Finish time of each flow, seconds. */
  finish: Float64Array;
  /** Latest finish. */
  makespan: number;
  /** Simulation statistics for benchmarks: events processed, rate recomputations. */
  stats: { events: number; recomputes: number };
  /**
   * Bytes each fabric link carried (index = link id), when the engine was asked for it: the sum over flows of
   * bytes × the share of the flow on that link. For "which tier / link is the bottleneck" reports.
   */
  linkBytes?: Float64Array;
}
