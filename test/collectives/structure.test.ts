/**
 * The building blocks: double binary trees, ring orders that keep to their rail, pipeline chunking,
 * nccl-tests' busbw factors and table, the tuner's choices and the errors people see.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { btreeParent, doubleBinaryTree, treeDepth } from "../../src/collectives/btree.js";
import {
  buildSchedule,
  busBandwidthFactor,
  collectiveTime,
  MODEL,
  pipelineChunks,
  rankLayout,
  runCollectiveWorkload,
} from "../../src/collectives/index.js";
import { ringOrders } from "../../src/collectives/ring.js";
import { buildOptions } from "../../src/collectives/run.js";
import { formatCollectiveTable } from "../../src/report/collective.js";
import { cluster, firstRanks } from "./helpers.js";

describe("double binary tree", () => {
  it("both trees span 0..n−1 with one root, and a node interior in one is a leaf in the other", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3000 }), (n) => {
        const trees = doubleBinaryTree(n);
        const children = trees.map((parent) => {
          const c = new Int32Array(n);
          let roots = 0;
          for (let r = 0; r < n; r++) {
            if (parent[r] < 0) roots++;
            else c[parent[r]]++;
            expect(parent[r]).toBeLessThan(n);
          }
          expect(roots).toBe(1);
          expect(treeDepth(parent)).toBeLessThanOrEqual(Math.ceil(Math.log2(n)) + 1);
          return c;
        });
        // Binary, and (for even n, where the mirror is exact) no node is interior in both trees.
        for (let r = 0; r < n; r++) {
          expect(children[0][r]).toBeLessThanOrEqual(2);
          expect(children[1][r]).toBeLessThanOrEqual(2);
          if (n % 2 === 0 && n > 2) expect(children[0][r] > 0 && children[1][r] > 0).toBe(false);
        }
      }),
      { numRuns: 60, seed: 3 },
    );
  });

  it("matches the in-order tree NCCL builds: 8 ranks → 0 → 4 → {2, 6}, 2 → {1, 3}, 6 → {5, 7}", () => {
    expect(Array.from({ length: 8 }, (_, r) => btreeParent(r, 8))).toEqual([-1, 2, 4, 2, 0, 6, 4, 6]);
  });
});

describe("ring orders", () => {
  const b = cluster({ nodes: 4 });
  const layout = rankLayout(b.fabric, b.ctx("flow").router, firstRanks(32));

  it("one channel per rail, each a permutation of the ranks", () => {
    const orders = ringOrders(layout);
    expect(orders).toHaveLength(8);
    for (const o of orders) expect([...o].sort((x, y) => x - y)).toEqual([...firstRanks(32)]);
  });

  it("every domain boundary is crossed between GPUs of the same rail (an even number of domains)", () => {
    const local = b.fabric.accelerators.local;
    for (const o of ringOrders(layout)) {
      for (let i = 0; i < o.length; i++) {
        const a = o[i];
        const z = o[(i + 1) % o.length];
        if (layout.domainOf[a] !== layout.domainOf[z]) expect(local[a]).toBe(local[z]);
      }
    }
  });

  it("channel c leaves each domain on its own rail, so the rails share the crossings evenly", () => {
    const local = b.fabric.accelerators.local;
    const perRail = new Int32Array(8);
    for (const o of ringOrders(layout)) {
      for (let i = 0; i < o.length; i++) {
        if (layout.domainOf[o[i]] !== layout.domainOf[o[(i + 1) % o.length]]) perRail[local[o[i]]]++;
      }
    }
    expect([...perRail]).toEqual(new Array(8).fill(4));
  });
});

describe("pipeline chunks", () => {
  it("chunks × chunk = size, and the pipeline time (chunks + depth − 1)·chunk is non-decreasing in size", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 1, max: 2 ** 36, noNaN: true }),
        fc.double({ min: 1, max: 2 ** 36, noNaN: true }),
        (depth, x, y) => {
          const [a, z] = x <= y ? [x, y] : [y, x];
          const ca = pipelineChunks(a, depth);
          const cz = pipelineChunks(z, depth);
          expect(ca.chunk * ca.chunks).toBeCloseTo(a, 6);
          expect(ca.chunk).toBeLessThanOrEqual(MODEL.pipelineChunkMaxBytes);
          const time = (c: { chunk: number; chunks: number }) => (c.chunks + depth - 1) * c.chunk;
          expect(time(cz)).toBeGreaterThanOrEqual(time(ca) * (1 - 1e-12));
        },
      ),
      { numRuns: 300, seed: 4 },
    );
  });
});

describe("busbw factors (nccl-tests doc/PERFORMANCE.md)", () => {
  it("all-reduce 2(n−1)/n; all-gather, reduce-scatter, all-to-all (n−1)/n; others 1", () => {
    expect(busBandwidthFactor("all-reduce", 8)).toBe(1.75);
    expect(busBandwidthFactor("all-gather", 8)).toBe(0.875);
    expect(busBandwidthFactor("reduce-scatter", 16)).toBe(15 / 16);
    expect(busBandwidthFactor("all-to-all", 4)).toBe(0.75);
    expect(busBandwidthFactor("broadcast", 8)).toBe(1);
    expect(busBandwidthFactor("reduce", 8)).toBe(1);
    expect(busBandwidthFactor("send-recv", 8)).toBe(1);
  });
});

describe("the tuner", () => {
  it("picks NVLink SHARP for large all-reduces in a reducing domain, and ring or tree without it", () => {
    const nvls = cluster({ nodes: 1 });
    const plain = cluster({ nodes: 1, scaleUp: { id: "nvlink4", inNetworkReduction: false } });
    expect(collectiveTime(nvls.ctx("analytical"), "all-reduce", firstRanks(8), 2 ** 30).algorithm).toBe(
      "in-network",
    );
    expect(["ring", "tree"]).toContain(
      collectiveTime(plain.ctx("analytical"), "all-reduce", firstRanks(8), 2 ** 30).algorithm,
    );
  });

  it("uses LL for small messages and Simple for large ones", () => {
    const b = cluster({ nodes: 1 });
    expect(collectiveTime(b.ctx("analytical"), "all-reduce", firstRanks(8), 1024).protocol).toBe("LL");
    expect(collectiveTime(b.ctx("analytical"), "all-reduce", firstRanks(8), 2 ** 32).protocol).toBe("Simple");
  });

  it("is never slower than any single algorithm it could have chosen", () => {
    const b = cluster({ nodes: 4 });
    const ctx = b.ctx("analytical");
    for (const size of [4096, 2 ** 20, 2 ** 26, 2 ** 32]) {
      const auto = collectiveTime(ctx, "all-reduce", firstRanks(32), size).timeS;
      for (const alg of ["ring", "tree", "hierarchical"] as const) {
        expect(auto).toBeLessThanOrEqual(
          collectiveTime(ctx, "all-reduce", firstRanks(32), size, alg).timeS * (1 + 1e-12),
        );
      }
    }
  });

  it("reduces in the scale-out switches too when they can (SHARP): in-network across domains", () => {
    const b = cluster({ nodes: 4 });
    const ctx = { ...b.ctx("analytical"), inNetwork: { scaleUp: [true], scaleOut: true } };
    const t = collectiveTime(ctx, "all-reduce", firstRanks(32), 2 ** 33);
    expect(t.algorithm).toBe("in-network");
    // 8 × 400G per node: each GPU's shard crosses its NIC once each way, so NVLS (274 GB/s algbw) bounds it.
    const busbw = ((2 ** 33 / t.timeS) * busBandwidthFactor("all-reduce", 32)) / 1e9;
    expect(busbw).toBeGreaterThan(440);
    expect(busbw).toBeLessThan(500);
  });
});

describe("schedules", () => {
  it("a ring all-reduce is two phases of n−1 repeats sharing one set of flows", () => {
    const b = cluster({ nodes: 2 });
    const ctx = b.ctx("flow");
    const layout = rankLayout(b.fabric, ctx.router, firstRanks(16));
    const s = buildSchedule(layout, "all-reduce", 2 ** 24, "ring", "Simple", buildOptions(ctx, layout));
    expect(s.phases.map((p) => p.repeat)).toEqual([15, 15]);
    expect(s.phases[0].flows).toBe(s.phases[1].flows);
    expect(s.phases[0].latencyS).toBeGreaterThan(0);
    expect(s.baseLatencyS).toBe(MODEL.baseLatencyS.Simple);
  });

  it("people get a clear error for an algorithm that does not implement an operation", () => {
    const b = cluster({ nodes: 1 });
    expect(() => collectiveTime(b.ctx("analytical"), "all-to-all", firstRanks(8), 2 ** 20, "tree")).toThrow(
      /tree algorithm does not implement all-to-all/,
    );
    const plain = cluster({ nodes: 1, scaleUp: { id: "nvlink4", inNetworkReduction: false } });
    expect(() =>
      collectiveTime(plain.ctx("analytical"), "all-reduce", firstRanks(8), 2 ** 20, "in-network"),
    ).toThrow(/needs a scale-up switch that reduces/);
  });

  it("one rank costs nothing", () => {
    const b = cluster({ nodes: 1 });
    expect(collectiveTime(b.ctx("flow"), "all-reduce", firstRanks(1), 2 ** 20).timeS).toBe(0);
  });
});

describe("nccl-tests-style results", () => {
  const b = cluster({ nodes: 1 });
  const scenario = {
    ...b.scenario,
    workload: {
      kind: "collective" as const,
      op: "all-gather" as const,
      sizes: [1024, 2 ** 20, 2 ** 30],
      algorithm: "auto" as const,
      ranks: "all",
    },
  };
  const results = runCollectiveWorkload(scenario, b.fabric, b.ctx("analytical"));

  it("one row per size with count, type, time, algbw and busbw as nccl-tests computes them", () => {
    expect(results.rows).toHaveLength(3);
    const row = results.rows[2];
    // nccl-tests' count for all-gather is per rank: 1 GiB of floats over 8 ranks.
    expect(row.count).toBe(2 ** 28 / 8);
    expect(row.type).toBe("float");
    expect(row.algbwGBps).toBeCloseTo(2 ** 30 / (row.timeUs * 1e-6) / 1e9, 9);
    expect(row.busbwGBps).toBeCloseTo(row.algbwGBps * (7 / 8), 9);
    expect(results.ranks).toBe(8);
    expect(results.kind).toBe("collective");
  });

  it("prints a table with human units", () => {
    const text = formatCollectiveTable(results);
    console.log(text);
    expect(text).toMatch(/size\s+count\s+type\s+time\s+algbw \(GB\/s\)\s+busbw \(GB\/s\)\s+algorithm/);
    expect(text).toMatch(/1 GiB\s+33554432\s+float/);
    expect(text).toMatch(/ (us|ms)\s/);
  });
});
