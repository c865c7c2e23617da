/**
 * Attention replicas (DeepSeek-style attention data parallelism): an instance of tp × dp accelerators runs
 * dp replicas of its attention layers; a request lives on the replica it was routed to (the one with the
 * least work of its instance: `sim.prefillRep`, `sim.instRep`). A step's pace is set by the busiest
 * replica, so steps are costed from per-replica sums (scratch arrays, reused every step).
 */
import type { ReplicaLoad } from "./step-cost.js";

export interface ReplicaScratch {
  tokens: Float64Array;
  seqs: Float64Array;
  decodePairs: Float64Array;
  prefillPairs: Float64Array;
  kvTokens: Float64Array;
}

export function makeReplicaScratch(dp: number): ReplicaScratch {
  return {
    tokens: new Float64Array(dp),
    seqs: new Float64Array(dp),
    decodePairs: new Float64Array(dp),
    prefillPairs: new Float64Array(dp),
    kvTokens: new Float64Array(dp),
  };
}

export function clearReplicas(s: ReplicaScratch, dp: number): void {
  s.tokens.fill(0, 0, dp);
  s.seqs.fill(0, 0, dp);
  s.decodePairs.fill(0, 0, dp);
  s.prefillPairs.fill(0, 0, dp);
  s.kvTokens.fill(0, 0, dp);
}

/** The field-by-field maximum over the dp replicas (an upper bound on the busiest one's work). */
export function busiestReplica(s: ReplicaScratch, dp: number, out: ReplicaLoad): ReplicaLoad {
  out.tokens = 0;
  out.seqs = 0;
  out.decodePairs = 0;
  out.prefillPairs = 0;
  out.kvTokens = 0;
  for (let j = 0; j < dp; j++) {
    if (s.tokens[j] > out.tokens) out.tokens = s.tokens[j];
    if (s.seqs[j] > out.seqs) out.seqs = s.seqs[j];
    if (s.decodePairs[j] > out.decodePairs) out.decodePairs = s.decodePairs[j];
    if (s.prefillPairs[j] > out.prefillPairs) out.prefillPairs = s.prefillPairs[j];
    if (s.kvTokens[j] > out.kvTokens) out.kvTokens = s.kvTokens[j];
  }
  return out;
}
