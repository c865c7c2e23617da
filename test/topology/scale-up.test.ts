// Scale-up domains: per-link bandwidths of switched, mesh and ring domains, domains spanning trays (NVL72),
// and the scale-up switch chip count ⌈D × links per accelerator / radix⌉.
import { describe, expect, it } from "vitest";
import { makeRouter } from "../../src/routing/router.js";
import { buildFabric } from "../../src/topology/build.js";
import { type Fabric, LinkTier, SwitchTier } from "../../src/topology/fabric.js";
import { cluster, gpuGroup, NVLINK5, scaleUp, switchSpec } from "./fixtures.js";

const GBps = 1e9;
const out = new Int32Array(64);

function oneNode(su: ReturnType<typeof scaleUp>, perNode = 8, nodes = 1): Fabric {
  return buildFabric(
    cluster([gpuGroup("gpu", nodes, perNode, { count: perNode, gbps: 400 }, su)], {
      topology: "single-switch",
      switch: switchSpec(64, 400),
    }),
  );
}

function scaleUpLinks(f: Fabric): number[] {
  const ids: number[] = [];
  for (let l = 0; l < f.links.count; l++) if (f.links.tier[l] === LinkTier.scaleUp) ids.push(l);
  return ids;
}

function route(f: Fabric, a: number, b: number): string[][] {
  const r = makeRouter(f, { loadBalancing: "ecmp", railAware: false, seed: 0 });
  const src = f.accelerators.node[a];
  const dst = f.accelerators.node[b];
  const paths: string[][] = [];
  for (let k = 0; k < r.pathCount(src, dst); k++) {
    const n = r.path(src, dst, k, out);
    paths.push(Array.from(out.subarray(0, n), (l) => f.nodes.names[f.links.to[l]]));
  }
  return paths;
}

describe("scale-up domains", () => {
  it("mesh: a direct link per pair of bandwidth/(D−1) (MI300X: 448/7 = 64 GB/s)", () => {
    const f = oneNode(scaleUp("mesh", 448, 8));
    const links = scaleUpLinks(f);
    expect(links.length).toBe(2 * 28);
    for (const l of links) expect(f.links.bandwidth[l]).toBeCloseTo(64 * GBps, 6);
    expect(f.bom.cables.scaleUp).toBe(28);
    expect(route(f, 2, 6)).toEqual([["gpu-n0-a6"]]);
  });

  it("ring: two neighbours of bandwidth/2, the shorter way round (both when they tie)", () => {
    const f = oneNode(scaleUp("ring", 400, 8));
    for (const l of scaleUpLinks(f)) expect(f.links.bandwidth[l]).toBe(200 * GBps);
    expect(f.bom.cables.scaleUp).toBe(8);
    expect(route(f, 0, 3)).toEqual([["gpu-n0-a1", "gpu-n0-a2", "gpu-n0-a3"]]);
    expect(route(f, 1, 7)).toEqual([["gpu-n0-a0", "gpu-n0-a7"]]);
    expect(route(f, 0, 4)).toEqual([
      ["gpu-n0-a1", "gpu-n0-a2", "gpu-n0-a3", "gpu-n0-a4"],
      ["gpu-n0-a7", "gpu-n0-a6", "gpu-n0-a5", "gpu-n0-a4"],
    ]);
  });

  it("ring: takes the longer way when a failure cuts the shorter", () => {
    const f = oneNode(scaleUp("ring", 400, 8));
    const failed = new Uint8Array(f.links.count);
    const r0 = makeRouter(f, { loadBalancing: "ecmp", railAware: false, seed: 0 });
    const [a, b] = [f.accelerators.node[0], f.accelerators.node[2]];
    r0.path(a, b, 0, out);
    failed[out[1]] = 1;
    const r = makeRouter(f, { loadBalancing: "ecmp", railAware: false, seed: 0, failed });
    expect(r.pathCount(a, b)).toBe(1);
    const n = r.path(a, b, 0, out);
    expect(Array.from(out.subarray(0, n), (l) => f.nodes.names[f.links.to[l]])).toEqual([
      "gpu-n0-a7",
      "gpu-n0-a6",
      "gpu-n0-a5",
      "gpu-n0-a4",
      "gpu-n0-a3",
      "gpu-n0-a2",
    ]);
  });

  it("switch: one link of the full bandwidth to a logical switch, half the latency each way", () => {
    const f = oneNode(NVLINK5);
    const links = scaleUpLinks(f);
    expect(links.length).toBe(16);
    for (const l of links) {
      expect(f.links.bandwidth[l]).toBe(900 * GBps);
      expect(f.links.latency[l]).toBeCloseTo(250e-9, 15);
    }
    expect(route(f, 1, 5)).toEqual([["nvsw-d0", "gpu-n0-a5"]]);
    // HGX B200: ⌈8 × 18 / 72⌉ = 2 NVLink switch chips, 8 × 18 links.
    expect(f.bom.switches.scaleUp).toBe(2);
    expect(f.bom.cables.scaleUp).toBe(144);
    // An accelerator reaches its own domain switch in one hop (in-network reduction), not another's.
    const r = makeRouter(f, { loadBalancing: "ecmp", railAware: false, seed: 0 });
    const sw = f.nodes.names.indexOf("nvsw-d0");
    expect(r.pathCount(f.accelerators.node[3], sw)).toBe(1);
    expect(r.path(f.accelerators.node[3], sw, 0, out)).toBe(1);
    expect(r.pathCount(sw, f.accelerators.node[3])).toBe(1);
  });

  it("NVL72: domains of 72 span 18 trays of 4 GPUs; 18 switch chips per rack", () => {
    const nvl72 = { ...NVLINK5, domain: 72 };
    const f = buildFabric(
      cluster([gpuGroup("gb200", 36, 4, { count: 4, gbps: 400 }, nvl72)], {
        topology: "rail-optimized",
        switch: switchSpec(64, 400),
      }),
    );
    expect(f.accelerators.count).toBe(144);
    expect(f.accelerators.domain[71]).toBe(0);
    expect(f.accelerators.domain[72]).toBe(1);
    expect(f.accelerators.server[71]).toBe(17);
    expect(f.bom.switches.scaleUp).toBe(36);
    expect(f.nodes.names.filter((n) => n.startsWith("nvsw-")).sort()).toEqual(["nvsw-d0", "nvsw-d1"]);
    // Tray 0 and tray 17 of rack 0 talk over NVLink; rack 0 and rack 1 over the scale-out fabric.
    expect(route(f, 0, 71)).toEqual([["nvsw-d0", "gb200-n17-a3"]]);
    const across = route(f, 0, 72);
    expect(across.length).toBeGreaterThan(0);
    expect(across[0]).not.toContain("nvsw-d0");
  });

  it("counts chips as set per group, and warns about a partial last domain", () => {
    const nvlink4 = scaleUp("switch", 450, 8, {
      switchRadix: 64,
      switchPortBandwidth: 25 * GBps,
      id: "nvlink4",
    });
    const c = cluster([gpuGroup("h100", 3, 4, { count: 4, gbps: 400 }, nvlink4)], {
      topology: "single-switch",
      switch: switchSpec(64, 400),
    });
    expect(buildFabric(c).bom.switches.scaleUp).toBe(2 * 3); // ⌈8 × 18 / 64⌉ = 3 per domain
    const f = buildFabric(c, { scaleUpSwitchesPerDomain: { h100: 4 } });
    expect(f.bom.switches.scaleUp).toBe(8);
    expect(f.bom.warnings).toContain(
      "group h100: 12 accelerators do not fill domains of 8; the last domain has 4",
    );
    expect(f.nodes.tier[f.nodes.names.indexOf("nvsw-d1")]).toBe(SwitchTier.scaleUp);
  });
});
