// The copies of each group a training stage communicates in, and what their running at once costs:
// - siblingGroups partitions each stage the way Megatron's layout does (property over random layouts);
// - through the CommModel, the data-parallel reduce-scatter of 8 servers that each sit alone on a 4:1
//   leaf (8 NIC ports down, 2 up) takes ≈ 4× as long when the stage's 8 DP groups run together as
//   one group alone, and ≈ 1× on the non-blocking fabric — in both fidelities;
// - the step on the thin fabric is slower than its non-blocking what-if, and says the spine is why.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SWITCHES } from "../../src/catalog/switches.js";
import { MODEL_PRESETS } from "../../src/model/index.js";
import { setupNetwork } from "../../src/run.js";
import type { Scenario } from "../../src/scenario/types.js";
import { type GroupKind, siblingGroups } from "../../src/workload/training/comm.js";
import {
  collectiveCommModel,
  fabricCommModels,
  nonBlockingScenario,
  runTraining,
} from "../../src/workload/training/index.js";
import {
  cpPair,
  dpGroup,
  epGroup,
  expertDpGroup,
  expertTpGroup,
  ppPair,
  type RankLayout,
  tpGroup,
} from "../../src/workload/training/placement.js";
import { trainingScenario } from "./fixtures.js";

function representative(l: RankLayout, s: number): Record<GroupKind, Int32Array> {
  return {
    tp: tpGroup(l, s),
    cp: cpPair(l, s),
    ep: epGroup(l, s),
    etp: expertTpGroup(l, s),
    dp: dpGroup(l, s),
    edp: expertDpGroup(l, s),
    pp: ppPair(l, s),
  };
}

describe("sibling groups", () => {
  it("partition each stage like Megatron's layout: same size, disjoint, covering", () => {
    const layoutArb = fc
      .record({
        tp: fc.integer({ min: 1, max: 4 }),
        cp: fc.integer({ min: 1, max: 4 }),
        dp: fc.integer({ min: 1, max: 6 }),
        pp: fc.integer({ min: 1, max: 4 }),
        ep: fc.integer({ min: 1, max: 4 }),
        firstRank: fc.integer({ min: 0, max: 16 }),
      })
      .filter((l) => (l.cp * l.dp) % l.ep === 0);
    fc.assert(
      fc.property(layoutArb, fc.nat(), (l, pick) => {
        const s = pick % l.pp;
        const stage = l.tp * l.cp * l.dp;
        const stageRanks = (st: number) =>
          Array.from({ length: stage }, (_, i) => l.firstRank + st * stage + i).sort((a, b) => a - b);
        const rep = representative(l, s);
        const sib = siblingGroups(l, s);
        const all = (k: GroupKind) => [rep[k], ...sib[k]];
        const sorted = (groups: Int32Array[], at?: number) =>
          groups.flatMap((g) => (at === undefined ? [...g] : [g[at]])).sort((a, b) => a - b);
        for (const k of ["tp", "dp"] as const) {
          // Groups of one rank never communicate, and get no copies.
          if (rep[k].length === 1) {
            expect(sib[k], k).toEqual([]);
            continue;
          }
          for (const g of sib[k]) expect(g.length).toBe(rep[k].length);
          expect(sorted(all(k)), k).toEqual(stageRanks(s));
        }
        if (l.ep > 1) {
          for (const k of l.cp * l.dp > l.ep ? (["ep", "edp"] as const) : (["ep"] as const)) {
            for (const g of sib[k]) expect(g.length).toBe(rep[k].length);
            expect(sorted(all(k)), k).toEqual(stageRanks(s));
          }
        }
        if (l.pp > 1) {
          expect(sorted(all("pp"), 0)).toEqual(stageRanks(s));
          expect(sorted(all("pp"), 1)).toEqual(stageRanks((s + 1) % l.pp));
        } else expect(sib.pp).toEqual([]);
        if (l.cp > 1) {
          const paired = l.tp * l.dp * 2 * Math.floor(l.cp / 2);
          const ranks = sorted(all("cp"));
          expect(ranks.length).toBe(paired);
          expect(new Set(ranks).size).toBe(paired);
        }
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it("partition a folded stage (expert TP, EP over tensor and data ranks): etp, ep and edp groups each cover it", () => {
    const layoutArb = fc
      .record({
        tp: fc.integer({ min: 1, max: 4 }),
        cp: fc.integer({ min: 1, max: 2 }),
        dp: fc.integer({ min: 1, max: 8 }),
        pp: fc.integer({ min: 1, max: 3 }),
        ep: fc.integer({ min: 1, max: 8 }),
        etp: fc.integer({ min: 1, max: 4 }),
        firstRank: fc.integer({ min: 0, max: 16 }),
      })
      .filter(
        (l) => (l.tp * l.cp * l.dp) % (l.ep * l.etp) === 0 && (l.etp > 1 || (l.cp * l.dp) % l.ep !== 0),
      );
    fc.assert(
      fc.property(layoutArb, fc.nat(), (l, pick) => {
        const s = pick % l.pp;
        const stage = l.tp * l.cp * l.dp;
        const stageRanks = Array.from({ length: stage }, (_, i) => l.firstRank + s * stage + i);
        const rep = representative(l, s);
        const sib = siblingGroups(l, s);
        const sizes = { etp: l.etp, ep: l.ep, edp: stage / (l.ep * l.etp) };
        for (const k of ["etp", "ep", "edp"] as const) {
          expect(rep[k].length, k).toBe(sizes[k]);
          if (sizes[k] === 1) continue;
          for (const g of sib[k]) expect(g.length, k).toBe(sizes[k]);
          const covered = [rep[k], ...sib[k]].flatMap((g) => [...g]).sort((a, b) => a - b);
          expect(covered, k).toEqual(stageRanks);
        }
      }),
      { numRuns: 200, seed: 5 },
    );
  });
});

/** Llama 3 8B, TP 8 × DP 8 on 8 servers; leaves of a 10-port switch: one server per leaf at 4:1. */
function thinLeaves(oversubscription: number): Scenario {
  const sc = trainingScenario(
    "llama3-8b on one server per leaf",
    {
      accelerator: "H100-SXM",
      nodes: 8,
      scaleUp: "nvlink4",
      nics: { count: 8, bandwidth: 50e9 },
      switch: "QM9700",
      tiers: 2,
      oversubscription: { leaf: oversubscription, spine: 1 },
    },
    {
      model: MODEL_PRESETS["llama3-8b"],
      parallelism: { tp: 8, pp: 1, dp: 8, zero: 1, sequenceParallel: true },
      microBatch: 1,
      globalBatch: 64,
      recompute: "selective",
    },
  );
  sc.cluster.scaleOut.switch = { ...SWITCHES.QM9700, radix: oversubscription === 4 ? 10 : 16 };
  sc.cluster.transport.loadBalancing = "adaptive";
  return sc;
}

describe("data-parallel groups of a stage reducing at once", () => {
  const l: RankLayout = { tp: 8, cp: 1, dp: 8, pp: 1, ep: 1, firstRank: 0 };
  const dp = dpGroup(l, 0);
  const siblings = siblingGroups(l, 0).dp;
  const bytes = (2 * 8e9) / 8; // BF16 gradients of an 8B model on a tp 8 shard

  it("take ≈ 4× one group's time on 4:1 leaves and ≈ 1× on non-blocking ones (both fidelities)", () => {
    const rows = (["analytical", "flow"] as const).flatMap((fidelity) =>
      [4, 1].map((oversubscription) => {
        const sc = thinLeaves(oversubscription);
        sc.simulation.fidelity = fidelity;
        const comm = collectiveCommModel(setupNetwork(sc).collectives);
        const alone = comm.time("reduce-scatter", dp, bytes);
        const together = comm.time("reduce-scatter", dp, bytes, siblings);
        return {
          fidelity,
          oversubscription,
          aloneMs: alone.timeS * 1e3,
          togetherMs: together.timeS * 1e3,
          slowdown: together.timeS / alone.timeS,
          tier: together.tier,
        };
      }),
    );
    console.table(rows);
    for (const r of rows) {
      if (r.oversubscription === 4) {
        expect(r.slowdown, r.fidelity).toBeGreaterThan(3.6);
        expect(r.slowdown, r.fidelity).toBeLessThan(4.05);
        expect(r.tier, r.fidelity).toBe("spine");
      } else expect(Math.abs(r.slowdown - 1), r.fidelity).toBeLessThan(0.02);
    }
    const alone = rows.filter((r) => r.fidelity === "analytical").map((r) => r.aloneMs);
    expect(Math.abs(alone[0] / alone[1] - 1)).toBeLessThan(0.02);
  });

  it("make the step on the thin fabric slower than its non-blocking what-if, with the spine as a cause", () => {
    const sc = thinLeaves(4);
    const net = setupNetwork(sc);
    const ideal = setupNetwork(nonBlockingScenario(sc));
    const r = runTraining(sc, {
      fabric: net.fabric,
      ...fabricCommModels(sc, net.collectives, ideal.collectives),
    });
    console.table(r.causes.map((c) => ({ ...c, exposedS: +c.exposedS.toFixed(4) })));
    expect(r.whatIf?.nonBlockingStepTimeS).toBeLessThan(r.stepTimeS);
    expect(r.causes.some((c) => c.kind === "dp" && c.tier === "spine" && c.exposedS > 0)).toBe(true);
  });
});
