/**
 * Rank placement in Megatron-LM order: tensor parallelism innermost (consecutive ranks, so a TP group sits
 * inside one scale-up domain whenever tp divides the domain size), then context, data, and pipeline
 * parallelism outermost. Expert parallelism is carved from the data×context dimension (ep consecutive
 * ranks of it), as Megatron-Core does, or folded over tensor and data ranks (expert-layout.ts). Groups come
 * out as Int32Array of global accelerator ranks.
 */
import type { ParallelismSpec } from "../../scenario/types.js";
import { expertsFolded, foldedEdpGroup, foldedEpGroup, foldedEtpGroup } from "./expert-layout.js";

export interface RankLayout {
  tp: number;
  cp: number;
  dp: number;
  pp: number;
  ep: number;
  /** Expert tensor parallelism (absent: 1). */
  etp?: number;
  /** Global rank of the job's first accelerator. */
  firstRank: number;
  /** The job's global ranks in job order, when they are not firstRank, firstRank + 1, ... (a job of `jobs:`). */
  ranks?: Int32Array;
}

export function rankLayout(p: ParallelismSpec, firstRank: number, ranks?: Int32Array): RankLayout {
  return {
    tp: p.tp,
    cp: p.cp,
    dp: p.dp,
    pp: p.pp,
    ep: p.ep,
    ...(p.etp && p.etp > 1 ? { etp: p.etp } : {}),
    firstRank,
    ...(ranks ? { ranks } : {}),
  };
}

/** Global rank of the job's `local`-th accelerator. */
export function globalRank(l: RankLayout, local: number): number {
  return l.ranks ? l.ranks[local] : l.firstRank + local;
}

/** Global rank of (tensor t, context c, data d, pipeline stage s). */
export function rankOf(l: RankLayout, t: number, c: number, d: number, s: number): number {
  return globalRank(l, t + l.tp * (c + l.cp * (d + l.dp * s)));
}

/** The tensor-parallel group of stage s that holds rank (c = 0, d = 0). */
export function tpGroup(l: RankLayout, s: number): Int32Array {
  return Int32Array.from({ length: l.tp }, (_, t) => rankOf(l, t, 0, 0, s));
}

/** The context-parallel ring of stage s. */
export function cpGroup(l: RankLayout, s: number): Int32Array {
  return Int32Array.from({ length: l.cp }, (_, c) => rankOf(l, 0, c, 0, s));
}

/** Index j of the combined data×context dimension → (c, d). */
function dc(l: RankLayout, j: number): [number, number] {
  return [j % l.cp, Math.floor(j / l.cp)];
}

/** The gradient-reduction group of stage s: every data- and context-parallel replica (dp·cp ranks). */
export function dpGroup(l: RankLayout, s: number): Int32Array {
  return Int32Array.from({ length: l.dp * l.cp }, (_, j) => {
    const [c, d] = dc(l, j);
    return rankOf(l, 0, c, d, s);
  });
}

/** The expert-parallel group of stage s: ep consecutive ranks of the data×context dimension. */
export function epGroup(l: RankLayout, s: number): Int32Array {
  if (expertsFolded(l)) return foldedEpGroup(l, s);
  return Int32Array.from({ length: l.ep }, (_, j) => {
    const [c, d] = dc(l, j);
    return rankOf(l, 0, c, d, s);
  });
}

/** The expert-data-parallel group of stage s: replicas of one expert shard (stride ep), dp·cp/ep ranks. */
export function expertDpGroup(l: RankLayout, s: number): Int32Array {
  if (expertsFolded(l)) return foldedEdpGroup(l, s);
  const n = Math.max(1, Math.floor((l.dp * l.cp) / l.ep));
  return Int32Array.from({ length: n }, (_, i) => {
    const [c, d] = dc(l, i * l.ep);
    return rankOf(l, 0, c, d, s);
  });
}

/** The expert-tensor-parallel group of stage s (one rank without expert tensor parallelism). */
export function expertTpGroup(l: RankLayout, s: number): Int32Array {
  return expertsFolded(l) ? foldedEtpGroup(l, s) : Int32Array.of(rankOf(l, 0, 0, 0, s));
}

/** The pair (stage s, stage s + 1 mod pp) that exchanges activations. */
export function ppPair(l: RankLayout, s: number): Int32Array {
  return Int32Array.of(rankOf(l, 0, 0, 0, s), rankOf(l, 0, 0, 0, (s + 1) % l.pp));
}

/** Neighbours on the context-parallel ring. */
export function cpPair(l: RankLayout, s: number): Int32Array {
  return Int32Array.of(rankOf(l, 0, 0, 0, s), rankOf(l, 0, 1 % l.cp, 0, s));
}
