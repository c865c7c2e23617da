// Each kind of bad input fails with `file:line:col:` of the offending node and says what was expected.
import { describe, expect, it } from "vitest";
import { WeftError } from "../../src/errors.js";
import { loadError } from "./helpers.js";

describe("scenario errors point at the offending node", () => {
  it("a file that is one long word is quoted by a glimpse, not whole", () => {
    const word = "x".repeat(500_000);
    const message = loadError(word).message;
    expect(message).toBe(
      `fixture.yaml:1:1: the scenario must be a mapping with name, cluster and workload; got string "${"x".repeat(24)}…"`,
    );
  });

  it("YAML syntax error", () => {
    const text = "name: x\ncluster:\n  groups: [\n    - name: gpu\n";
    const e = loadError(text, "examples/bad.yaml");
    expect(e.message).toMatch(/^examples\/bad\.yaml:4:5: YAML syntax error: /);
    expect(e.message).toContain("expected valid YAML or JSON");
    expect(e.position).toEqual({ file: "examples/bad.yaml", line: 4, col: 5 });
  });

  it("duplicate key is a syntax error at the second key", () => {
    const e = loadError("name: a\nname: b\n");
    expect(e.message).toMatch(
      /^fixture\.yaml:2:1: YAML syntax error: Map keys must be unique; "name" is also on line 1/,
    );
    // 1 and "1" are different keys in YAML.
    expect(loadError('name: a\ncluster: { 1: a, "1": b }\n').message).not.toMatch(/must be unique/);
  });

  it("a mapping of 50,000 keys is refused in seconds, not minutes (keys checked with a set)", () => {
    let text = "name: x\ncluster:\n";
    for (let i = 0; i < 50_000; i++) text += `  k${i}: 1\n`;
    const t0 = performance.now();
    expect(loadError(text).message).toMatch(/unknown key "k0" in cluster/);
    // Comparing every key with every other took 85 s here.
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  it("unknown key, with the nearest key suggested", () => {
    const text = [
      "name: x",
      "cluster:",
      "  groups:",
      "    - name: gpu",
      "      nodes: 2",
      "      accelerator: H100-SXM",
      "      nics: { count: 8, bandwith: 400Gbps }",
      "workload:",
      "  collective: { op: all-reduce, sizes: [1MB] }",
    ].join("\n");
    const e = loadError(text, "examples/x.yaml");
    expect(e.message).toBe(
      'examples/x.yaml:7:25: unknown key "bandwith" in cluster.groups[0].nics; did you mean "bandwidth"? expected one of: count, bandwidth',
    );
    expect(e.position).toEqual({ file: "examples/x.yaml", line: 7, col: 25 });
  });

  it("unknown top-level key", () => {
    const e = loadError("name: x\nclustre: {}\nworkload: {}\n");
    expect(e.message).toContain(
      'fixture.yaml:2:1: unknown key "clustre" in the document; did you mean "cluster"?',
    );
  });

  it("wrong unit: a size where a bandwidth is expected", () => {
    const text = [
      "name: x",
      "cluster:",
      "  groups:",
      "    - name: gpu",
      "      nodes: 2",
      "      accelerator: H100-SXM",
      "      nics:",
      "        count: 8",
      "        bandwidth: 400GB",
      "workload:",
      "  collective: { op: all-reduce, sizes: [1MB] }",
    ].join("\n");
    const e = loadError(text);
    expect(e.message).toMatch(
      /^fixture\.yaml:9:20: cluster\.groups\[0\]\.nics\.bandwidth: "400GB" has unit "GB"/,
    );
    expect(e.message).toContain('did you mean "GB/s"?');
    expect(e.message).toContain("expected a bandwidth such as 400Gbps");
  });

  it("impossible topology: more endpoint ports than 3 tiers of the radix hold", () => {
    const text = [
      "name: x",
      "cluster:",
      "  groups:",
      "    - name: gpu",
      "      nodes: 20000",
      "      accelerator: H100-SXM",
      "  scaleOut:",
      "    switch: QM8700",
      "workload:",
      "  collective: { op: all-reduce, sizes: [1MB] }",
    ].join("\n");
    const e = loadError(text);
    // 20,000 nodes × 8 NICs = 160,000 ports; radix 40 at 3 tiers holds 40³/4 = 16,000.
    expect(e.message).toMatch(/^fixture\.yaml:8:13: impossible topology: 160,000 endpoint ports per plane/);
    expect(e.message).toContain("exceed the 16,000 that 3 tiers of QM8700 (radix 40");
  });

  it("explicit tiers too small names both capacities", () => {
    const text = [
      "name: x",
      "cluster:",
      "  groups:",
      "    - { name: gpu, nodes: 512, accelerator: H100-SXM }",
      "  scaleOut: { switch: QM9700, tiers: 2 }",
      "workload:",
      "  collective: { op: all-reduce, sizes: [1MB] }",
    ].join("\n");
    const e = loadError(text);
    // 512 × 8 = 4,096 ports; 2 tiers of radix 64 hold 32 × 64 = 2,048.
    expect(e.message).toMatch(
      /^fixture\.yaml:5:38: 2 tiers of QM9700 .* hold at most 2,048 endpoint ports, but this cluster has 4,096/,
    );
    expect(e.message).toContain("use tiers: 3 or tiers: auto");
  });

  it("tp × pp × dp × cp that does not match the group", () => {
    const text = [
      "name: x",
      "cluster:",
      "  groups:",
      "    - { name: gpu, nodes: 16, accelerator: H100-SXM }",
      "workload:",
      "  training:",
      "    model: llama3-70b",
      "    parallelism:",
      "      tp: 8",
      "      pp: 4",
      "      dp: 8",
      "    globalBatch: 512",
    ].join("\n");
    const e = loadError(text);
    expect(e.message).toBe(
      'fixture.yaml:9:7: tp × pp × dp × cp = 8 × 4 × 8 × 1 = 256, but group "gpu" has 128 accelerators (16 nodes × 8); expected the product to equal 128',
    );
  });

  it("unknown catalog id names the nearest ids", () => {
    const e = loadError(
      "name: x\ncluster:\n  groups:\n    - { name: gpu, nodes: 1, accelerator: H100-SXM4 }\nworkload:\n  collective: { op: all-reduce, sizes: [1MB] }\n",
    );
    expect(e.message).toMatch(
      /^fixture\.yaml:4:43: unknown accelerator "H100-SXM4"; nearest known ids: .*"H100-SXM"/,
    );
  });

  it("several schema errors are reported one per line, in document order", () => {
    const text = [
      "name: x",
      "cluster:",
      "  groups:",
      "    - { name: gpu, nodes: 0, accelerator: H100-SXM, kind: acelerator }",
      "  scaleOut: { topology: fat-tre }",
      "workload:",
      "  collective: { op: all-reduce, sizes: [1MB] }",
    ].join("\n");
    const lines = loadError(text).message.split("\n");
    expect(lines).toEqual([
      "fixture.yaml:4:27: cluster.groups[0].nodes: expected a number ≥ 1, got number 0",
      'fixture.yaml:4:59: cluster.groups[0].kind: string "acelerator" is not allowed; did you mean "accelerator"? expected one of: accelerator, memory, storage, host',
      'fixture.yaml:5:25: cluster.scaleOut.topology: string "fat-tre" is not allowed; did you mean "fat-tree"? expected one of: fat-tree, rail-optimized, rail-only, single-switch',
    ]);
  });

  it("a missing required key points at the enclosing mapping", () => {
    const e = loadError(
      "name: x\ncluster:\n  groups:\n    - name: gpu\n      accelerator: H100-SXM\nworkload:\n  collective: { op: all-reduce, sizes: [1MB] }\n",
    );
    expect(e.message).toBe(
      'fixture.yaml:4:7: missing required key "nodes" in cluster.groups[0]; expected a number',
    );
  });

  it("errors print their position once, through toString as through message", () => {
    const e = loadError("name: a\nname: b\n");
    expect(e).toBeInstanceOf(WeftError);
    expect(e.toString()).toBe(e.message);
  });

  it("JSON documents get positions too", () => {
    const json =
      '{\n  "name": "x",\n  "cluster": { "groups": [ { "name": "gpu", "nodes": 1, "accelerator": "H100-SXM", "nicz": 1 } ] },\n  "workload": { "collective": { "op": "all-reduce", "sizes": ["1MB"] } }\n}\n';
    const e = loadError(json, "s.json");
    expect(e.message).toMatch(
      /^s\.json:3:84: unknown key "nicz" in cluster\.groups\[0\]; did you mean "nics"\?/,
    );
  });
});
