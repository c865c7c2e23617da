import { describe, expect, it } from "vitest";
import { buildFabric } from "../../src/topology/build.js";
import {
  htsimDefaultBuffer,
  htsimDefaultCluster,
  parseHtsimTopology,
  readHtsimTopology,
} from "../../src/workload/traffic/htsim-topology.js";
import { dataPath } from "../helpers/data.js";

describe("htsim .topo import", () => {
  it("fat_tree_128_1os.topo is the k = 8 fat-tree htsim builds by default", () => {
    const c = readHtsimTopology(dataPath("htsim/fat_tree_128_1os.topo"));
    expect(c.groups[0]).toMatchObject({ kind: "host", nodes: 128, nics: { count: 1, bandwidth: 12.5e9 } });
    expect(c.scaleOut).toMatchObject({ topology: "fat-tree", tiers: 3, linkLatency: 1e-6 });
    expect(c.scaleOut.switch).toMatchObject({ radix: 8, portBandwidth: 12.5e9, latency: 0, buffer: 178_450 });
    expect(c.scaleOut.oversubscription).toEqual({ leaf: 1, spine: 1 });
    expect(c.transport).toMatchObject({
      congestionControl: "nscc",
      mtu: 4150,
      ecn: { min: 37_350, max: 145_250 },
    });
    // data/README.md: 128 hosts → NCORE=16 NAGG=32 NTOR=32 NPOD=8.
    const f = buildFabric(c);
    expect(f.bom.switches).toMatchObject({ leaf: 32, spine: 32, core: 16 });
  });

  it("leaf_spine_tiny.topo: 32 hosts on 4 leaves, 8 down and 2 up each (4:1)", () => {
    const c = readHtsimTopology(dataPath("htsim/leaf_spine_tiny.topo"));
    expect(c.scaleOut).toMatchObject({ tiers: 2, oversubscription: { leaf: 4, spine: 1 } });
    expect(c.scaleOut.switch.radix).toBe(10);
    const f = buildFabric(c);
    // htsim spreads the 8 leaf uplinks over 2 spines of 4 ports; weft's builder fills one 10-port spine:
    // the same 2 x 100 Gb/s up from every leaf.
    expect(f.bom.switches.leaf).toBe(4);
    expect(f.bom.cables).toMatchObject({ leaf: 32, spine: 8 });
  });

  it("htsim's default buffer is one BDP in whole packets: 178,450 B at 100 Gb/s, 1 us links, 3 tiers", () => {
    expect(htsimDefaultBuffer(3, 12.5e9, 1e-6, 0)).toBe(178_450);
    const c = htsimDefaultCluster(16);
    expect(buildFabric(c).bom.switches).toMatchObject({ leaf: 8, spine: 8, core: 4 });
    expect(() => htsimDefaultCluster(20)).toThrow(/k³\/4 hosts/);
  });

  it("rejects what weft fat-trees cannot express, naming the line", () => {
    const base =
      "Nodes 16\nTiers 2\nPodsize 16\nTier 0\nDownlink_speed_Gbps 100\nRadix_Down 4\nRadix_Up 4\nDownlink_Latency_ns 1000\n";
    const tier1 = (extra: string) =>
      `${base}Tier 1\nDownlink_speed_Gbps ${extra}\nRadix_Down 4\nDownlink_Latency_ns 1000\n`;
    expect(() => parseHtsimTopology(tier1("400"), "t.topo")).toThrow(
      /Downlink_speed_Gbps 400, tier 0 has 100/,
    );
    expect(() => parseHtsimTopology(`${tier1("100")}Bundle 2\n`, "t.topo")).toThrow(
      /Bundle 2 is not supported/,
    );
    expect(() => parseHtsimTopology(`${tier1("100")}Colour 3\n`, "t.topo")).toThrow(
      /unknown key "Colour"; expected Tier/,
    );
    let position: unknown;
    try {
      parseHtsimTopology(`${tier1("100")}Colour 3\n`, "t.topo");
    } catch (e) {
      position = (e as { position: unknown }).position;
    }
    expect(position).toEqual({ file: "t.topo", line: 13, col: 1 });
    expect(() => parseHtsimTopology("Nodes 4\nTiers 4\n")).toThrow(/Tiers" must be 2 or 3/);
  });
});
