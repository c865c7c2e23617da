/**
 * Direct (pairwise) algorithms: every rank sends straight to the ranks that need its data, all at once,
 * as NCCL runs all-to-all (grouped sends and receives): one concurrent phase of n(n−1) flows.
 * Beyond MAX_CONCURRENT_FLOWS flows each rank sends to a stratified sample of its peers that carries the
 * bytes of all of them (see `pairwise`), so the phase stays concurrent and its cost smooth in n.
 *
 * all-reduce = direct reduce-scatter (S/n to each peer) + direct all-gather; all-gather, reduce-scatter,
 * all-to-all: S/n to each peer; broadcast: root → every rank (S); reduce: every rank → root (S);
 * send-recv: rank i → rank i+1 (S), as nccl-tests' sendrecv.
 */
import type { CollectiveOp } from "../scenario/types.js";
import type { RankLayout } from "./layout.js";
import { MODEL, zeroAlpha } from "./protocol.js";
import { type BuildOptions, makePhase } from "./schedule.js";
import { addFlow, finishStep, newStep, type Step } from "./step.js";
import type { Phase } from "./types.js";

export const MAX_CONCURRENT_FLOWS = 4096;
/** Fewest peers a rank sends to per tier when sampled: enough flows that ECMP collisions average out. */
export const MIN_SAMPLED_PEERS = 16;
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

/**
 * Every ordered pair exchanges `perPair` bytes, all at once. Up to MAX_CONCURRENT_FLOWS every pair is its
 * own flow. Beyond that the phase stays one concurrent phase (a rank's NIC and scale-up port still carry
 * their traffic at the same time, and the flows of every rank still spread over the fabric together), but
 * each rank sends to a sample of its peers that stands for all of them, each sampled flow carrying the
 * bytes of the peers it stands for. Peers in the rank's own scale-up domain and those outside it are
 * sampled apart (stratified, so the bytes each tier carries are exact): inside, evenly along the domain's
 * cyclic order; outside, along the same evenly spaced shifts a → a+t for every rank, so that every rank
 * also receives about as many samples as it sends. The cost then grows smoothly with n: no switch to
 * sequential rounds, whose makespans add up every round's slowest flow.
 */
function pairwise(layout: RankLayout, perPair: number, label: string, options: BuildOptions): Phase[] {
  const n = layout.n;
  const all = n * (n - 1) <= MAX_CONCURRENT_FLOWS;
  const perClass = all ? n : sampledPeers(n);
  const list = newStep(layout, options.sketch, false, all ? n * (n - 1) : 2 * n * perClass);
  const shifts = new Int32Array(Math.min(perClass, n - 1));
  for (let j = 0; j < shifts.length; j++) shifts[j] = 1 + sampleIndex(j, n - 1, shifts.length);
  let crossing = false;
  for (let a = 0; a < n; a++) {
    addInside(list, layout, a, perPair, perClass);
    if (addOutside(list, layout, a, perPair, shifts)) crossing = true;
  }
  const sampled = all ? "" : ` (${perClass} sampled peers per tier)`;
  return [
    makePhase({
      label: `${label}${sampled}`,
      step: finishStep(list),
      repeat: 1,
      alphaCounts: oneStep(crossing),
      efficiency: DIRECT,
    }),
  ];
}

/** Rank a's flows to the peers of its own domain: all, or `k` evenly spread along the domain's cycle. */
function addInside(list: Step, layout: RankLayout, a: number, perPair: number, k: number): void {
  const domain = layout.domains[layout.domainOf[a]];
  const m = domain.length - 1;
  if (m <= 0) return;
  const kIn = Math.min(m, k);
  const idx = layout.indexInDomain[a];
  for (let j = 0; j < kIn; j++) {
    const s = 1 + (kIn === m ? j : sampleIndex(j, m, kIn));
    const b = domain[(idx + s) % domain.length];
    addFlow(list, layout.node[a], layout.node[b], (perPair * m) / kIn);
  }
}

/**
 * Rank a's flows to the peers outside its domain: those of the shifts a+t that leave the domain, each
 * carrying an equal share of the bytes of every outside peer (the first outside peer when none does).
 * Returns whether rank a has outside peers.
 */
function addOutside(list: Step, layout: RankLayout, a: number, perPair: number, shifts: Int32Array): boolean {
  const n = layout.n;
  const { domainOf } = layout;
  const m = n - layout.domains[domainOf[a]].length;
  if (m <= 0) return false;
  let k = 0;
  for (const t of shifts) if (domainOf[(a + t) % n] !== domainOf[a]) k++;
  if (k === 0) {
    let s = 1;
    while (domainOf[(a + s) % n] === domainOf[a]) s++;
    addFlow(list, layout.node[a], layout.node[(a + s) % n], perPair * m);
    return true;
  }
  for (const t of shifts) {
    const b = (a + t) % n;
    if (domainOf[b] !== domainOf[a]) addFlow(list, layout.node[a], layout.node[b], (perPair * m) / k);
  }
  return true;
}

/** Peers sampled per rank and tier once all pairs are too many flows (at least MIN_SAMPLED_PEERS). */
export function sampledPeers(n: number): number {
  return Math.max(MIN_SAMPLED_PEERS, Math.floor(MAX_CONCURRENT_FLOWS / n));
}

/** The j-th of k samples evenly spread over m peers: the middle of its share. */
function sampleIndex(j: number, m: number, k: number): number {
  return Math.floor(((j + 0.5) * m) / k);
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
