/**
 * nccl-tests' bus bandwidth (NVIDIA/nccl-tests doc/PERFORMANCE.md): busbw = algbw × factor, the factor
 * making busbw comparable to the link rate whatever the rank count. all-reduce 2(n−1)/n; all-gather,
 * reduce-scatter and all-to-all (n−1)/n (S is the full n-rank buffer); broadcast, reduce, send-recv 1.
 */
import type { CollectiveOp } from "../scenario/types.js";

export function busBandwidthFactor(op: CollectiveOp, ranks: number): number {
  if (ranks <= 1)
    return op === "all-reduce" || op === "all-gather" || op === "reduce-scatter" || op === "all-to-all"
      ? 0
      : 1;
  switch (op) {
    case "all-reduce":
      return (2 * (ranks - 1)) / ranks;
    case "all-gather":
    case "reduce-scatter":
    case "all-to-all":
      return (ranks - 1) / ranks;
    default:
      return 1;
  }
}
