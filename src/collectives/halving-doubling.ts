/**
 * Recursive halving and doubling (Thakur, Rabenseifner, Gropp, "Optimization of collective communication
 * operations in MPICH", IJHPCA 2005). Positions are taken in domain order, so small distances stay inside
 * a scale-up domain: the reduce-scatter halves the data at distance 1, 2, 4, … (the big exchanges on the
 * fast links, the small ones across the fabric) and the all-gather doubles it back in reverse.
 *
 * all-reduce: log2 p reduce-scatter steps then log2 p all-gather steps (p = largest power of two ≤ n); the
 * n − p extra ranks first hand their buffer to a partner and get the result back at the end.
 * all-gather / reduce-scatter: log2 n steps (n a power of two). broadcast / reduce: binomial tree,
 * log2 n steps of the whole buffer. Each step is its own phase (its pairs differ).
 */
import { WeftError } from "../errors.js";
import type { CollectiveOp } from "../scenario/types.js";
import type { RankLayout } from "./layout.js";
import { zeroAlpha } from "./protocol.js";
import { type BuildOptions, makePhase, unsupported } from "./schedule.js";
import { addFlow, finishStep, newStep } from "./step.js";
import type { Phase } from "./types.js";

export function halvingDoublingPhases(
  layout: RankLayout,
  op: CollectiveOp,
  bytes: number,
  options: BuildOptions,
): Phase[] {
  const order = domainOrder(layout);
  switch (op) {
    case "all-reduce":
      return allReduce(layout, order, bytes, options);
    case "reduce-scatter":
    case "all-gather": {
      const n = layout.n;
      if (!isPowerOfTwo(n)) {
        throw new WeftError(
          `halving-doubling ${op} needs a power-of-two number of ranks, got ${n}; use ring or direct for ${n} ranks`,
        );
      }
      return exchangeSteps(
        layout,
        order,
        n,
        bytes,
        op === "reduce-scatter" ? "halving" : "doubling",
        op,
        options,
      );
    }
    case "broadcast":
    case "reduce":
      return binomial(layout, order, bytes, op, options);
    default:
      throw unsupported("halving-doubling", op, [
        "all-reduce",
        "all-gather",
        "reduce-scatter",
        "broadcast",
        "reduce",
      ]);
  }
}

/** Positions in domain order (domain by domain). */
function domainOrder(layout: RankLayout): Int32Array {
  const order = new Int32Array(layout.n);
  let k = 0;
  for (const dom of layout.domains) for (const p of dom) order[k++] = p;
  return order;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

function allReduce(layout: RankLayout, order: Int32Array, bytes: number, options: BuildOptions): Phase[] {
  const n = layout.n;
  const p = 2 ** Math.floor(Math.log2(n));
  const extra = n - p;
  // Active index a → position: the first 2·extra positions pair up (even hands over to odd).
  const active = new Int32Array(p);
  for (let a = 0; a < p; a++) active[a] = a < extra ? order[2 * a + 1] : order[a + extra];
  const phases: Phase[] = [];
  if (extra > 0) phases.push(foldPhase(layout, order, extra, bytes, "in", options));
  phases.push(...exchangeSteps(layout, active, p, bytes, "halving", "reduce-scatter", options));
  phases.push(...exchangeSteps(layout, active, p, bytes, "doubling", "all-gather", options));
  if (extra > 0) phases.push(foldPhase(layout, order, extra, bytes, "out", options));
  return phases;
}

/** Extra ranks hand their whole buffer to their partner (in) or get the result back (out). */
function foldPhase(
  layout: RankLayout,
  order: Int32Array,
  extra: number,
  bytes: number,
  dir: "in" | "out",
  options: BuildOptions,
): Phase {
  const list = newStep(layout, options.sketch, false, extra);
  let crossing = 0;
  for (let i = 0; i < extra; i++) {
    const even = order[2 * i];
    const odd = order[2 * i + 1];
    if (layout.domainOf[even] !== layout.domainOf[odd]) crossing++;
    const [a, b] = dir === "in" ? [even, odd] : [odd, even];
    addFlow(list, layout.node[a], layout.node[b], bytes);
  }
  return makePhase({
    label: dir === "in" ? "fold extra ranks in" : "fold extra ranks out",
    step: finishStep(list),
    repeat: 1,
    alphaCounts: stepAlpha(crossing > 0),
  });
}

/**
 * Pairwise exchange steps over `count` active positions. halving: distance 1, 2, 4, … with S/2, S/4, …;
 * doubling: distance count/2, …, 1 with S/count, …, S/2 (the reverse).
 */
function exchangeSteps(
  layout: RankLayout,
  active: Int32Array,
  count: number,
  bytes: number,
  kind: "halving" | "doubling",
  what: string,
  options: BuildOptions,
): Phase[] {
  const L = Math.log2(count);
  const phases: Phase[] = [];
  for (let s = 0; s < L; s++) {
    const k = kind === "halving" ? s : L - 1 - s;
    const distance = 2 ** k;
    const perRank = bytes / 2 ** (k + 1);
    const list = newStep(layout, options.sketch, false, count);
    let crossing = false;
    for (let a = 0; a < count; a++) {
      const b = a ^ distance;
      const pa = active[a];
      const pb = active[b];
      if (layout.domainOf[pa] !== layout.domainOf[pb]) crossing = true;
      addFlow(list, layout.node[pa], layout.node[pb], perRank);
    }
    phases.push(
      makePhase({
        label: `halving-doubling ${what} step ${s + 1}/${L} (distance ${distance})`,
        step: finishStep(list),
        repeat: 1,
        alphaCounts: stepAlpha(crossing),
      }),
    );
  }
  return phases;
}

/** Binomial tree from / to position 0: step j, positions < 2^j exchange with position + 2^j. */
function binomial(
  layout: RankLayout,
  order: Int32Array,
  bytes: number,
  op: "broadcast" | "reduce",
  options: BuildOptions,
): Phase[] {
  const n = layout.n;
  const root = order.indexOf(0);
  const at = (i: number) => order[(root + i) % n];
  const L = Math.ceil(Math.log2(n));
  const phases: Phase[] = [];
  for (let s = 0; s < L; s++) {
    // Broadcast sends far first (large distance) so later, denser steps stay inside domains; reduce reverses.
    const j = op === "broadcast" ? L - 1 - s : s;
    const distance = 2 ** j;
    const list = newStep(layout, options.sketch, false, n);
    let crossing = false;
    for (let i = 0; i < n; i += 2 * distance) {
      if (i + distance >= n) continue;
      const a = at(i);
      const b = at(i + distance);
      if (layout.domainOf[a] !== layout.domainOf[b]) crossing = true;
      if (op === "broadcast") addFlow(list, layout.node[a], layout.node[b], bytes);
      else addFlow(list, layout.node[b], layout.node[a], bytes);
    }
    phases.push(
      makePhase({
        label: `binomial ${op} step ${s + 1}/${L} (distance ${distance})`,
        step: finishStep(list),
        repeat: 1,
        alphaCounts: stepAlpha(crossing),
      }),
    );
  }
  return phases;
}

function stepAlpha(crossing: boolean) {
  const a = zeroAlpha();
  if (crossing) a.scaleOut = 1;
  else a.scaleUp = 1;
  return a;
}
