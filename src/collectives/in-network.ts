/**
 * In-network reduction: the switch reduces and multicasts. Inside an NVSwitch domain (NVLink SHARP, NVLS)
 * each rank sends its buffer S to the switch and receives the reduced S back (all-reduce), instead of the
 * 2(n−1)/n·S a ring moves each way — which is why 8×H100 all-reduce busbw exceeds the NVLink rate. Across
 * domains the scale-out switches (InfiniBand SHARP, UEC in-network collectives) reduce the 1/P shards the
 * domains produced (hierarchical.ts with in-network on both levels). Pipelined in chunks: one stage up
 * into the switch and one back down.
 *
 * Single domain: all-reduce (up S, down S), reduce-scatter (up S, down S/n), all-gather (up S/n, down S),
 * broadcast (root up S, everyone down S), reduce (everyone up S, root down S).
 */
import { WeftError } from "../errors.js";
import type { CollectiveOp } from "../scenario/types.js";
import { addIntraInc, pipelinedAllReduce, requireUniform } from "./hierarchical.js";
import type { RankLayout } from "./layout.js";
import { pipelineChunks, zeroAlpha } from "./protocol.js";
import { type BuildOptions, makePhase, unsupported } from "./schedule.js";
import { addFlow, finishStep, newStep } from "./step.js";
import type { Phase } from "./types.js";

const SINGLE_DOMAIN_OPS = ["all-reduce", "reduce-scatter", "all-gather", "broadcast", "reduce"];

export function inNetworkPhases(
  layout: RankLayout,
  op: CollectiveOp,
  bytes: number,
  options: BuildOptions,
): Phase[] {
  const D = layout.domains.length;
  if (D > 1) {
    if (op !== "all-reduce")
      throw unsupported("in-network", op, [
        "all-reduce across domains",
        ...SINGLE_DOMAIN_OPS.map((o) => `${o} in one domain`),
      ]);
    if (!options.scaleOutReduction && !options.scaleOutCapable) {
      throw new WeftError(
        `in-network all-reduce across ${D} scale-up domains needs scale-out switches that reduce (SHARP / ` +
          "in-network collectives: QM8700, QM9700, Q3400-144x800G, TH-Ultra-64x800G), and this fabric's switches " +
          "do not; use hierarchical (in-network reduction " +
          "inside the domain, a tree across domains) or auto",
      );
    }
    requireUniform(layout, "in-network");
    return [pipelinedAllReduce(layout, bytes, options.scaleUpReduction ? "inc" : "ring", "inc", options)];
  }
  if (!options.scaleUpReduction) {
    throw new WeftError(
      "in-network reduction needs a scale-up switch that reduces (NVLink SHARP: nvlink4, nvlink5; " +
        "inNetworkReduction: true in an inline scale-up); this domain's does not. Use ring, tree or auto",
    );
  }
  if (!SINGLE_DOMAIN_OPS.includes(op)) throw unsupported("in-network", op, SINGLE_DOMAIN_OPS);
  return [singleDomain(layout, op, bytes, options)];
}

function singleDomain(layout: RankLayout, op: CollectiveOp, bytes: number, options: BuildOptions): Phase {
  const n = layout.n;
  const depth = 2;
  const { chunk, chunks } = pipelineChunks(bytes, depth);
  const list = newStep(layout, options.sketch, true, n * 2);
  if (op === "all-reduce") addIntraInc(list, layout, chunk, chunk);
  else if (op === "reduce-scatter") addIntraInc(list, layout, chunk, chunk / n);
  else if (op === "all-gather") addIntraInc(list, layout, chunk / n, chunk);
  else {
    // broadcast: only the root sends; reduce: only the root receives.
    for (let p = 0; p < n; p++) {
      for (let k = layout.upSwitchStart[p]; k < layout.upSwitchStart[p + 1]; k++) {
        const sw = layout.upSwitchNode[k];
        const share = layout.upSwitchShare[k];
        const toSwitch = op === "reduce" || p === 0 ? chunk * share : 0;
        const fromSwitch = op === "broadcast" || p === 0 ? chunk * share : 0;
        addFlow(list, layout.node[p], sw, toSwitch);
        addFlow(list, sw, layout.node[p], fromSwitch);
      }
    }
  }
  const alpha = zeroAlpha();
  alpha.inNetworkUp = depth;
  return makePhase({
    label: `in-network ${op} (switch reduces)`,
    step: finishStep(list),
    repeat: chunks,
    alphaCounts: alpha,
    depth,
  });
}
