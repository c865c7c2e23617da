/**
 * Concurrent collectives: every copy of a group running the same collective at once.
 * - On a 2-tier fat-tree with 4:1 oversubscription at the leaf (QM8700: 32 ports down, 8 up; four
 *   8-NIC servers per leaf), 32 four-rank groups with one rank on each leaf reduce-scatter together: every
 *   rank of every leaf sends across the leaf at once, so the uplinks carry 4× what they can, and the
 *   step takes ≈ 4× as long as one group alone — which itself takes the same as on a non-blocking fabric.
 * - On the non-blocking version of the fabric the copies do not slow each other (within 2%).
 * - Flow engine (adaptive routing: even spreading, as the closed form assumes) and closed form agree.
 * - Invariants: more copies never make a collective faster, and at most count × slower; each copy's
 *   merged flows stay on its own ranks and their switches; groups of one shape share a closed-form time.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildPhases,
  collectiveTime,
  concurrentCollectiveTime,
  groupSet,
  mergedFlows,
  rankLayout,
  sharedLinks,
} from "../../src/collectives/index.js";
import { buildOptions } from "../../src/collectives/run.js";
import { shapeSignature } from "../../src/collectives/shape.js";
import type { CollectiveContext } from "../../src/collectives/types.js";
import { WeftError } from "../../src/errors.js";
import type { CollectiveOp } from "../../src/scenario/types.js";
import { type Built, cluster } from "./helpers.js";

const S = 256 * 2 ** 20;
const fatTree = (oversubscription: number, loadBalancing: "adaptive" | "ecmp" = "adaptive") =>
  cluster({
    nodes: 16,
    nicBandwidth: "200Gbps",
    topology: "fat-tree",
    tiers: 2,
    switch: "QM8700",
    oversubscription,
    loadBalancing,
  });
const THIN = fatTree(4);
const FULL = fatTree(1);

/** Group (j, l): local rank l of server 4k + j, k = 0..3 — one rank on each of the thin fabric's four leaves. */
function crossingGroups(): Int32Array[] {
  const groups: Int32Array[] = [];
  for (let j = 0; j < 4; j++) {
    for (let l = 0; l < 8; l++) groups.push(Int32Array.from({ length: 4 }, (_, k) => (4 * k + j) * 8 + l));
  }
  return groups;
}
const GROUPS = crossingGroups();

const fresh = (b: Built, fidelity: "analytical" | "flow"): CollectiveContext => ({ ...b.ctx(fidelity) });

describe("concurrent reduce-scatter across a 4:1 leaf", () => {
  const rows = (["analytical", "flow"] as const).map((fidelity) => {
    const thin = fresh(THIN, fidelity);
    const full = fresh(FULL, fidelity);
    const one = collectiveTime(thin, "reduce-scatter", GROUPS[0], S);
    const all = concurrentCollectiveTime(thin, "reduce-scatter", GROUPS, S);
    const oneFull = collectiveTime(full, "reduce-scatter", GROUPS[0], S);
    const allFull = concurrentCollectiveTime(full, "reduce-scatter", GROUPS, S);
    return {
      fidelity,
      oneMs: one.timeS * 1e3,
      allMs: all.timeS * 1e3,
      slowdown: all.timeS / one.timeS,
      aloneVsNonBlocking: one.timeS / oneFull.timeS,
      nonBlockingSlowdown: allFull.timeS / oneFull.timeS,
      algorithm: `${all.algorithm}/${all.protocol}`,
      tiers: all.phases.map((p) => p.tier).join(","),
    };
  });

  it("is ≈ 4× one group's time when all 32 groups cross the leaves at once, ≈ 1× for one group", () => {
    console.table(rows);
    for (const r of rows) {
      expect(r.slowdown, r.fidelity).toBeGreaterThan(3.8);
      expect(r.slowdown, r.fidelity).toBeLessThan(4.05);
      expect(Math.abs(r.aloneVsNonBlocking - 1), r.fidelity).toBeLessThan(0.02);
      expect(r.tiers, r.fidelity).toMatch(/spine/);
    }
  });

  it("equals one group's time on the non-blocking fabric (within 2%)", () => {
    for (const r of rows) expect(Math.abs(r.nonBlockingSlowdown - 1), r.fidelity).toBeLessThan(0.02);
  });

  it("gives the same time with the flow engine and the closed form (within 2%)", () => {
    expect(Math.abs(rows[1].allMs / rows[0].allMs - 1)).toBeLessThan(0.02);
    expect(Math.abs(rows[1].oneMs / rows[0].oneMs - 1)).toBeLessThan(0.02);
  });

  it("with ECMP, the flow engine adds hash collisions on top (never faster than the closed form)", () => {
    const ecmp = fatTree(4, "ecmp");
    const flow = concurrentCollectiveTime(fresh(ecmp, "flow"), "reduce-scatter", GROUPS, S);
    const closed = concurrentCollectiveTime(fresh(ecmp, "analytical"), "reduce-scatter", GROUPS, S);
    console.log(
      `ECMP: flow ${(flow.timeS * 1e3).toFixed(2)} ms vs closed form ${(closed.timeS * 1e3).toFixed(2)} ms`,
    );
    expect(flow.timeS).toBeGreaterThanOrEqual(closed.timeS * 0.999);
  });

  it("marks the thin fabric's bundles as blocking and the full one's as not", () => {
    expect(sharedLinks(THIN.fabric).blocking).toBe(true);
    expect(sharedLinks(FULL.fabric).blocking).toBe(false);
  });
});

describe("concurrent send-recv across a 4:1 spine (3 tiers)", () => {
  // QM8700, 3 tiers, 4:1 at the spines: pods of 32 leaves (80 servers of 8 × 200G), 20 spines per pod
  // with 8 uplinks each. Rank i of pod 0 pairs with rank i of pod 1: 640 pairs cross the cores at once,
  // 640 NICs into 160 spine uplinks.
  const b = cluster({
    nodes: 160,
    nicBandwidth: "200Gbps",
    topology: "fat-tree",
    tiers: 3,
    switch: "QM8700",
    oversubscription: { leaf: 1, spine: 4 },
    loadBalancing: "adaptive",
  });
  const pairs = Array.from({ length: 640 }, (_, i) => Int32Array.of(i, 640 + i));

  it("is ≈ 4× one pair's time, bounded by the core tier, in both fidelities", () => {
    const rows = (["analytical", "flow"] as const).map((fidelity) => {
      const ctx = fresh(b, fidelity);
      const one = collectiveTime(ctx, "send-recv", pairs[0], S);
      const all = concurrentCollectiveTime(ctx, "send-recv", pairs, S);
      return {
        fidelity,
        oneMs: one.timeS * 1e3,
        allMs: all.timeS * 1e3,
        slowdown: all.timeS / one.timeS,
        tier: all.phases[0].tier,
      };
    });
    console.table(rows);
    for (const r of rows) {
      expect(r.slowdown, r.fidelity).toBeGreaterThan(3.8);
      expect(r.slowdown, r.fidelity).toBeLessThan(4.05);
      expect(r.tier, r.fidelity).toBe("core");
    }
    expect(Math.abs(rows[1].allMs / rows[0].allMs - 1)).toBeLessThan(0.02);
  });
});

describe("concurrent collective invariants", () => {
  const OPS: CollectiveOp[] = ["reduce-scatter", "all-gather", "all-reduce", "all-to-all", "broadcast"];

  it("more copies never make it faster, and at most `count` times slower (closed form)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...OPS),
        fc.integer({ min: 1, max: GROUPS.length - 1 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.boolean(),
        (op, count, bytes, thin) => {
          const ctx = fresh(thin ? THIN : FULL, "analytical");
          const one = concurrentCollectiveTime(ctx, op, GROUPS.slice(0, 1), bytes).timeS;
          const some = concurrentCollectiveTime(ctx, op, GROUPS.slice(0, count), bytes).timeS;
          const more = concurrentCollectiveTime(ctx, op, GROUPS.slice(0, count + 1), bytes).timeS;
          expect(some).toBeGreaterThanOrEqual(one * (1 - 1e-12));
          expect(more).toBeGreaterThanOrEqual(some * (1 - 1e-12));
          expect(more).toBeLessThanOrEqual((count + 1) * one * (1 + 1e-12));
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });

  it("merges every copy's flows onto its own ranks and their switches", () => {
    const b = cluster({ nodes: 4 }); // NVLink 4 switches reduce: in-network flows go to the switches
    const ctx = b.ctx("flow");
    const groups = [0, 1, 2, 3].map((s) => Int32Array.from({ length: 8 }, (_, i) => s * 8 + i));
    const layout = rankLayout(b.fabric, ctx.router, groups[0]);
    const set = groupSet(layout, groups);
    const acc = b.fabric.accelerators;
    for (const algorithm of ["in-network", "ring", "direct"] as const) {
      const phases = buildPhases(layout, "all-reduce", S, algorithm, buildOptions(ctx, layout));
      for (const phase of phases) {
        const m = mergedFlows(set, phase.flows);
        const F = phase.flows.count;
        expect(m.flows.count).toBe(F * groups.length);
        groups.forEach((g, gi) => {
          const own = new Set<number>();
          for (const r of g) {
            const v = acc.node[r];
            own.add(v);
            for (let i = b.fabric.outStart[v]; i < b.fabric.outStart[v + 1]; i++)
              own.add(b.fabric.links.to[b.fabric.outLinks[i]]);
          }
          for (let f = gi * F; f < (gi + 1) * F; f++) {
            expect(own.has(m.flows.src[f]), `${algorithm} group ${gi}`).toBe(true);
            expect(own.has(m.flows.dst[f]), `${algorithm} group ${gi}`).toBe(true);
          }
        });
      }
    }
  });

  it("gives groups of one shape one signature, and groups placed differently on the leaves another", () => {
    const byLeaf = (shift: number) => GROUPS.slice(0, 8).map((g) => g.map((r) => r + shift));
    // Whole servers moved within their leaves keep the shape; four ranks on one leaf do not.
    const a = shapeSignature(THIN.fabric, byLeaf(0));
    expect(shapeSignature(THIN.fabric, byLeaf(8))).toBe(a);
    const packed = [0, 1, 2, 3, 4, 5, 6, 7].map((l) => Int32Array.from({ length: 4 }, (_, k) => k * 8 + l));
    expect(shapeSignature(THIN.fabric, packed)).not.toBe(a);
    // The shared closed-form time of a shape is the one each set gets alone.
    const shared = fresh(THIN, "analytical");
    for (const groups of [byLeaf(0), byLeaf(8), packed]) {
      const t = concurrentCollectiveTime(shared, "all-gather", groups, S).timeS;
      expect(t).toBe(concurrentCollectiveTime(fresh(THIN, "analytical"), "all-gather", groups, S).timeS);
    }
  });

  it("refuses groups of different sizes or that share a rank", () => {
    const ctx = fresh(THIN, "analytical");
    expect(() => concurrentCollectiveTime(ctx, "all-gather", [GROUPS[0], GROUPS[1].slice(0, 3)], S)).toThrow(
      WeftError,
    );
    expect(() => concurrentCollectiveTime(ctx, "all-gather", [GROUPS[0], GROUPS[0]], S)).toThrow(
      /two of the/,
    );
    expect(() => concurrentCollectiveTime(ctx, "all-gather", [], S)).toThrow(WeftError);
  });
});
