/**
 * Tree algorithms (NCCL style): inside each scale-up domain the ranks form a chain; across domains the
 * chain heads form a double binary tree (btree.ts). Across domains there is one channel per rail, each
 * with its chain head on its own rail, so the tree traffic spreads over all NICs.
 *
 * all-reduce: reduce up the chains and trees, broadcast back down, pipelined in chunks: in steady state
 * every edge carries a chunk up and a chunk down (each tree of the pair half of it). The pipeline is
 * 2·((P−1) + depth) stages deep (P ranks per domain, depth of the inter-domain tree).
 * broadcast / reduce: one tree rooted at the root's domain, the root's domain chain starting at the root.
 */
import type { CollectiveOp } from "../scenario/types.js";
import { doubleBinaryTree, treeDepth } from "./btree.js";
import type { RankLayout } from "./layout.js";
import { pipelineChunks } from "./protocol.js";
import { type BuildOptions, makePhase, unsupported } from "./schedule.js";
import { addFlow, addTreeEdges, finishStep, newStep, type Step } from "./step.js";
import type { Phase } from "./types.js";

export function treePhases(
  layout: RankLayout,
  op: CollectiveOp,
  bytes: number,
  options: BuildOptions,
): Phase[] {
  if (op === "all-reduce") return [allReducePhase(layout, bytes, options)];
  if (op === "broadcast" || op === "reduce") return [rootedPhase(layout, bytes, op, options)];
  throw unsupported("tree", op, ["all-reduce", "broadcast", "reduce"]);
}

/** Channels across domains: one per rail; a single domain needs one chain. */
export function treeChannels(layout: RankLayout): number {
  return layout.domains.length > 1 ? layout.rails : 1;
}

/** Position at the head of domain `d`'s chain for channel c (its rail). */
function headIndex(layout: RankLayout, d: number, c: number, channels: number): number {
  return Math.floor((c * layout.domains[d].length) / channels);
}

function allReducePhase(layout: RankLayout, bytes: number, options: BuildOptions): Phase {
  const D = layout.domains.length;
  const C = treeChannels(layout);
  const trees = D > 1 ? doubleBinaryTree(D) : undefined;
  const depthTree = trees ? Math.max(treeDepth(trees[0]), treeDepth(trees[1])) : 0;
  const depth = 2 * (layout.maxPerDomain - 1 + depthTree);
  const { chunk, chunks } = pipelineChunks(bytes, depth);
  const list = newStep(layout, options.sketch, true, layout.n * 4);
  const perChannel = chunk / C;
  // Chains: channel c's chain in domain d covers every edge (j → j+1) of the domain's cycle except the one
  // into its head; sum the channels per edge (the same for every domain of P ranks), then emit each edge
  // once each way.
  const weights = new Map<number, Float64Array>();
  for (let d = 0; d < D; d++) {
    const dom = layout.domains[d];
    const P = dom.length;
    let weight = weights.get(P);
    if (!weight) {
      weight = new Float64Array(P).fill(C * perChannel);
      for (let c = 0; c < C; c++) weight[(headIndex(layout, d, c, C) + P - 1) % P] -= perChannel;
      weights.set(P, weight);
    }
    for (let j = 0; j < P; j++) {
      if (weight[j] === 0) continue;
      const near = layout.node[dom[j]];
      const far = layout.node[dom[(j + 1) % P]];
      addFlow(list, far, near, weight[j]);
      addFlow(list, near, far, weight[j]);
    }
  }
  if (trees) {
    // Channel c's double binary tree joins the domains' channel-c heads, half the chunk per tree.
    const heads = new Int32Array(D);
    for (let c = 0; c < C; c++) {
      for (let d = 0; d < D; d++) heads[d] = layout.domains[d][headIndex(layout, d, c, C)];
      addTreeEdges(list, trees, heads, perChannel / 2);
    }
  }
  return makePhase({
    label: D > 1 ? "tree reduce+broadcast (chains + double binary tree)" : "tree reduce+broadcast (chain)",
    step: finishStep(list),
    repeat: chunks,
    alphaCounts: {
      scaleUp: 2 * (layout.maxPerDomain - 1),
      scaleOut: 2 * depthTree,
      inNetworkUp: 0,
      inNetworkOut: 0,
    },
    depth,
  });
}

/** Chain of domain d from index `head`: head, head+1, …, head−1; `down` edges point away from the head. */
function addChain(
  list: Step,
  layout: RankLayout,
  d: number,
  head: number,
  bytes: number,
  dir: "down" | "up",
): void {
  const dom = layout.domains[d];
  const P = dom.length;
  for (let j = 1; j < P; j++) {
    const near = layout.node[dom[(head + j - 1) % P]];
    const far = layout.node[dom[(head + j) % P]];
    if (dir === "up") addFlow(list, far, near, bytes);
    else addFlow(list, near, far, bytes);
  }
}

/** Broadcast from / reduce to position 0, over one binary tree of domains rooted at its domain. */
function rootedPhase(
  layout: RankLayout,
  bytes: number,
  op: "broadcast" | "reduce",
  options: BuildOptions,
): Phase {
  const D = layout.domains.length;
  const C = treeChannels(layout);
  const rootDomain = layout.domainOf[0];
  const parent = D > 1 ? doubleBinaryTree(D)[0] : undefined;
  const depthTree = parent ? treeDepth(parent) : 0;
  const P = layout.maxPerDomain;
  const depth = Math.max(1, (D > 1 ? 2 * (P - 1) : P - 1) + depthTree);
  const { chunk, chunks } = pipelineChunks(bytes, depth);
  const list = newStep(layout, options.sketch, true, layout.n * 2);
  const perChannel = chunk / C;
  const dir = op === "broadcast" ? "down" : "up";
  // Tree index i is domain (rootDomain + i) mod D, so tree index 0 (the root) is the root's domain.
  const domainAt = (i: number) => (rootDomain + i) % D;
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < D; i++) {
      const d = domainAt(i);
      const head = d === rootDomain ? layout.indexInDomain[0] : headIndex(layout, d, c, C);
      addChain(list, layout, d, head, perChannel, dir);
      if (!parent || parent[i] < 0) continue;
      const p = domainAt(parent[i]);
      const child = layout.node[layout.domains[d][head]];
      const from = layout.node[layout.domains[p][headIndex(layout, p, c, C)]];
      if (op === "broadcast") addFlow(list, from, child, perChannel);
      else addFlow(list, child, from, perChannel);
    }
  }
  const upSteps = D > 1 ? 2 * (P - 1) : P - 1;
  return makePhase({
    label: `tree ${op} (pipelined)`,
    step: finishStep(list),
    repeat: chunks,
    alphaCounts: { scaleUp: upSteps, scaleOut: depthTree, inNetworkUp: 0, inNetworkOut: 0 },
    depth,
  });
}
