/**
 * The experts' own layout (Megatron-Core's MoE parallel folding). Experts are laid out over the same
 * tp·cp·dp ranks of a pipeline stage as the attention, but on their own terms: expert-parallel groups of ep
 * ranks and expert-data-parallel replicas, ep · edp = tp · cp · dp (expert tensor parallelism 1: each rank
 * runs whole experts on the tokens it routes, as the compute model counts them).
 *
 * - classic (ep divides cp·dp): the expert-parallel group is ep ranks of the data×context dimension at one
 *   tensor index (stride tp), as before folding; edp = cp·dp / ep at each tensor index;
 * - folded (ep does not divide cp·dp, but divides tp·cp·dp): the group is ep consecutive ranks of the
 *   stage's tp·cp·dp block, so it spans tensor- and data-parallel ranks (EP 64 with TP 2 × DP 32);
 *   edp = tp·cp·dp / ep, stride ep.
 */
import type { RankLayout } from "./placement.js";

/** The stage's tp·cp·dp block is folded (ep spans tensor ranks too). */
export function expertsFolded(l: RankLayout): boolean {
  return l.ep > 1 && (l.cp * l.dp) % l.ep !== 0;
}

/** Ranks of the stage's block, by flat index f = t + tp·(c + cp·d). */
function flat(l: RankLayout, s: number, f: number): number {
  const local = f + l.tp * l.cp * l.dp * s;
  return l.ranks ? l.ranks[local] : l.firstRank + local;
}

/** Folded expert-parallel group b of stage s: flat indices b·ep .. b·ep + ep − 1. */
export function foldedEpGroup(l: RankLayout, s: number, b = 0): Int32Array {
  return Int32Array.from({ length: l.ep }, (_, k) => flat(l, s, b * l.ep + k));
}

/** Folded expert-data-parallel group e of stage s: the replicas of expert shard e (stride ep). */
export function foldedEdpGroup(l: RankLayout, s: number, e = 0): Int32Array {
  const n = (l.tp * l.cp * l.dp) / l.ep;
  return Int32Array.from({ length: n }, (_, i) => flat(l, s, i * l.ep + e));
}

/** Every folded ep and edp group of stage s but the representative ones (b = 0, e = 0). */
export function foldedSiblings(l: RankLayout, s: number): { ep: Int32Array[]; edp: Int32Array[] } {
  const blocks = (l.tp * l.cp * l.dp) / l.ep;
  const ep: Int32Array[] = [];
  const edp: Int32Array[] = [];
  for (let b = 1; b < blocks; b++) ep.push(foldedEpGroup(l, s, b));
  if (blocks > 1) for (let e = 1; e < l.ep; e++) edp.push(foldedEdpGroup(l, s, e));
  return { ep, edp };
}
