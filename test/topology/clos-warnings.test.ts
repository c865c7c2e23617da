// What a sized Clos builds for nothing is said, not hidden in a bill: spines or cores that join one leaf or
// pod, and a tier whose switch count is set by the divisors of the uplinks below it.
import { describe, expect, it } from "vitest";
import { buildFabric } from "../../src/topology/build.js";
import { closWarnings, sizeClos } from "../../src/topology/clos.js";
import { cluster, gpuGroup, switchSpec } from "./fixtures.js";

describe("Clos warnings", () => {
  it("13 uplinks per leaf (4:1 on 64 ports) go to 13 spines for 6 leaves; 12 or 14 would need 2", () => {
    const size = sizeClos(6, 2, 64, { leaf: 4, spine: 1 });
    expect([size.leafUp, size.spines]).toEqual([13, 13]);
    const [w] = closWarnings(size, 64);
    expect(w).toContain("13 uplinks per leaf, spread evenly, need a divisor of 13 spines: 13 for 6 leaves");
    expect(w).toContain("each using 6 of 64 ports");
    expect(w).toContain("12 (leaf oversubscription 4.34) would need 2");
    expect(w).toContain("14 (leaf oversubscription 3.58) would need 2");
    // The suggested ratio gives the uplinks it names, and the spines it promises.
    const twelve = sizeClos(6, 2, 64, { leaf: 4.34, spine: 1 });
    expect([twelve.leafUp, twelve.spines]).toEqual([12, 2]);
  });

  it("the same for cores: 13 spine uplinks over 6 pods", () => {
    const size = sizeClos(6 * 51, 3, 64, { leaf: 1, spine: 4 });
    expect([size.pods, size.spineUp, size.coreGroup]).toEqual([6, 13, 13]);
    expect(closWarnings(size, 64).join("\n")).toContain(
      "13 uplinks per spine, spread evenly, need a divisor of 13 cores",
    );
  });

  it("balanced designs warn of nothing: the k = 8 fat-tree, 32 uplinks over 16 spines for 20 leaves", () => {
    expect(closWarnings(sizeClos(32, 3, 8, { leaf: 1, spine: 1 }), 8)).toEqual([]);
    expect(closWarnings(sizeClos(20, 2, 64, { leaf: 1, spine: 1 }), 64)).toEqual([]);
  });

  it("explicit tiers above what the leaves need: one leaf under spines, one pod under cores", () => {
    const one = sizeClos(1, 2, 64, { leaf: 1, spine: 1 });
    expect(closWarnings(one, 64)).toEqual([
      "one leaf: its 1 spine(s) join nothing; tiers: auto builds a single switch",
    ]);
    const pod = sizeClos(10, 3, 64, { leaf: 1, spine: 1 });
    expect(closWarnings(pod, 64)[0]).toMatch(/^one pod of 10 leaves: its \d+ cores join nothing/);
  });

  it("reach the fabric's warnings", () => {
    const f = buildFabric(
      cluster([gpuGroup("gpu", 40, 8, { count: 8, gbps: 400 })], {
        topology: "fat-tree",
        switch: switchSpec(64, 400),
        tiers: 2,
        oversubscription: { leaf: 4, spine: 1 },
      }),
    );
    expect(f.bom.warnings.some((w) => w.startsWith("13 uplinks per leaf"))).toBe(true);
  });
});
