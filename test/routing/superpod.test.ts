// Routing on the 16,384-GPU DGX B200 SuperPOD fabric (3 tiers: 16 pods of 32 rail leaves, U = V = 32,
// Cg = 8): closed forms, their agreement with the search when a link fails, and spread shares.
import { describe, expect, it } from "vitest";
import { makeRouter } from "../../src/routing/router.js";
import { buildFabric } from "../../src/topology/build.js";
import { b200SuperPod } from "../topology/fixtures.js";

const f = buildFabric(b200SuperPod(64));
const gpu = (node: number, local: number) => f.accelerators.node[node * 8 + local];
const plain = makeRouter(f, { loadBalancing: "ecmp", railAware: false, seed: 0 });

function checkPaths(r: ReturnType<typeof makeRouter>, src: number, dst: number): void {
  const out = new Int32Array(r.maxHops);
  const seen = new Set<string>();
  const n = r.pathCount(src, dst);
  for (let k = 0; k < n; k++) {
    const len = r.path(src, dst, k, out);
    expect(f.links.from[out[0]]).toBe(src);
    expect(f.links.to[out[len - 1]]).toBe(dst);
    for (let i = 1; i < len; i++) expect(f.links.from[out[i]]).toBe(f.links.to[out[i - 1]]);
    seen.add(Array.from(out.subarray(0, len)).join(","));
  }
  expect(seen.size).toBe(n);
}

describe("routing on the 64-SU B200 SuperPOD", () => {
  it("counts 1 path under a leaf, U in a pod, U·V·V/Cg across pods", () => {
    expect(plain.pathCount(gpu(0, 3), gpu(31, 3))).toBe(1);
    expect(plain.pathCount(gpu(0, 3), gpu(32, 3))).toBe(32);
    expect(plain.pathCount(gpu(0, 3), gpu(128, 3))).toBe(32 * 32 * 4);
    expect(plain.maxHops).toBe(6 + 2);
    checkPaths(plain, gpu(0, 3), gpu(128, 3));
  });

  it("agrees with the search when a link fails, and drops the paths through it", () => {
    const failed = new Uint8Array(f.links.count);
    const lay = f.layout!;
    const leaf = lay.portLeaf[lay.portStart[gpu(0, 3)]];
    failed[lay.upBase[leaf]] = 1; // leaf uplink 0: 1/32 of the paths
    const r = makeRouter(f, { loadBalancing: "ecmp", railAware: false, seed: 0, failed });
    const t0 = performance.now();
    expect(r.pathCount(gpu(0, 3), gpu(128, 3))).toBe(4096 - 128);
    expect(r.pathCount(gpu(0, 3), gpu(32, 3))).toBe(31);
    expect(r.pathCount(gpu(128, 3), gpu(0, 3))).toBe(4096); // the other direction is up
    console.log(`search on 19,712 nodes: ${(performance.now() - t0).toFixed(1)} ms for 3 pairs`);
    checkPaths(r, gpu(0, 3), gpu(128, 3));
  });

  it("spreads 1/32 on each leaf uplink and 1/1024 on each spine uplink", () => {
    const links = new Int32Array(plain.maxSpread);
    const w = new Float64Array(plain.maxSpread);
    const m = plain.spread(gpu(0, 3), gpu(128, 3), links, w);
    expect(m).toBe(2 + 2 * 32 + 2 * 1024);
    const byTier = new Map<string, number[]>();
    for (let i = 0; i < m; i++) {
      const key = `${f.links.tier[links[i]]}/${f.links.up[links[i]]}`;
      byTier.set(key, [...(byTier.get(key) ?? []), w[i]]);
    }
    expect(byTier.get("3/1")?.every((x) => Math.abs(x - 1 / 32) < 1e-15)).toBe(true);
    expect(byTier.get("4/1")?.every((x) => Math.abs(x - 1 / 1024) < 1e-15)).toBe(true);
    for (const ws of byTier.values()) expect(ws.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
