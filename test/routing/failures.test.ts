// Failed links: routes avoid them and pathCount counts only live paths (k = 4 fat-tree, 4 paths between pods).
import { describe, expect, it } from "vitest";
import { makeRouter } from "../../src/routing/router.js";
import { buildFabric } from "../../src/topology/build.js";
import { cluster, endpointGroup, switchSpec } from "../topology/fixtures.js";
import { bruteForcePaths } from "./brute-force.js";

const f = buildFabric(
  cluster([endpointGroup("h", "host", 16, { count: 1, gbps: 100 })], {
    topology: "fat-tree",
    switch: switchSpec(4, 100),
    tiers: 3,
  }),
);
const host = f.groups[0].endpoints;
const [src, dst] = [host[0], host[13]];
const lay = f.layout!;
const leafOf = (v: number) => lay.portLeaf[lay.portStart[v]];

function router(failed?: Uint8Array) {
  return makeRouter(f, { loadBalancing: "ecmp", railAware: false, seed: 0, failed });
}

function paths(r: ReturnType<typeof router>): number[][] {
  const out = new Int32Array(r.maxHops);
  return Array.from({ length: r.pathCount(src, dst) }, (_, k) =>
    Array.from(out.subarray(0, r.path(src, dst, k, out))),
  );
}

describe("routing around failed links", () => {
  it("drops the paths through a failed leaf uplink, then a failed spine uplink", () => {
    expect(router().pathCount(src, dst)).toBe(4);
    const failed = new Uint8Array(f.links.count);
    const leafUp = lay.upBase[leafOf(src)]; // uplink 0 of the source's leaf
    failed[leafUp] = 1;
    expect(router(failed).pathCount(src, dst)).toBe(2);
    for (const p of paths(router(failed))) expect(p).not.toContain(leafUp);
    const spine = f.links.to[leafUp + 2]; // the other pod spine
    failed[lay.upBase[spine]] = 1;
    const r = router(failed);
    expect(r.pathCount(src, dst)).toBe(1);
    expect(paths(r)).toEqual(bruteForcePaths(f, src, dst, { failed }));
    // A failed direction only: the reverse flow still uses that cable.
    expect(
      makeRouter(f, { loadBalancing: "ecmp", railAware: false, seed: 0, failed }).pathCount(dst, src),
    ).toBe(4);
  });

  it("spreads evenly over the live paths only", () => {
    const failed = new Uint8Array(f.links.count);
    failed[lay.upBase[leafOf(src)]] = 1;
    const r = router(failed);
    const links = new Int32Array(r.maxSpread);
    const w = new Float64Array(r.maxSpread);
    const m = r.spread(src, dst, links, w);
    const got = new Map<number, number>();
    for (let i = 0; i < m; i++) got.set(links[i], w[i]);
    expect(got.has(lay.upBase[leafOf(src)])).toBe(false);
    expect(got.get(lay.upBase[leafOf(src)] + 2)).toBeCloseTo(1, 12);
    expect(m).toBe(1 + 1 + 2 + 2 + 1 + 1); // host up, leaf up, 2 spine up, 2 core down, spine down, leaf down
  });

  it("reports no path when every way is down", () => {
    const failed = new Uint8Array(f.links.count);
    failed[lay.portUp[lay.portStart[src]]] = 1;
    const r = router(failed);
    expect(r.pathCount(src, dst)).toBe(0);
    expect(r.path(src, dst, 0, new Int32Array(8))).toBe(0);
  });
});
