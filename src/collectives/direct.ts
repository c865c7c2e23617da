/**
 * Direct (pairwise) algorithms: every rank sends straight to the ranks that need its data, all at once,
 * as NCCL runs all-to-all (grouped sends and receives): one concurrent phase of n(n−1) flows.
 * Beyond MAX_CONCURRENT_FLOWS that is no longer cheap to evaluate, so the n−1 shift rounds
 * (round r: rank i → rank i+r) are used instead, each one phase, and past MAX_ROUNDS rounds only
 * MAX_ROUNDS evenly spaced rounds are built, each repeated (n−1)/MAX_ROUNDS times (an approximation:
 * rounds with the same locality cost the same on a symmetric fabric).
 *
 * all-reduce = direct reduce-scatter (S/n to each peer) + direct all-gather; all-gather, reduce-scatter,
 * all-to-all: S/n to each peer; broadcast: root → every rank (S); reduce: every rank → root (S);
 * send-recv: rank i → rank i+1 (S), as nccl-tests' sendrecv.
 */
import type { CollectiveOp } from "../scenario/types.js";
import type { RankLayout } from "./layout.js";
import { MODEL, zeroAlpha } from "./protocol.js";
import { type BuildOptions, makePhase } from "./schedule.js";
import { addFlow, finishStep, newStep } from "./step.js";
import type { Phase } from "./types.js";

export const MAX_CONCURRENT_FLOWS = 4096;
export const MAX_ROUNDS = 32;
const DIRECT = MODEL.directEfficiency;

export function directPhases(
  layout: RankLayout,
  op: CollectiveOp,
  bytes: number,
  options: BuildOptions,
): Phase[] {
  const n = layout.n;
  switch (op) {
    case "all-reduce":
      return [
        ...pairwise(layout, bytes / n, "direct reduce-scatter", options),
        ...pairwise(layout, bytes / n, "direct all-gather", options),
      ];
    case "all-gather":
    case "reduce-scatter":
    case "all-to-all":
      return pairwise(layout, bytes / n, `direct ${op}`, options);
    case "broadcast":
    case "reduce":
      return [rootPhase(layout, bytes, op, options)];
    case "send-recv":
      return [shiftPhase(layout, 1, bytes, "direct send-recv", 1, options)];
  }
}

/** Every ordered pair exchanges `perPair` bytes: one concurrent phase, or shift rounds when too many flows. */
function pairwise(layout: RankLayout, perPair: number, label: string, options: BuildOptions): Phase[] {
  const n = layout.n;
  if (n * (n - 1) <= MAX_CONCURRENT_FLOWS) {
    const list = newStep(layout, options.sketch, false, n * (n - 1));
    let crossing = false;
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        if (a === b) continue;
        if (layout.domainOf[a] !== layout.domainOf[b]) crossing = true;
        addFlow(list, layout.node[a], layout.node[b], perPair);
      }
    }
    return [
      makePhase({
        label,
        step: finishStep(list),
        repeat: 1,
        alphaCounts: oneStep(crossing),
        efficiency: DIRECT,
      }),
    ];
  }
  const rounds = Math.min(n - 1, MAX_ROUNDS);
  const phases: Phase[] = [];
  for (let i = 0; i < rounds; i++) {
    // Evenly spaced shifts 1..n−1; each stands for (n−1)/rounds rounds.
    const shift = 1 + Math.floor((i * (n - 1)) / rounds);
    phases.push(shiftPhase(layout, shift, perPair, `${label} round +${shift}`, (n - 1) / rounds, options));
  }
  return phases;
}

function shiftPhase(
  layout: RankLayout,
  shift: number,
  bytes: number,
  label: string,
  repeat: number,
  options: BuildOptions,
): Phase {
  const n = layout.n;
  const list = newStep(layout, options.sketch, false, n);
  let crossing = false;
  for (let a = 0; a < n; a++) {
    const b = (a + shift) % n;
    if (layout.domainOf[a] !== layout.domainOf[b]) crossing = true;
    addFlow(list, layout.node[a], layout.node[b], bytes);
  }
  const alpha = oneStep(crossing);
  for (const k of Object.keys(alpha) as (keyof typeof alpha)[]) alpha[k] *= repeat;
  return makePhase({ label, step: finishStep(list), repeat, alphaCounts: alpha, efficiency: DIRECT });
}

function rootPhase(
  layout: RankLayout,
  bytes: number,
  op: "broadcast" | "reduce",
  options: BuildOptions,
): Phase {
  const n = layout.n;
  const list = newStep(layout, options.sketch, false, n);
  let crossing = false;
  for (let b = 1; b < n; b++) {
    if (layout.domainOf[0] !== layout.domainOf[b]) crossing = true;
    if (op === "broadcast") addFlow(list, layout.node[0], layout.node[b], bytes);
    else addFlow(list, layout.node[b], layout.node[0], bytes);
  }
  return makePhase({
    label: `direct ${op}`,
    step: finishStep(list),
    repeat: 1,
    alphaCounts: oneStep(crossing),
    efficiency: DIRECT,
  });
}

function oneStep(crossing: boolean) {
  const a = zeroAlpha();
  if (crossing) a.scaleOut = 1;
  else a.scaleUp = 1;
  return a;
}
