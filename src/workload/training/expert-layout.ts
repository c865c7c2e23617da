/**
 * The experts' own layout (Megatron-Core's MoE parallel folding). Experts are laid out over the same
 * tp·cp·dp ranks of a pipeline stage as the attention, but on their own terms: expert-tensor-parallel
 * groups of etp ranks (each expert's FFN split over them), expert-parallel groups of ep ranks and
 * expert-data-parallel replicas, etp · ep · edp = tp · cp · dp.
 *
 * - classic (etp 1 and ep divides cp·dp): the expert-parallel group is ep ranks of the data×context
 *   dimension at one tensor index (stride tp), as before folding; edp = cp·dp / ep at each tensor index;
 *   each rank runs whole experts on the tokens it routes;
 * - folded (etp > 1, or ep does not divide cp·dp): the stage's tp·cp·dp block in flat order
 *   f = t + tp·(c + cp·d) is split etp fastest, then ep, then edp: f = e_t + etp·(e_p + ep·e_d). So
 *   expert-tensor groups are etp consecutive ranks, an expert-parallel group spans tensor- and
 *   data-parallel ranks (EP 64 with TP 2 × DP 32), and edp = tp·cp·dp / (etp·ep).
 */
import { expertsFolded } from "../../model/memory.js";
import type { RankLayout } from "./placement.js";

export { expertsFolded };

/** Expert tensor parallelism of a layout (1 unless set). */
function expertTp(l: { etp?: number }): number {
  return l.etp ?? 1;
}

/** Ranks of the stage's block, by flat index f = t + tp·(c + cp·d). */
function flat(l: RankLayout, s: number, f: number): number {
  const local = f + l.tp * l.cp * l.dp * s;
  return l.ranks ? l.ranks[local] : l.firstRank + local;
}

/** Expert-data-parallel replicas in the folded layout: tp·cp·dp / (etp·ep). */
function foldedReplicas(l: RankLayout): number {
  return (l.tp * l.cp * l.dp) / (expertTp(l) * l.ep);
}

/** Folded expert-parallel group b of stage s (at expert-tensor index 0). */
export function foldedEpGroup(l: RankLayout, s: number, b = 0, t = 0): Int32Array {
  const etp = expertTp(l);
  return Int32Array.from({ length: l.ep }, (_, k) => flat(l, s, t + etp * (k + l.ep * b)));
}

/** Folded expert-data-parallel group of expert shard e of stage s: its replicas (stride etp·ep). */
export function foldedEdpGroup(l: RankLayout, s: number, e = 0, t = 0): Int32Array {
  const etp = expertTp(l);
  return Int32Array.from({ length: foldedReplicas(l) }, (_, i) => flat(l, s, t + etp * (e + l.ep * i)));
}

/** Folded expert-tensor-parallel group g of stage s: etp consecutive ranks. */
export function foldedEtpGroup(l: RankLayout, s: number, g = 0): Int32Array {
  const etp = expertTp(l);
  return Int32Array.from({ length: etp }, (_, k) => flat(l, s, g * etp + k));
}

/** Every folded etp, ep and edp group of stage s but the representative ones (index 0 of each). */
export function foldedSiblings(
  l: RankLayout,
  s: number,
): { etp: Int32Array[]; ep: Int32Array[]; edp: Int32Array[] } {
  const etp = expertTp(l);
  const replicas = foldedReplicas(l);
  const out = { etp: [] as Int32Array[], ep: [] as Int32Array[], edp: [] as Int32Array[] };
  if (etp > 1) for (let g = 1; g < l.ep * replicas; g++) out.etp.push(foldedEtpGroup(l, s, g));
  for (let t = 0; t < etp; t++) {
    if (l.ep > 1)
      for (let b = 0; b < replicas; b++) if (t > 0 || b > 0) out.ep.push(foldedEpGroup(l, s, b, t));
    if (replicas > 1)
      for (let e = 0; e < l.ep; e++) if (t > 0 || e > 0) out.edp.push(foldedEdpGroup(l, s, e, t));
  }
  return out;
}
