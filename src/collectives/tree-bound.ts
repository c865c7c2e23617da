/**
 * A lower bound on the closed-form time of the tree all-reduce (tree.ts), computed without building its
 * phase: the same pipeline (depth, chunks) and α counts, and as the transfer time of a step only the
 * busiest chain head's scale-out bytes — its degree in the double binary trees × half a channel's chunk,
 * each way — over all of its NIC ports together (or its PCIe link, if slower). The closed form charges
 * those bytes to each port by bandwidth share, so some port is at least that loaded; every other link it
 * counts only makes the step longer. The tuner skips the tree once this bound reaches the best time found.
 */
import { doubleBinaryTree, treeDepth } from "./btree.js";
import { phaseAlpha } from "./evaluate.js";
import type { RankLayout } from "./layout.js";
import { efficiency, MODEL, type ProtocolModel, phaseLatency, pipelineChunks } from "./protocol.js";
import { treeDegrees } from "./step.js";
import { treeChannels } from "./tree.js";
import { type AlphaCounts, type Phase, PROTOCOLS } from "./types.js";

/** Relative slack so that rounding in a different summation order never lifts the bound above the time. */
const SLACK = 1 - 1e-9;

export function treeAllReduceBound(layout: RankLayout, bytes: number, model: ProtocolModel = MODEL): number {
  const D = layout.domains.length;
  const C = treeChannels(layout);
  const trees = D > 1 ? doubleBinaryTree(D) : undefined;
  const depthTree = trees ? Math.max(treeDepth(trees[0]), treeDepth(trees[1])) : 0;
  const depth = 2 * (layout.maxPerDomain - 1 + depthTree);
  const { chunk, chunks } = pipelineChunks(bytes, depth);
  const alphaCounts: AlphaCounts = {
    scaleUp: 2 * (layout.maxPerDomain - 1),
    scaleOut: 2 * depthTree,
    inNetworkUp: 0,
    inNetworkOut: 0,
  };
  const stepS = trees ? headStep(layout, trees, chunk / C / 2, C, model) : 0;
  const pipeline = chunks + Math.max(0, depth - 1);
  const phase = { alphaCounts } as Phase;
  const base = layout.n > 1 ? model.baseLatencyS : undefined;
  let bound = Number.POSITIVE_INFINITY;
  for (const p of PROTOCOLS) {
    if (!Number.isFinite(phaseLatency(alphaCounts, p, model))) continue;
    const t =
      (base ? base[p] : 0) +
      phaseAlpha(layout, phase, p, model) +
      (pipeline * stepS) / model.protocolEfficiency[p];
    bound = Math.min(bound, t);
  }
  return bound * SLACK;
}

/** Simple-protocol transfer time of the busiest head: its tree bytes over its ports' total bandwidth. */
function headStep(
  layout: RankLayout,
  trees: Int32Array[],
  perEdge: number,
  C: number,
  model: ProtocolModel,
): number {
  const degree = treeDegrees(trees);
  const { domains, portStart, portIndex, portBandwidth, hostBandwidth } = layout;
  const out = new Float64Array(layout.n);
  for (let c = 0; c < C; c++) {
    for (let d = 0; d < domains.length; d++) {
      const dom = domains[d];
      // headIndex of tree.ts: channel c's chain head in domain d.
      out[dom[Math.floor((c * dom.length) / C)]] += degree[d] * perEdge;
    }
  }
  const inv = 1 / efficiency("scaleOut", "Simple", model);
  let worst = 0;
  for (let p = 0; p < layout.n; p++) {
    if (out[p] === 0) continue;
    let bw = 0;
    for (let k = portStart[p]; k < portStart[p + 1]; k++) bw += portBandwidth[portIndex[k]];
    const rate = Math.min(hostBandwidth[p], bw > 0 ? bw : Number.POSITIVE_INFINITY);
    if (Number.isFinite(rate)) worst = Math.max(worst, (out[p] * inv) / rate);
  }
  return worst;
}
