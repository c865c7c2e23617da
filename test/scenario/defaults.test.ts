// Defaults and normalization: what a scenario that leaves keys out turns into.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expandSizes } from "../../src/scenario/collective.js";
import { loadScenario, parseScenario } from "../../src/scenario/load.js";
import { describeScenario } from "../../src/scenario/print.js";
import { positionOf, scenarioError } from "../../src/scenario/source-map.js";
import { h100 } from "./helpers.js";

describe("cluster defaults", () => {
  const s = parseScenario(h100(4), "d.yaml");
  const g = s.cluster.groups[0];

  it("fills a group from the accelerator's catalog entry", () => {
    expect(g.kind).toBe("accelerator");
    expect(g.acceleratorsPerNode).toBe(8);
    expect(g.accelerator?.id).toBe("H100-SXM");
    expect(g.scaleUp?.id).toBe("nvlink4");
    expect(g.scaleUp?.bandwidth).toBe(450e9);
    expect(g.scaleUp?.domain).toBe(8);
    expect(g.nics).toEqual({ count: 8, bandwidth: 50e9 });
    expect(g.priceUsdPerHour).toBe(3.9);
  });

  it("fills scale-out, transport and simulation defaults", () => {
    const so = s.cluster.scaleOut;
    expect(so.topology).toBe("fat-tree");
    expect(so.switch.id).toBe("QM9700");
    expect(so.oversubscription).toEqual({ leaf: 1, spine: 1 });
    expect(so.linkLatency).toBeCloseTo(500e-9, 15);
    expect(so.planes).toBe(1);
    expect(so.tiers).toBe(1); // 32 ports fit one 64-port switch
    expect(s.cluster.transport).toEqual({
      loadBalancing: "ecmp",
      congestionControl: "dcqcn",
      mtu: 4096,
      trimming: false,
      pfc: false,
    });
    expect(s.simulation).toEqual({ fidelity: "flow", sharing: "max-min", seed: 1, failureDetection: 50e-6 });
    expect(s.failures).toEqual([]);
    expect(s.warnings).toEqual([]);
  });

  it("tiers auto is the fewest tiers that hold every NIC port", () => {
    // QM9700 radix 64: 1 tier 64 ports, 2 tiers 32 × 64 = 2,048, 3 tiers 32 × 32 × 64 = 65,536.
    const cases: [number, number][] = [
      [8, 1],
      [9, 2],
      [256, 2],
      [257, 3],
      [8192, 3],
    ];
    const got = cases.map(([nodes]) => parseScenario(h100(nodes)).cluster.scaleOut.tiers);
    expect(got).toEqual(cases.map(([, t]) => t));
  });

  it("oversubscription as a number is the leaf's; as an object per tier", () => {
    const one = parseScenario(h100(4).replace("workload:", "  scaleOut: { oversubscription: 3 }\nworkload:"));
    expect(one.cluster.scaleOut.oversubscription).toEqual({ leaf: 3, spine: 1 });
    const two = parseScenario(
      h100(4).replace("workload:", "  scaleOut: { oversubscription: { spine: 7 } }\nworkload:"),
    );
    expect(two.cluster.scaleOut.oversubscription).toEqual({ leaf: 1, spine: 7 });
  });

  it("GB200 gets the NVL72 rack as its scale-up domain, 4 GPUs per tray", () => {
    const text =
      "name: x\ncluster:\n  groups:\n    - { name: rack, nodes: 36, accelerator: GB200 }\nworkload:\n  collective: { op: all-reduce, sizes: [1MB] }\n";
    const g2 = parseScenario(text).cluster.groups[0];
    expect(g2.acceleratorsPerNode).toBe(4);
    expect(g2.scaleUp?.id).toBe("nvlink5-nvl72");
    expect(g2.scaleUp?.domain).toBe(72);
  });

  it("an inline scale-up object, and one based on a catalog id", () => {
    const inline = parseScenario(
      h100(2).replace(
        "accelerator: H100-SXM",
        "accelerator: H100-SXM\n      scaleUp: { bandwidth: 300GB/s, latency: 0.7us, topology: mesh }",
      ),
    ).cluster.groups[0].scaleUp!;
    expect(inline).toMatchObject({
      bandwidth: 300e9,
      topology: "mesh",
      domain: 8,
      inNetworkReduction: false,
    });
    expect(inline.latency).toBeCloseTo(0.7e-6, 15);
    const pod = parseScenario(
      h100(16).replace(
        "accelerator: H100-SXM",
        "accelerator: H100-SXM\n      scaleUp: { id: ualink-200g-x4, domain: 64 }",
      ),
    ).cluster.groups[0].scaleUp!;
    expect(pod).toMatchObject({ id: "ualink-200g-x4", bandwidth: 400e9, domain: 64, maxDomain: 1024 });
  });

  it("memory groups are NIC endpoints with capacity", () => {
    const text = `${h100(2).replace("workload:", "    - { name: pool, kind: memory, nodes: 4, capacity: 16TB, nics: { count: 4 } }\nworkload:")}`;
    const mem = parseScenario(text).cluster.groups[1];
    expect(mem).toEqual({
      name: "pool",
      kind: "memory",
      nodes: 4,
      acceleratorsPerNode: 0,
      nics: { count: 4, bandwidth: 50e9 },
      capacity: 16e12,
      mediaBandwidth: 200e9,
      priceUsdPerHour: 0,
    });
  });

  it("prices.acceleratorHour overrides every group's price", () => {
    const s2 = parseScenario(`${h100(2)}prices: { acceleratorHour: 2.5 }\n`);
    expect(s2.cluster.groups[0].priceUsdPerHour).toBe(2.5);
  });
});

describe("collective sizes", () => {
  it("[8B, 16GiB] with factor 2 gives 32 sizes", () => {
    const s = parseScenario(
      h100(1, "workload:\n  collective: { op: all-reduce, sizes: [8B, 16GiB], factor: 2 }\n"),
    );
    const w = s.workload;
    if (w.kind !== "collective") throw new Error("not a collective");
    expect(w.sizes).toHaveLength(32);
    expect(w.sizes[0]).toBe(8);
    expect(w.sizes[31]).toBe(16 * 2 ** 30);
    expect(w.algorithm).toBe("auto");
    expect(w.ranks).toBe("all");
  });

  it("a list of three or more is taken as is; factor defaults to 2 for a range", () => {
    expect(expandSizes(1e6, 8e6, 2)).toEqual([1e6, 2e6, 4e6, 8e6]);
    expect(expandSizes(1000, 5000, 4)).toEqual([1000, 4000]);
    const s = parseScenario(
      h100(1, "workload:\n  collective: { op: all-gather, sizes: [1MB, 3MB, 2MB], ranks: 4 }\n"),
    );
    expect(s.workload).toMatchObject({ sizes: [1e6, 3e6, 2e6], ranks: 4 });
  });
});

describe("training defaults", () => {
  const text = h100(
    16,
    "workload:\n  training:\n    model: llama3-70b\n    parallelism: { tp: 8, pp: 4 }\n    globalBatch: 512\n    seqLength: 4096\n",
  );
  const s = parseScenario(text);
  const w = s.workload;
  if (w.kind !== "training") throw new Error("not training");

  it("dp left out fills the group; the rest default to 1; sequence parallel with tp > 1", () => {
    expect(w.parallelism).toEqual({
      tp: 8,
      pp: 4,
      dp: 4,
      ep: 1,
      cp: 1,
      vpp: 1,
      zero: 1,
      sequenceParallel: true,
    });
    expect(w.microBatch).toBe(1);
    expect(w.precision).toBe("bf16");
    expect(w.recompute).toBe("none");
    expect(w.group).toBe("gpu");
  });

  it("presets resolve, and seqLength at the training level overrides the model's", () => {
    expect(w.model).toMatchObject({
      name: "llama3-70b",
      layers: 80,
      hidden: 8192,
      kvHeads: 8,
      seqLength: 4096,
    });
  });

  it("a model object gets kvHeads, ffnHidden, headDim and moe defaults", () => {
    const t = h100(
      1,
      "workload:\n  training:\n    model: { layers: 4, hidden: 1024, heads: 16, vocab: 32000, seqLength: 2048, moe: { experts: 8, topK: 2, expertFfnHidden: 2048 } }\n    parallelism: { ep: 8 }\n    globalBatch: 8\n",
    );
    const m = parseScenario(t).workload;
    if (m.kind !== "training") throw new Error("not training");
    expect(m.model).toEqual({
      name: "custom",
      layers: 4,
      hidden: 1024,
      heads: 16,
      kvHeads: 16,
      headDim: 64,
      ffnHidden: 4096,
      gatedMlp: false,
      vocab: 32000,
      seqLength: 2048,
      moe: { experts: 8, topK: 2, expertFfnHidden: 2048, sharedExperts: 0, denseLayers: 0 },
    });
    expect(m.parallelism.dp).toBe(8);
  });
});

describe("inference, traffic and failures", () => {
  it("fills pools, requests, kv cache and SLO defaults", () => {
    const s = parseScenario(
      h100(
        4,
        "    - { name: mem, kind: memory, nodes: 1, capacity: 4TB }\nworkload:\n  inference:\n    model: llama3-70b\n    prefill: { group: gpu, tp: 8, instances: 2 }\n    decode: { group: gpu, tp: 8, instances: 2, maxBatch: 128 }\n    requests: { rate: 20/s, promptTokens: { dist: lognormal, mean: 2048, sigma: 0.5 }, outputTokens: 256 }\n    kvCache: { offload: mem, prefixHitRate: 25% }\n",
      ),
    );
    expect(s.workload).toMatchObject({
      kind: "inference",
      prefill: { group: "gpu", tp: 8, ep: 1, dp: 1, instances: 2, maxBatch: 256 },
      decode: { group: "gpu", tp: 8, instances: 2, maxBatch: 128 },
      requests: {
        rate: 20,
        count: 1000,
        seed: 1,
        promptTokens: { kind: "lognormal", mean: 2048, sigma: 0.5 },
        outputTokens: { kind: "fixed", value: 256 },
      },
      kvCache: { offload: "mem", transfer: "layerwise", prefixHitRate: 0.25 },
      slo: { ttft: 2, tpot: 0.2 },
      precision: "bf16",
    });
  });

  it("relative trace and traffic files resolve against the scenario file", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "weft-scenario-"));
    writeFileSync(path.join(dir, "trace.csv"), "arrival_s,prompt,output\n0,100,10\n0.5,300,30\n");
    writeFileSync(path.join(dir, "flows.cm"), "Nodes 16\nConnections 1\n0->13 id 1 start 0 size 2000000\n");
    writeFileSync(
      path.join(dir, "inf.yaml"),
      h100(
        1,
        "workload:\n  inference:\n    model: llama3-8b\n    prefill: { group: gpu }\n    requests: { trace: trace.csv }\n",
      ),
    );
    writeFileSync(
      path.join(dir, "tr.yaml"),
      h100(2, "workload:\n  traffic: { pattern: file, file: flows.cm }\n"),
    );
    const inf = loadScenario(path.join(dir, "inf.yaml")).workload;
    expect(inf).toMatchObject({
      requests: { count: 2, trace: path.join(dir, "trace.csv"), promptTokens: { kind: "fixed", value: 200 } },
    });
    const tr = loadScenario(path.join(dir, "tr.yaml"));
    expect(tr.workload).toEqual({
      kind: "traffic",
      pattern: "file",
      size: 0,
      file: path.join(dir, "flows.cm"),
    });
    expect(tr.file).toBe(path.join(dir, "tr.yaml"));
  });

  it("incast senders default to every other endpoint", () => {
    const s = parseScenario(h100(2, "workload:\n  traffic: { pattern: incast, size: 2MB }\n"));
    expect(s.workload).toEqual({ kind: "traffic", pattern: "incast", size: 2e6, senders: 15 });
  });

  it("failures: tier links, a switch by name, a degraded link", () => {
    const s = parseScenario(
      `${h100(64)}failures:\n  - { at: 0s, link: { tier: spine, count: 2 } }\n  - { at: 2ms, switch: leaf-3 }\n  - { at: 0s, link: "leaf-0:up-1", degrade: 50% }\n`,
    );
    expect(s.failures).toEqual([
      { at: 0, target: { kind: "links", tier: "spine", count: 2 }, degrade: 1 },
      { at: 0.002, target: { kind: "switch", name: "leaf-3" }, degrade: 1 },
      { at: 0, target: { kind: "link", name: "leaf-0:up-1" }, degrade: 0.5 },
    ]);
  });
});

describe("source map, positionOf, scenarioError, describeScenario", () => {
  const text = h100(
    16,
    "workload:\n  training:\n    model: llama3-70b\n    parallelism:\n      tp: 8\n      pp: 4\n    globalBatch: 512\n",
  );
  const s = parseScenario(text, "p.yaml");

  it("positions of written keys, and of the nearest ancestor for defaulted ones", () => {
    expect(positionOf(s, "workload.training.parallelism.tp")).toEqual({ file: "p.yaml", line: 11, col: 11 });
    expect(positionOf(s, "cluster.groups.0.nodes")).toEqual({ file: "p.yaml", line: 5, col: 14 });
    expect(positionOf(s, ["workload", "training", "parallelism", "dp"])).toEqual({
      file: "p.yaml",
      line: 11,
      col: 7,
    });
  });

  it("scenarioError prefixes the position", () => {
    const e = scenarioError(s, "workload.training.parallelism.tp", "tp 8 is too large for this memory");
    expect(e.message).toBe("p.yaml:11:11: tp 8 is too large for this memory");
    expect(e.position).toEqual({ file: "p.yaml", line: 11, col: 11 });
  });

  it("describeScenario is JSON-able, in human units, without the whole catalog", () => {
    const d = describeScenario(s);
    const json = JSON.stringify(d);
    expect(JSON.parse(json)).toEqual(d);
    expect(json).not.toContain("MI300X");
    expect(d).toMatchObject({
      cluster: {
        groups: [
          { accelerator: { id: "H100-SXM", bf16: "989 TFLOP/s", hbm: "80 GB" }, nics: "8 × 400 Gbps" },
        ],
        scaleOut: { tiers: 2, switch: { id: "QM9700", portBandwidth: "400 Gbps" } },
      },
      simulation: { failureDetection: "50.0 us" },
    });
  });
});
