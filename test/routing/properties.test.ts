// Property tests on random small fabrics: every path the router gives is a connected up-down path from src
// to dst over live links, the paths are exactly the shortest ones a brute-force search enumerates, and the
// even spread gives each link the share of paths through it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ScaleUpSpec } from "../../src/catalog/types.js";
import { WeftError } from "../../src/errors.js";
import { makeRouter } from "../../src/routing/router.js";
import type { ClusterSpec, GroupSpec, ScaleOutTopology } from "../../src/scenario/types.js";
import { buildFabric } from "../../src/topology/build.js";
import { type Fabric, LinkTier, SwitchTier } from "../../src/topology/fabric.js";
import { cluster, endpointGroup, gpuGroup, scaleUp, switchSpec } from "../topology/fixtures.js";
import { bruteForcePaths } from "./brute-force.js";

interface GroupDraw {
  memory: boolean;
  nodes: number;
  perNode: number;
  nicMode: "equal" | "half" | "double" | "one";
  su: "switch" | "mesh" | "ring" | "none";
  domainMul: number;
}

interface FabricDraw {
  topology: ScaleOutTopology;
  radix: number;
  tiers: 1 | 2 | 3;
  leafOver: number;
  planes: number;
  groups: GroupDraw[];
}

const groupArb: fc.Arbitrary<GroupDraw> = fc.record({
  memory: fc.boolean(),
  nodes: fc.integer({ min: 1, max: 6 }),
  perNode: fc.constantFrom(1, 2, 4),
  nicMode: fc.constantFrom("equal", "half", "double", "one"),
  su: fc.constantFrom("switch", "mesh", "ring", "none"),
  domainMul: fc.constantFrom(1, 2),
});

const fabricArb: fc.Arbitrary<FabricDraw> = fc.record({
  topology: fc.constantFrom("fat-tree", "rail-optimized", "rail-only", "single-switch"),
  radix: fc.constantFrom(4, 6, 8),
  tiers: fc.constantFrom(1, 2, 3),
  leafOver: fc.constantFrom(1, 1, 2, 3),
  planes: fc.constantFrom(1, 1, 2),
  groups: fc.array(groupArb, { minLength: 1, maxLength: 3 }),
});

function nicCount(g: GroupDraw): number {
  if (g.nicMode === "equal") return g.perNode;
  if (g.nicMode === "half") return Math.max(1, g.perNode / 2);
  if (g.nicMode === "double") return 2 * g.perNode;
  return 1;
}

function makeGroup(g: GroupDraw, i: number): GroupSpec {
  if (g.memory) return endpointGroup(`m${i}`, "memory", g.nodes, { count: 1 + (i % 2), gbps: 400 });
  const su: ScaleUpSpec | undefined =
    g.su === "none" ? undefined : scaleUp(g.su, 400, g.perNode * g.domainMul, { switchRadix: 64 });
  const group = gpuGroup(`g${i}`, g.nodes, g.perNode, { count: nicCount(g), gbps: 400 });
  group.scaleUp = su;
  return group;
}

function makeCluster(d: FabricDraw): ClusterSpec {
  return cluster(d.groups.map(makeGroup), {
    topology: d.topology,
    switch: switchSpec(d.radix, 400),
    tiers: d.tiers,
    oversubscription: { leaf: d.leafOver, spine: 1 },
    planes: d.planes,
  });
}

/** The fabric, or undefined when the drawn cluster does not fit 3 tiers (a WeftError, as it should be). */
function tryBuild(d: FabricDraw): Fabric | undefined {
  try {
    return buildFabric(makeCluster(d));
  } catch (e) {
    if (e instanceof WeftError) return undefined;
    throw e;
  }
}

function randomFailures(fabric: Fabric, seed: number, rate: number): Uint8Array {
  const failed = new Uint8Array(fabric.links.count);
  let x = seed >>> 0 || 1;
  for (let l = 0; l < failed.length; l++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    failed[l] = (x >>> 0) / 4294967296 < rate ? 1 : 0;
  }
  return failed;
}

function checkShape(fabric: Fabric, path: number[], src: number, dst: number, failed?: Uint8Array): void {
  const { from, to, up, reverse, tier } = fabric.links;
  expect(from[path[0]]).toBe(src);
  expect(to[path[path.length - 1]]).toBe(dst);
  let descending = false;
  for (let i = 0; i < path.length; i++) {
    const l = path[i];
    if (i > 0) expect(from[l]).toBe(to[path[i - 1]]);
    if (failed) expect(failed[l]).toBe(0);
    const sideways = tier[l] === LinkTier.scaleUp && up[l] === 0 && up[reverse[l]] === 0;
    if (sideways) continue;
    if (up[l]) expect(descending).toBe(false);
    else descending = true;
  }
}

/** Pairs the router sends over the scale-up fabric or its switch: checked for shape only. */
function usesScaleUp(fabric: Fabric, path: number[]): boolean {
  return path.some((l) => fabric.links.tier[l] === LinkTier.scaleUp);
}

const stats = {
  compared: 0,
  multipath: 0,
  scaleUp: 0,
  withFailures: 0,
  unreachable: 0,
  withoutLayout: 0,
  viaCore: 0,
};

function checkPair(fabric: Fabric, src: number, dst: number, failed: Uint8Array | undefined): number {
  const router = makeRouter(fabric, { loadBalancing: "ecmp", railAware: false, seed: 1, failed });
  const n = router.pathCount(src, dst);
  const out = new Int32Array(router.maxHops);
  const paths: number[][] = [];
  for (let k = 0; k < n; k++) {
    const len = router.path(src, dst, k, out);
    expect(len).toBeLessThanOrEqual(router.maxHops);
    paths.push(Array.from(out.subarray(0, len)));
  }
  for (const p of paths) if (src !== dst) checkShape(fabric, p, src, dst, failed);
  if (src === dst) return n;
  if (paths.length && usesScaleUp(fabric, paths[0])) {
    expect(paths.every((p) => p.every((l) => fabric.links.tier[l] === LinkTier.scaleUp))).toBe(true);
    expect(n).toBeLessThanOrEqual(2);
    stats.scaleUp++;
    return n;
  }
  const isScaleUpSwitch = (v: number) => fabric.nodes.tier[v] === SwitchTier.scaleUp;
  if (isScaleUpSwitch(src) || isScaleUpSwitch(dst)) {
    expect(n).toBe(0);
    return n;
  }
  const brute = bruteForcePaths(fabric, src, dst, { failed });
  expect(n).toBe(brute.length);
  const keys = new Set(paths.map((p) => p.join(",")));
  expect(keys.size).toBe(n);
  for (const p of brute) expect(keys.has(p.join(","))).toBe(true);
  checkSpread(fabric, router, src, dst, brute);
  stats.compared++;
  if (n > 1) stats.multipath++;
  if (brute.some((p) => p.some((l) => fabric.links.tier[l] === LinkTier.core))) stats.viaCore++;
  if (n === 0) stats.unreachable++;
  if (failed) stats.withFailures++;
  return n;
}

function checkSpread(
  fabric: Fabric,
  router: ReturnType<typeof makeRouter>,
  src: number,
  dst: number,
  brute: number[][],
): void {
  const links = new Int32Array(router.maxSpread);
  const weights = new Float64Array(router.maxSpread);
  const m = router.spread(src, dst, links, weights);
  expect(m).toBeLessThanOrEqual(router.maxSpread);
  const expected = new Map<number, number>();
  for (const p of brute) for (const l of p) expected.set(l, (expected.get(l) ?? 0) + 1 / brute.length);
  expect(m).toBe(expected.size);
  const perTier = new Map<string, number>();
  for (let i = 0; i < m; i++) {
    expect(weights[i]).toBeCloseTo(expected.get(links[i]) ?? Number.NaN, 9);
    const key = `${fabric.links.tier[links[i]]}:${fabric.links.up[links[i]]}`;
    perTier.set(key, (perTier.get(key) ?? 0) + weights[i]);
  }
  // Every shortest path crosses each (tier, direction) it uses once: the shares there sum to 1.
  for (const sum of perTier.values()) expect(sum).toBeCloseTo(1, 9);
}

/** A fabric made by hand has no layout: the router searches its up links, scale-up switches included. */
function checkWithoutLayout(fabric: Fabric, src: number, dst: number, failed: Uint8Array | undefined): void {
  const bare: Fabric = { ...fabric, layout: undefined };
  const router = makeRouter(bare, { loadBalancing: "ecmp", railAware: false, seed: 1, failed });
  const n = router.pathCount(src, dst);
  const brute = bruteForcePaths(bare, src, dst, { failed, withScaleUp: true });
  expect(n).toBe(src === dst ? 1 : brute.length);
  if (src === dst) return;
  const out = new Int32Array(router.maxHops);
  const keys = new Set<string>();
  for (let k = 0; k < n; k++) keys.add(Array.from(out.subarray(0, router.path(src, dst, k, out))).join(","));
  for (const p of brute) expect(keys.has(p.join(","))).toBe(true);
  stats.withoutLayout++;
}

const pairArb = fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 12, maxLength: 12 });

describe("router on random small fabrics", () => {
  it("gives exactly the shortest up-down paths, and spreads evenly over them", () => {
    let built = 0;
    let checked = 0;
    fc.assert(
      fc.property(
        fabricArb,
        pairArb,
        fc.integer({ min: 1, max: 1 << 30 }),
        fc.boolean(),
        (d, pairs, seed, fail) => {
          const fabric = tryBuild(d);
          if (!fabric) return;
          built++;
          const failed = fail ? randomFailures(fabric, seed, 0.08) : undefined;
          const n = fabric.nodes.count;
          for (const [a, b] of pairs) {
            // Half the pairs between endpoints (the common case), half between any nodes.
            const acc = fabric.accelerators;
            const src = a % 2 || !acc.count ? a % n : acc.node[a % acc.count];
            const dst =
              b % 3
                ? b % n
                : fabric.accelerators.count
                  ? fabric.accelerators.node[b % fabric.accelerators.count]
                  : b % n;
            checkPair(fabric, src, dst, failed);
            if (checked % 4 === 0) checkWithoutLayout(fabric, src, dst, failed);
            checked++;
          }
        },
      ),
      { numRuns: 120, seed: 20_251_125 },
    );
    console.log(`random fabrics built: ${built}, pairs checked: ${checked}`);
    console.table(stats);
    expect(built).toBeGreaterThan(60);
    expect(stats.multipath).toBeGreaterThan(100);
    expect(stats.withFailures).toBeGreaterThan(200);
    expect(stats.scaleUp).toBeGreaterThan(20);
    expect(stats.withoutLayout).toBeGreaterThan(200);
    expect(stats.viaCore).toBeGreaterThan(50);
  });
});
