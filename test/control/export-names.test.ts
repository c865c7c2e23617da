// Device names carry the scenario's group names, which may hold any character: cabling.csv quotes them as
// RFC 4180 says, and containerlab.clab.yml gives each device a node name containerlab accepts, the same in
// its node entry and its links, keeping the device name as a label.
import { parse as parseCsv } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { scaleOutCables } from "../../src/control/export/cables.js";
import { CABLING_HEADER } from "../../src/control/export/cabling.js";
import { exportFabric } from "../../src/control/export/index.js";
import { parseScenario } from "../../src/scenario/load.js";
import { buildScenarioFabric } from "../../src/topology/build.js";
import { portMap } from "../../src/topology/names.js";

const LONG = "a-group-name-long-enough-that-its-device-names-pass-sixty-three-chars";
const scenario = parseScenario(
  `name: odd group names
cluster:
  groups:
    - { name: 'g,"1', nodes: 2, accelerator: H100-SXM, acceleratorsPerNode: 8, nics: { count: 8, bandwidth: 400Gbps } }
    - { name: "g:2/x y", nodes: 1, accelerator: H100-SXM, acceleratorsPerNode: 8, nics: { count: 8, bandwidth: 400Gbps } }
    - { name: "${LONG}", nodes: 1, accelerator: H100-SXM, acceleratorsPerNode: 8, nics: { count: 8, bandwidth: 400Gbps } }
    - { name: gpu, nodes: 1, accelerator: H100-SXM, acceleratorsPerNode: 8, nics: { count: 8, bandwidth: 400Gbps } }
  scaleOut: { topology: fat-tree, tiers: 2, switch: Spectrum4-64x800G }
workload:
  collective: { op: all-reduce, sizes: [1MiB] }
`,
  "odd.yaml",
);
const fabric = buildScenarioFabric(scenario);
const names = fabric.nodes.names;
const cables = scaleOutCables(fabric, portMap(fabric, scenario.cluster.scaleOut.switch));

function file(format: "cabling" | "graph", name: string): string {
  const f = exportFabric(scenario, fabric, format).find((x) => x.path === name);
  if (!f) throw new Error(`no ${name}`);
  return f.content;
}

describe("cabling.csv", () => {
  it("quotes fields with commas and quotes, so every row keeps its 13 columns and its device names", () => {
    const csv = file("cabling", "cabling.csv");
    expect(csv.split("\n")[1]).toMatch(/^C000001,leaf,"g,""1-n0-a0",eth0,/);
    const rows = parseCsv(csv, { relax_column_count: false }) as string[][];
    expect(rows[0]).toEqual([...CABLING_HEADER]);
    expect(rows).toHaveLength(cables.length + 1);
    rows.slice(1).forEach((row, k) => {
      expect(row).toHaveLength(13);
      expect([row[0], row[2], row[3], row[4], row[5]]).toEqual([
        cables[k].id,
        names[cables[k].a],
        cables[k].aPort,
        names[cables[k].z],
        cables[k].zPort,
      ]);
    });
  });
});

describe("containerlab.clab.yml", () => {
  const topo = parseYaml(file("graph", "containerlab.clab.yml")) as {
    topology: {
      nodes: Record<string, { kind: string; labels?: Record<string, string> }>;
      links: { endpoints: string[] }[];
    };
  };
  const nodes = topo.topology.nodes;
  const deviceOf = (node: string) => nodes[node]?.labels?.["weft-device"] ?? node;

  it("names every node as containerlab allows: a letter or digit, then letters, digits and -, at most 63", () => {
    for (const node of Object.keys(nodes)) expect(node).toMatch(/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/);
  });

  it("keeps names that are valid, renames the rest uniquely, and labels each with its device", () => {
    expect(nodes["leaf-0"]).toEqual({ kind: "sonic-vs" });
    expect(nodes["gpu-n0-a0"]).toEqual({ kind: "linux" });
    const devices = new Set(cables.flatMap((c) => [names[c.a], names[c.z]]));
    expect(Object.keys(nodes)).toHaveLength(devices.size);
    expect(new Set(Object.keys(nodes).map(deviceOf))).toEqual(devices);
    const renamed = Object.keys(nodes).filter((n) => deviceOf(n) !== n);
    expect(renamed.map(deviceOf).sort()).toEqual(
      [...devices].filter((d) => d.startsWith("g,") || d.startsWith("g:") || d.startsWith(LONG)).sort(),
    );
    expect(renamed.find((n) => deviceOf(n) === 'g,"1-n0-a0')).toMatch(/^g-1-n0-a0-[0-9a-f]{6}$/);
  });

  it("names each link's ends by the same node names, cable by cable", () => {
    expect(topo.topology.links).toHaveLength(cables.length);
    topo.topology.links.forEach(({ endpoints }, k) => {
      const [a, z] = endpoints.map((e) => e.split(":"));
      expect(a).toHaveLength(2);
      expect(z).toHaveLength(2);
      expect([deviceOf(a[0]), deviceOf(z[0])]).toEqual([names[cables[k].a], names[cables[k].z]]);
    });
  });
});
