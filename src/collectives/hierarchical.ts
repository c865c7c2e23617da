/**
 * Hierarchical (two-level) collectives, the scheme of NCCL's NVLS-tree and CollNet: reduce-scatter inside
 * each scale-up domain, all-reduce of each 1/P shard across domains among the ranks with the same index in
 * their domain (the same rail: rail-aligned traffic), all-gather inside the domain.
 *
 * all-reduce is pipelined in chunks, all levels at once: in steady state every rank reduce-scatters one
 * chunk in its domain (by in-network reduction when the scale-up switch reduces, else by a ring), all-reduces
 * the shard of an earlier chunk across domains (a double binary tree, or in-network reduction in the
 * scale-out switches), and all-gathers a still earlier one. Pipeline depth = 2·(intra stages) + inter
 * stages. all-gather / reduce-scatter: an inter-domain ring and an intra-domain ring one after the other.
 */
import { WeftError } from "../errors.js";
import type { CollectiveOp } from "../scenario/types.js";
import { doubleBinaryTree, treeDepth } from "./btree.js";
import type { RankLayout } from "./layout.js";
import { pipelineChunks, zeroAlpha } from "./protocol.js";
import { type BuildOptions, makePhase, unsupported } from "./schedule.js";
import { addFlow, addSwitchPair, addTreeEdges, finishStep, newStep, type Step } from "./step.js";
import type { Phase } from "./types.js";

export type IntraMethod = "inc" | "ring";
export type InterMethod = "tree" | "inc";

export function hierarchicalPhases(
  layout: RankLayout,
  op: CollectiveOp,
  bytes: number,
  options: BuildOptions,
): Phase[] {
  requireUniform(layout, "hierarchical");
  switch (op) {
    case "all-reduce":
      return [pipelinedAllReduce(layout, bytes, options.scaleUpReduction ? "inc" : "ring", "tree", options)];
    case "all-gather":
      return [
        interRing(layout, bytes, "all-gather", options),
        intraRing(layout, bytes, "all-gather", options),
      ];
    case "reduce-scatter":
      return [
        intraRing(layout, bytes, "reduce-scatter", options),
        interRing(layout, bytes, "reduce-scatter", options),
      ];
    default:
      throw unsupported("hierarchical", op, ["all-reduce", "all-gather", "reduce-scatter"]);
  }
}

export function requireUniform(layout: RankLayout, algorithm: string): void {
  if (!layout.uniform) {
    const sizes = [...new Set(layout.domains.map((d) => d.length))].join(", ");
    throw new WeftError(
      `the ${algorithm} algorithm needs the same number of ranks in every scale-up domain; these ranks have ` +
        `${sizes} per domain (use ring or tree, or choose ranks that fill whole domains)`,
    );
  }
}

/** The pipelined two-level all-reduce (also the in-network algorithm across domains). */
export function pipelinedAllReduce(
  layout: RankLayout,
  bytes: number,
  intra: IntraMethod,
  inter: InterMethod,
  options: BuildOptions,
): Phase {
  const D = layout.domains.length;
  const P = layout.maxPerDomain;
  const trees = D > 1 && inter === "tree" ? doubleBinaryTree(D) : undefined;
  const intraStages = P > 1 ? (intra === "inc" ? 1 : P - 1) : 0;
  const interStages =
    D > 1 ? (inter === "inc" ? 2 : 2 * Math.max(treeDepth(trees![0]), treeDepth(trees![1]))) : 0;
  const depth = Math.max(1, 2 * intraStages + interStages);
  const { chunk, chunks } = pipelineChunks(bytes, depth);
  const list = newStep(layout, options.sketch, true, layout.n * 6);
  if (P > 1) {
    if (intra === "inc") addIntraInc(list, layout, chunk * (1 + 1 / P), chunk * (1 + 1 / P));
    else addIntraRing(list, layout, (2 * (P - 1) * chunk) / P);
  }
  if (D > 1) {
    if (inter === "inc") addInterInc(list, layout, chunk / P);
    else addInterTrees(list, layout, trees!, chunk / P);
  }
  const alpha = zeroAlpha();
  if (intra === "inc") alpha.inNetworkUp = 2 * intraStages;
  else alpha.scaleUp = 2 * intraStages;
  if (inter === "inc") alpha.inNetworkOut = interStages;
  else alpha.scaleOut = interStages;
  const label =
    `${intra === "inc" ? "in-network" : "ring"} reduce-scatter/all-gather in domains` +
    (D > 1 ? ` + ${inter === "inc" ? "in-network" : "tree"} all-reduce across ${D} domains` : "") +
    " (pipelined)";
  return makePhase({ label, step: finishStep(list), repeat: chunks, alphaCounts: alpha, depth });
}

/** Each rank ↔ its scale-up switch(es): `up` bytes in, `down` bytes back, split by link share. */
export function addIntraInc(list: Step, layout: RankLayout, up: number, down: number): void {
  const { upSwitchStart, upSwitchNode, upSwitchShare, node } = layout;
  for (let p = 0; p < layout.n; p++) {
    if (!(upSwitchStart[p + 1] > upSwitchStart[p])) {
      throw new WeftError(
        `in-network reduction needs a scale-up switch; ${layout.fabric.nodes.names[node[p]]} has none`,
      );
    }
    for (let k = upSwitchStart[p]; k < upSwitchStart[p + 1]; k++) {
      const share = upSwitchShare[k];
      addSwitchPair(list, node[p], upSwitchNode[k], up * share, down * share);
    }
  }
}

/** One ring per domain in domain order: every rank sends `bytes` to its successor. */
function addIntraRing(list: Step, layout: RankLayout, bytes: number): void {
  for (const dom of layout.domains) {
    for (let j = 0; j < dom.length; j++)
      addFlow(list, layout.node[dom[j]], layout.node[dom[(j + 1) % dom.length]], bytes);
  }
}

/** Each rank ↔ its leaf switch, `bytes` each way (the scale-out switches reduce the shard). */
function addInterInc(list: Step, layout: RankLayout, bytes: number): void {
  for (let p = 0; p < layout.n; p++) {
    const leaf = layout.leaf[p];
    if (leaf < 0) {
      throw new WeftError(
        `in-network reduction across domains needs a scale-out switch; ${layout.fabric.nodes.names[layout.node[p]]} has no NIC`,
      );
    }
    addFlow(list, layout.node[p], leaf, bytes);
    addFlow(list, leaf, layout.node[p], bytes);
  }
}

/** For each index j in a domain: the double binary tree over domains, shard `bytes` (half per tree) up and down. */
function addInterTrees(list: Step, layout: RankLayout, trees: [Int32Array, Int32Array], bytes: number): void {
  const D = layout.domains.length;
  const members = new Int32Array(D);
  for (let j = 0; j < layout.maxPerDomain; j++) {
    for (let d = 0; d < D; d++) members[d] = layout.domains[d][j];
    addTreeEdges(list, trees, members, bytes / 2);
  }
}

/** Ring across domains among same-index ranks: D−1 steps of S/n. */
function interRing(
  layout: RankLayout,
  bytes: number,
  op: "all-gather" | "reduce-scatter",
  options: BuildOptions,
): Phase {
  const D = layout.domains.length;
  const list = newStep(layout, options.sketch, false, layout.n);
  if (D > 1) {
    for (let j = 0; j < layout.maxPerDomain; j++) {
      for (let d = 0; d < D; d++) {
        addFlow(
          list,
          layout.node[layout.domains[d][j]],
          layout.node[layout.domains[(d + 1) % D][j]],
          bytes / layout.n,
        );
      }
    }
  }
  const alpha = zeroAlpha();
  alpha.scaleOut = D - 1;
  return makePhase({
    label: `ring ${op} across domains`,
    step: finishStep(list),
    repeat: D - 1,
    alphaCounts: alpha,
  });
}

/** Ring inside each domain: P−1 steps of S/P. */
function intraRing(
  layout: RankLayout,
  bytes: number,
  op: "all-gather" | "reduce-scatter",
  options: BuildOptions,
): Phase {
  const P = layout.maxPerDomain;
  const list = newStep(layout, options.sketch, false, layout.n);
  addIntraRing(list, layout, bytes / P);
  const alpha = zeroAlpha();
  alpha.scaleUp = P - 1;
  return makePhase({
    label: `ring ${op} in domains`,
    step: finishStep(list),
    repeat: P - 1,
    alphaCounts: alpha,
  });
}
