/**
 * Invariants of the schedules and their timing, over random rank counts, sizes, algorithms and fabrics:
 * - bytes are conserved: the payload a schedule moves is what the operation needs (all-reduce 2(n−1)·S
 *   over all ranks, each ring rank 2(n−1)/n·S; all-gather / reduce-scatter / all-to-all (n−1)·S; …);
 * - the closed form's rank loads collected while building equal those of the built flows;
 * - busbw never exceeds the bottleneck line rate (the least, over ranks, of a rank's scale-up plus
 *   scale-out bandwidth) for algorithms without in-network reduction, whatever the rank count;
 * - time never decreases when the size grows, for every algorithm and for auto.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildPhases,
  busBandwidthFactor,
  bytesReceivedPerRank,
  bytesSentPerRank,
  collectiveTime,
  phaseLoads,
  rankLayout,
} from "../../src/collectives/index.js";
import { buildOptions } from "../../src/collectives/run.js";
import type { Algorithm, Phase } from "../../src/collectives/types.js";
import type { CollectiveOp } from "../../src/scenario/types.js";
import { type Built, cluster, firstRanks } from "./helpers.js";

const FABRICS: Record<string, Built> = {
  "dgx-1x8": cluster({ nodes: 1 }),
  "rail-4x8": cluster({ nodes: 4 }),
  "shared-nic-4x4": cluster({ nodes: 4, perNode: 4, nics: 2, topology: "fat-tree" }),
  "mi300x-mesh-1x8": cluster({ nodes: 1, accelerator: "MI300X", topology: "single-switch" }),
  "one-per-node-6x1": cluster({ nodes: 6, perNode: 1, nics: 1 }),
};
const FABRIC_NAMES = Object.keys(FABRICS);

const SUPPORT: Record<Algorithm, CollectiveOp[]> = {
  ring: ["all-reduce", "all-gather", "reduce-scatter", "broadcast", "reduce", "send-recv"],
  tree: ["all-reduce", "broadcast", "reduce"],
  "halving-doubling": ["all-reduce", "all-gather", "reduce-scatter", "broadcast", "reduce"],
  direct: ["all-reduce", "all-gather", "reduce-scatter", "all-to-all", "broadcast", "reduce", "send-recv"],
  hierarchical: ["all-reduce", "all-gather", "reduce-scatter"],
  "in-network": ["all-reduce", "reduce-scatter", "all-gather", "broadcast", "reduce"],
};
const CASES = (Object.keys(SUPPORT) as Algorithm[]).flatMap((a) =>
  SUPPORT[a].map((op) => ({ algorithm: a, op })),
);

interface Case {
  fabric: string;
  n: number;
  algorithm: Algorithm;
  op: CollectiveOp;
  bytes: number;
}

const caseArb = fc
  .record({
    fabric: fc.constantFrom(...FABRIC_NAMES),
    pick: fc.constantFrom(...CASES),
    fraction: fc.double({ min: 0, max: 1, noNaN: true }),
    bytes: fc.integer({ min: 1, max: 2 ** 34 }),
  })
  .map(({ fabric, pick, fraction, bytes }) => {
    const total = FABRICS[fabric].fabric.accelerators.count;
    const n = 2 + Math.floor(fraction * (total - 1));
    return { fabric, n: Math.min(n, total), algorithm: pick.algorithm, op: pick.op, bytes } satisfies Case;
  });

/** The phases of a case, or undefined where the algorithm does not apply to these ranks. */
function phasesOf(c: Case, sketch = false): Phase[] | undefined {
  const b = FABRICS[c.fabric];
  const ctx = b.ctx("flow");
  const layout = rankLayout(b.fabric, ctx.router, firstRanks(c.n));
  try {
    return buildPhases(layout, c.op, c.bytes, c.algorithm, { ...buildOptions(ctx, layout), sketch });
  } catch (e) {
    if (e instanceof Error && e.name === "WeftError") return undefined;
    throw e;
  }
}

/** Σ payload over a schedule. */
function totalBytes(phases: Phase[]): number {
  let total = 0;
  for (const p of phases) for (let i = 0; i < p.flows.count; i++) total += p.repeat * p.flows.bytes[i];
  return total;
}

/** What an operation must move in total (non in-network algorithms). */
function expectedTotal(op: CollectiveOp, n: number, S: number): number {
  switch (op) {
    case "all-reduce":
      return 2 * (n - 1) * S;
    case "all-gather":
    case "reduce-scatter":
    case "all-to-all":
    case "broadcast":
    case "reduce":
      return (n - 1) * S;
    case "send-recv":
      return n * S;
  }
}

/** In-network reduction in one domain: what enters and leaves the switch (the root's share for broadcast / reduce). */
function expectedInNetwork(op: CollectiveOp, n: number, S: number): number {
  if (op === "all-reduce") return 2 * n * S;
  return (n + 1) * S;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe("bytes are conserved", () => {
  it("every algorithm moves what its operation needs", () => {
    let checked = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const phases = phasesOf(c);
        if (!phases) return;
        checked++;
        const b = FABRICS[c.fabric];
        const layout = rankLayout(b.fabric, b.ctx("flow").router, firstRanks(c.n));
        const D = layout.domains.length;
        const P = layout.maxPerDomain;
        const nvls = buildOptions(b.ctx("flow"), layout).scaleUpReduction && P > 1;
        const S = c.bytes;
        let expected = expectedTotal(c.op, c.n, S);
        if (c.algorithm === "in-network" && D === 1) expected = expectedInNetwork(c.op, c.n, S);
        if (c.algorithm === "in-network" && D > 1) {
          // The scale-out switches reduce (SHARP): each rank's shard S/P goes up and comes back; inside the
          // domain a reduce-scatter and an all-gather, through the switch (NVLS) or around a ring.
          const inside = nvls ? 2 * c.n * S * (1 + 1 / P) : (2 * c.n * (P - 1) * S) / P;
          expected = inside + (2 * c.n * S) / P;
        }
        if (c.algorithm === "hierarchical" && c.op === "all-reduce" && nvls) {
          // Reduce-scatter and all-gather through the switch (up and down S(1 + 1/P) per rank), trees across.
          expected = 2 * c.n * S * (1 + 1 / P) + 2 * (D - 1) * S;
        }
        expect(close(totalBytes(phases), expected), `${c.algorithm} ${c.op} n=${c.n}`).toBe(true);
      }),
      { numRuns: 600, seed: 11 },
    );
    expect(checked).toBeGreaterThan(300);
  });

  it("each rank of a ring, direct or power-of-two halving-doubling exchange sends and receives its share", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const lockStep =
          c.algorithm === "ring" || c.algorithm === "direct" || c.algorithm === "halving-doubling";
        const ops: CollectiveOp[] = ["all-reduce", "all-gather", "reduce-scatter", "all-to-all"];
        if (
          !lockStep ||
          !ops.includes(c.op) ||
          (c.algorithm === "halving-doubling" && (c.n & (c.n - 1)) !== 0)
        )
          return;
        const phases = phasesOf(c);
        if (!phases) return;
        const layout = rankLayout(
          FABRICS[c.fabric].fabric,
          FABRICS[c.fabric].ctx("flow").router,
          firstRanks(c.n),
        );
        const share = ((c.op === "all-reduce" ? 2 : 1) * (c.n - 1) * c.bytes) / c.n;
        const sent = bytesSentPerRank(layout, phases);
        const received = bytesReceivedPerRank(layout, phases);
        for (let p = 0; p < c.n; p++) {
          expect(close(sent[p], share), `sent ${c.algorithm} ${c.op} n=${c.n} rank ${p}`).toBe(true);
          expect(close(received[p], share), `received ${c.algorithm} ${c.op} n=${c.n} rank ${p}`).toBe(true);
        }
      }),
      { numRuns: 200, seed: 12 },
    );
  });
});

describe("closed-form loads collected while building equal the loads of the built flows", () => {
  it("for every algorithm and operation", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const full = phasesOf(c);
        const sketch = phasesOf(c, true);
        if (!full || !sketch) return;
        const b = FABRICS[c.fabric];
        const layout = rankLayout(b.fabric, b.ctx("flow").router, firstRanks(c.n));
        expect(sketch.length).toBe(full.length);
        full.forEach((phase, i) => {
          const a = phaseLoads(layout, phase);
          const s = phaseLoads(layout, sketch[i]);
          expect(s.present).toBe(a.present);
          for (let t = 0; t < 4; t++) {
            for (let dir = 0; dir < 2; dir++) {
              for (let p = 0; p < c.n; p++) expect(close(s.rank[t][dir][p], a.rank[t][dir][p])).toBe(true);
            }
          }
          expect([...(s.direct ?? new Map()).entries()].sort()).toEqual(
            [...(a.direct ?? new Map()).entries()].sort(),
          );
        });
      }),
      { numRuns: 150, seed: 13 },
    );
  });
});

/** The least, over the ranks, of a rank's scale-up plus scale-out bandwidth. */
function lineRate(c: Case): number {
  const b = FABRICS[c.fabric];
  const layout = rankLayout(b.fabric, b.ctx("flow").router, firstRanks(c.n));
  let rate = Number.POSITIVE_INFINITY;
  for (let p = 0; p < c.n; p++) rate = Math.min(rate, layout.upBandwidth[p] + layout.outBandwidth[p]);
  return rate;
}

describe("busbw never exceeds the bottleneck line rate without in-network reduction", () => {
  it("for every algorithm, rank count and size (closed form and flow engine)", () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom("analytical" as const, "flow" as const), (c, fidelity) => {
        if (c.algorithm === "in-network") return;
        if (!phasesOf(c, true)) return;
        const b = FABRICS[c.fabric];
        const t = collectiveTime(b.ctx(fidelity), c.op, firstRanks(c.n), c.bytes, c.algorithm);
        const busbw = (c.bytes / t.timeS) * busBandwidthFactor(c.op, c.n);
        expect(busbw, `${c.algorithm} ${c.op} n=${c.n} ${fidelity}`).toBeLessThanOrEqual(
          lineRate(c) * (1 + 1e-9),
        );
      }),
      { numRuns: 120, seed: 14 },
    );
  });
});

describe("time never decreases with size", () => {
  it("for every algorithm and for auto, closed form and flow engine", () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.integer({ min: 1, max: 2 ** 34 }),
        fc.boolean(),
        fc.constantFrom("analytical" as const, "flow" as const),
        (c, other, auto, fidelity) => {
          if (!phasesOf(c, true)) return;
          const [small, large] = c.bytes <= other ? [c.bytes, other] : [other, c.bytes];
          const ctx = FABRICS[c.fabric].ctx(fidelity);
          const algorithm = auto ? "auto" : c.algorithm;
          const ranks = firstRanks(c.n);
          const a = collectiveTime(ctx, c.op, ranks, small, algorithm).timeS;
          const z = collectiveTime(ctx, c.op, ranks, large, algorithm).timeS;
          expect(
            z,
            `${algorithm} ${c.op} n=${c.n} ${small} → ${large} B (${fidelity})`,
          ).toBeGreaterThanOrEqual(a * (1 - 1e-9));
        },
      ),
      { numRuns: 150, seed: 15 },
    );
  });
});
