// Cross-field checks: each error names the numbers and sits at the key it is about.
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { h100, loadError } from "./helpers.js";

const collective = "workload:\n  collective: { op: all-reduce, sizes: [1MB] }\n";

/** The `line:col` the error message starts with. */
function where(text: string): string {
  const m = /^fixture\.yaml:(\d+:\d+): /.exec(loadError(text).message);
  if (!m) throw new Error(`no position in: ${loadError(text).message}`);
  return m[1];
}

describe("cluster checks", () => {
  it("group names are unique", () => {
    const text = h100(1, `    - { name: gpu, nodes: 1, accelerator: H200-SXM }\n${collective}`);
    expect(loadError(text).message).toBe(
      'fixture.yaml:7:15: group name "gpu" is used by cluster.groups[0] and cluster.groups[1]; group names must be unique',
    );
  });

  it("memory groups take no accelerator keys", () => {
    const text = h100(1, `    - { name: mem, kind: memory, nodes: 1, accelerator: H100-SXM }\n${collective}`);
    const e = loadError(text);
    expect(e.message).toMatch(/^fixture\.yaml:7:44: "accelerator" does not apply to a memory group/);
  });

  it("an accelerator group needs an accelerator", () => {
    const e = loadError(`name: x\ncluster:\n  groups:\n    - { name: gpu, nodes: 1 }\n${collective}`);
    expect(e.message).toMatch(
      /^fixture\.yaml:4:7: missing required key "accelerator" in cluster\.groups\[0\] \("gpu"\)/,
    );
  });

  it("a scale-up domain must hold whole nodes and tile the group", () => {
    const text = `name: x\ncluster:\n  groups:\n    - { name: rack, nodes: 20, accelerator: GB200 }\n${collective}`;
    expect(parseScenario(text.replace("20", "18")).cluster.groups[0].scaleUp?.domain).toBe(72);
    expect(loadError(text).message).toContain(
      'group "rack" has 80 accelerators (20 nodes × 4), not a whole number of scale-up domains of 72',
    );
  });

  it("rail topologies need one NIC per accelerator", () => {
    const text = h100(4, collective)
      .replace("accelerator: H100-SXM", "accelerator: H100-SXM\n      nics: { count: 4 }")
      .replace("workload:", "  scaleOut: { topology: rail-optimized }\nworkload:");
    const e = loadError(text);
    expect(e.message).toMatch(/^fixture\.yaml:7:13: rail-optimized needs one NIC per accelerator/);
    expect(e.message).toContain("8 accelerators per node and 4 NICs");
  });

  it("a single switch past its radix is a warning, not an error", () => {
    const s = parseScenario(
      h100(16, collective).replace("workload:", "  scaleOut: { topology: single-switch }\nworkload:"),
    );
    expect(s.cluster.scaleOut.tiers).toBe(1);
    expect(s.warnings).toEqual([
      "single-switch: 128 endpoint ports exceed the 64-port radix of QM9700; it is modeled as one non-blocking switch of 128 ports",
    ]);
  });

  it("NICs faster than the switch ports of their plane are a warning", () => {
    const text = h100(2, collective)
      .replace("accelerator: H100-SXM", "accelerator: H100-SXM\n      nics: { bandwidth: 800Gbps }")
      .replace("workload:", "  scaleOut: { switch: TH5-128x400G, planes: PLANES }\nworkload:");
    expect(parseScenario(text.replace("PLANES", "2")).warnings).toEqual([]);
    expect(parseScenario(text.replace("PLANES", "1")).warnings).toEqual([
      'group "gpu": its NICs put 800 Gbps into each plane, more than the 400 Gbps ports of switch TH5-128x400G; they run at the port speed',
    ]);
  });

  it("rail-only counts one port per node on each rail", () => {
    // 16 nodes per rail fit one 64-port switch even though the cluster has 128 NIC ports.
    const s = parseScenario(
      h100(16, collective).replace("workload:", "  scaleOut: { topology: rail-only }\nworkload:"),
    );
    expect(s.cluster.scaleOut.tiers).toBe(1);
  });
});

describe("workload checks", () => {
  it("exactly one workload kind", () => {
    expect(loadError(h100(1, "workload: {}\n")).message).toBe(
      "fixture.yaml:7:11: workload needs exactly one of collective, training, inference, traffic; got none",
    );
    const two = h100(
      1,
      "workload:\n  collective: { op: all-reduce, sizes: [1MB] }\n  traffic: { pattern: permutation, size: 1MB }\n",
    );
    expect(where(two)).toBe("9:3");
  });

  it("collective ranks: at most the accelerators, or an accelerator group", () => {
    const many = h100(1, "workload:\n  collective: { op: all-reduce, sizes: [1MB], ranks: 9 }\n");
    expect(loadError(many).message).toBe(
      "fixture.yaml:8:54: ranks 9 is more than the 8 accelerators of the cluster",
    );
    const named = h100(1, "workload:\n  collective: { op: all-reduce, sizes: [1MB], ranks: gpus }\n");
    expect(loadError(named).message).toContain(
      'no group named "gpus"; expected all, a number ≤ 8, or an accelerator group (gpu)',
    );
  });

  it("a collective runs among at least 2 ranks, whether the count, a group or the cluster gives 1", () => {
    const one = h100(1, "workload:\n  collective: { op: all-reduce, sizes: [1MB], ranks: 1 }\n");
    expect(loadError(one).message).toBe(
      "fixture.yaml:8:54: ranks is 1; a collective runs among at least 2 ranks",
    );
    const single = `name: test
cluster:
  groups:
    - { name: gpu, nodes: 1, accelerator: H100-SXM, acceleratorsPerNode: 1 }
workload:
  collective: { op: all-reduce, sizes: [1MB], ranks: gpu }
`;
    expect(loadError(single).message).toBe(
      'fixture.yaml:6:54: group "gpu" has 1 accelerator; a collective runs among at least 2 ranks',
    );
    expect(loadError(single.replace(", ranks: gpu", "")).message).toContain(
      "the cluster has 1 accelerator; a collective runs among at least 2 ranks",
    );
  });

  it("a collective or traffic job runs among at least 2 accelerators", () => {
    const jobs = (job: string) => `name: test
cluster:
  groups:
    - { name: gpu, nodes: 2, accelerator: H100-SXM }
jobs:
  - { name: a, placement: auto, accelerators: 8, collective: { op: all-reduce, sizes: [1MB] } }
  - ${job}
`;
    expect(
      loadError(
        jobs("{ name: b, placement: auto, accelerators: 1, collective: { op: all-reduce, sizes: [1MB] } }"),
      ).message,
    ).toBe(
      "fixture.yaml:7:47: a collective job runs among at least 2 accelerators; this placement gives it 1",
    );
    expect(
      loadError(
        jobs("{ name: b, placement: auto, accelerators: 1, traffic: { pattern: all-to-all, size: 1MB } }"),
      ).message,
    ).toContain("a traffic job runs among at least 2 accelerators; this placement gives it 1");
    expect(() =>
      parseScenario(
        jobs("{ name: b, placement: auto, accelerators: 2, collective: { op: all-reduce, sizes: [1MB] } }"),
      ),
    ).not.toThrow();
    // An incast job counts its own accelerators, not the cluster's, and says so at its senders.
    const incast = jobs(
      "{ name: b, placement: auto, accelerators: 2, traffic: { pattern: incast, size: 1MB, senders: 2 } }",
    );
    expect(loadError(incast).message).toBe(
      'fixture.yaml:7:98: incast: 2 senders need at least 3 endpoints (one receiver), but job "b" has 2; expected senders < 2',
    );
  });

  it("a range needs min ≤ max; factor only with a range", () => {
    expect(where(h100(1, "workload:\n  collective: { op: all-reduce, sizes: [2MB, 1MB] }\n"))).toBe("8:40");
    expect(where(h100(1, "workload:\n  collective: { op: all-reduce, sizes: [1MB], factor: 4 }\n"))).toBe(
      "8:55",
    );
  });

  it("ep needs an MoE model and must divide tp × dp × cp", () => {
    const dense = h100(
      1,
      "workload:\n  training: { model: llama3-8b, parallelism: { ep: 2 }, globalBatch: 8 }\n",
    );
    expect(loadError(dense).message).toContain(
      "ep 2 needs a mixture-of-experts model; llama3-8b has no moe section",
    );
    const moe = h100(
      1,
      "workload:\n  training: { model: mixtral-8x7b, parallelism: { tp: 2, pp: 2, ep: 8 }, globalBatch: 8 }\n",
    );
    expect(loadError(moe).message).toContain("ep 8 must divide tp × dp × cp = 2 × 2 × 1 = 4");
  });

  it("globalBatch must be a multiple of microBatch × dp", () => {
    const text = h100(2, "workload:\n  training: { model: llama3-8b, microBatch: 2, globalBatch: 20 }\n");
    expect(loadError(text).message).toContain(
      "globalBatch 20 is not a multiple of microBatch × dp = 2 × 16 = 32",
    );
  });

  it("inference pools must fit their group, and name accelerator groups", () => {
    const text = h100(
      2,
      "workload:\n  inference:\n    model: llama3-70b\n    prefill: { group: gpu, tp: 8, instances: 1 }\n    decode: { group: gpu, tp: 4, dp: 2, instances: 2 }\n    requests: { rate: 1/s, promptTokens: 100, outputTokens: 10 }\n",
    );
    expect(loadError(text).message).toBe(
      'fixture.yaml:11:13: prefill tp × dp × instances = 8 × 1 × 1 = 8 plus decode tp × dp × instances = 4 × 2 × 2 = 16 accelerators, but group "gpu" has 16 (2 nodes × 8)',
    );
    const wrong = text.replace("decode: { group: gpu", "decode: { group: gpx");
    expect(loadError(wrong).message).toContain('no group named "gpx"; expected an accelerator group: gpu');
  });

  it("kvCache.offload names a memory or storage group", () => {
    const text = h100(
      1,
      "workload:\n  inference:\n    model: llama3-8b\n    prefill: { group: gpu }\n    requests: { rate: 1/s, promptTokens: 100, outputTokens: 10 }\n    kvCache: { offload: gpu }\n",
    );
    expect(loadError(text).message).toBe(
      'fixture.yaml:12:25: group "gpu" is an accelerator group; kvCache.offload expects a memory or storage group (the cluster has none: add one with kind: memory)',
    );
  });

  it("traffic: file pattern needs a file; incast needs fewer senders than endpoints", () => {
    expect(loadError(h100(1, "workload:\n  traffic: { pattern: file }\n")).message).toContain(
      'pattern: file needs "file"',
    );
    expect(loadError(h100(1, "workload:\n  traffic: { pattern: file, file: nowhere.cm }\n")).message).toMatch(
      /traffic file .*nowhere.cm: no such file/,
    );
    const incast = h100(1, "workload:\n  traffic: { pattern: incast, size: 2MB, senders: 8 }\n");
    expect(loadError(incast).message).toBe(
      "fixture.yaml:8:51: incast: 8 senders need at least 9 endpoints (one receiver), but the cluster has 8; expected senders < 8",
    );
  });

  it("a failure names a tier the fabric has", () => {
    const text = `${h100(16)}failures:\n  - { at: 0s, link: { tier: core, count: 1 } }\n`;
    expect(loadError(text).message).toBe(
      "fixture.yaml:10:29: this fabric has no core links (a 2-tier fat-tree); expected leaf, spine or scaleUp",
    );
  });
});

describe("hardware overrides in a scenario", () => {
  it("override a field with a quantity string, and add a new accelerator", () => {
    const text = `name: x
hardware:
  scaleUp:
    nvlink4: { bandwidth: 400GB/s }
  accelerators:
    XPU-1: { peakFlops: { bf16: 1000TFLOP/s }, hbmBytes: 96GB, hbmBandwidth: 4TB/s, scaleUp: ualink }
cluster:
  groups:
    - { name: gpu, nodes: 1, accelerator: H100-SXM }
    - { name: xpu, nodes: 2, accelerator: XPU-1 }
${collective}`;
    const s = parseScenario(text);
    expect(s.cluster.groups[0].scaleUp?.bandwidth).toBe(400e9);
    const xpu = s.cluster.groups[1];
    expect(xpu.accelerator).toMatchObject({
      peakFlops: { bf16: 1e15 },
      hbmBytes: 96e9,
      perNode: 8,
      priceUsdPerHour: 3.94,
    });
    expect(xpu.scaleUp?.id).toBe("ualink-200g-x4");
    expect(s.catalog.scaleUp.nvlink4.bandwidth).toBe(400e9);
  });

  it("a misspelt field in hardware is an error at its key", () => {
    const text = `name: x\nhardware:\n  switches:\n    QM9700: { radx: 32 }\n${h100(1).slice("name: test\n".length)}`;
    expect(loadError(text).message).toBe(
      'fixture.yaml:4:15: unknown key "radx" in hardware.switches.QM9700; did you mean "radix"? expected one of: id, name, vendor, source, notes, radix, portBandwidth, latency, buffer, powerW, priceUsd, inNetworkReduction, linkEfficiency, stepLatency',
    );
  });

  it("efficiencies in hardware are fractions above 0 and at most 1", () => {
    const withSwitch = (fields: string) =>
      `name: x\nhardware:\n  switches:\n    QM9700: { ${fields} }\n${h100(1).slice("name: test\n".length)}`;
    for (const bad of ["0", "2", "-0.5", ".nan"]) {
      expect(loadError(withSwitch(`linkEfficiency: ${bad}`)).message).toMatch(
        /^fixture\.yaml:4:31: .* expected a fraction above 0 and at most 1/,
      );
    }
    expect(() => parseScenario(withSwitch("linkEfficiency: 1"))).not.toThrow();
    const curve = `name: x\nhardware:\n  accelerators:\n    H100-SXM: { efficiency: { bf16: { gemmMax: 1.3 } } }\n${h100(1).slice("name: test\n".length)}`;
    expect(loadError(curve).message).toContain("expected a fraction above 0 and at most 1");
  });

  it("hbmBytes alone replaces the driver's exposed figure too; memory is above zero", () => {
    const withHbm = (fields: string) =>
      `name: x\nhardware:\n  accelerators:\n    H100-SXM: { ${fields} }\n${h100(1).slice("name: test\n".length)}`;
    const catalog = parseScenario(h100(1)).catalog.accelerators["H100-SXM"];
    expect(catalog.hbmExposedBytes).toBeGreaterThan(0);
    const only = parseScenario(withHbm("hbmBytes: 10GB")).catalog.accelerators["H100-SXM"];
    expect(only.hbmBytes).toBe(10e9);
    expect(only.hbmExposedBytes).toBeUndefined();
    const both = parseScenario(withHbm("hbmBytes: 10GB, hbmExposedBytes: 9GB")).catalog.accelerators[
      "H100-SXM"
    ];
    expect(both.hbmExposedBytes).toBe(9e9);
    expect(loadError(withHbm("hbmBytes: 0")).message).toMatch(/hbmBytes: 0 is not positive/);
  });

  it("a bad value inside an inline scale-up or switch mapping is reported at its key", () => {
    const group = (scaleUp: string) =>
      `name: x\ncluster:\n  groups:\n    - { name: g, nodes: 2, accelerator: H100-SXM, scaleUp: ${scaleUp} }\n${collective}`;
    expect(loadError(group("{ id: nvlink4, latency: -1us }")).message).toBe(
      'fixture.yaml:4:84: cluster.groups[0].scaleUp.latency: "-1us" must not be negative',
    );
    expect(loadError(group("{ id: nvlink4, topology: torus }")).message).toContain(
      'cluster.groups[0].scaleUp.topology: string "torus" is not allowed; expected one of: switch, mesh, ring',
    );
    const sw = `name: x\ncluster:\n  groups:\n    - { name: g, nodes: 2, accelerator: H100-SXM }\n  scaleOut: { topology: fat-tree, switch: { id: QM9700, latency: 2s } }\n${collective}`;
    expect(loadError(sw).message).toMatch(
      /^fixture\.yaml:5:66: cluster\.scaleOut\.switch\.latency: "2s" is out of range/,
    );
    // A name where a mapping or a name goes is still told what was expected.
    expect(loadError(group("[1, 2]")).message).toMatch(/scaleUp: expected a scale-up catalog id/);
  });

  it("a job's placement names what it takes", () => {
    const text = `name: x\ncluster:\n  groups:\n    - { name: g, nodes: 2, accelerator: H100-SXM }\njobs:\n  - { name: a, placement: somewhere, collective: { op: all-reduce, sizes: [1MB] } }\n`;
    expect(loadError(text).message).toBe(
      'fixture.yaml:6:27: jobs[0].placement: expected auto, { group: <name> } or { nodes: [<node>, …] }, got string "somewhere"',
    );
  });

  it("a new entry that lacks required fields says which", () => {
    const text = `name: x\nhardware:\n  switches:\n    my-switch: { radix: 32 }\n${h100(1).slice("name: test\n".length)}`;
    expect(loadError(text).message).toMatch(
      /^fixture\.yaml:4:5: new switch "my-switch" in hardware\.switches lacks "portBandwidth"/,
    );
  });
});
