// Build speed: 16,384 accelerators on a 3-tier rail-optimized QM9700 fabric must build well under 1 s
// (measured here with a 1 s limit on a shared machine; the bench case bench/cases/build-16k.bench.ts
// reports the same build with the router).
import { describe, expect, it } from "vitest";
import bench, { superPod } from "../../bench/cases/build-16k.bench.js";
import { buildFabric } from "../../src/topology/build.js";

describe("16,384-accelerator build", () => {
  it("builds in well under a second", () => {
    buildFabric(superPod(64)); // warm up the JIT on a small build
    const t0 = performance.now();
    const fabric = buildFabric(superPod(2048));
    const ms = performance.now() - t0;
    console.log(
      `built ${fabric.accelerators.count} accelerators, ${fabric.nodes.count} nodes, ${fabric.links.count} links in ${ms.toFixed(1)} ms`,
    );
    expect(fabric.tiers).toBe(3);
    expect(fabric.bom.switches).toMatchObject({ leaf: 512, spine: 512, core: 256 });
    expect(ms).toBeLessThan(1000);
  });

  it("runs the bench case", async () => {
    const figures = await bench.run({ quick: true });
    expect(figures.extra?.accelerators).toBe(2048);
    expect(figures.extra?.paths).toBeGreaterThan(0);
  });
});
