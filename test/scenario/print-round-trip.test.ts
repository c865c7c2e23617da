// `weft validate --print` prints a document that loads back as the same scenario, for every example.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { exactQuantity, scenarioDocument } from "../../src/scenario/document.js";
import { loadScenario, parseScenario } from "../../src/scenario/load.js";
import type { Scenario } from "../../src/scenario/types.js";
import { parseQuantity } from "../../src/units/index.js";
import { REPO_ROOT } from "../helpers/data.js";

const EXAMPLES = readdirSync(path.join(REPO_ROOT, "examples")).filter((f) => f.endsWith(".yaml"));

/** The scenario without where it was read from. */
function content(s: Scenario): Partial<Scenario> {
  const { file: _file, sourceMap: _sourceMap, warnings: _warnings, ...rest } = s;
  return rest;
}

describe("validate --print round trip", () => {
  it("has examples to check", () => {
    expect(EXAMPLES.length).toBeGreaterThan(10);
  });

  it.each(EXAMPLES)("%s loads back as the same scenario", (name) => {
    const original = loadScenario(path.join(REPO_ROOT, "examples", name));
    const printed = stringify(scenarioDocument(original));
    const reloaded = parseScenario(printed, "<stdin>");
    expect(content(reloaded)).toEqual(content(original));
    expect(stringify(scenarioDocument(reloaded))).toBe(printed);
  });

  it("expert and schedule keys (etp, dualpipe, expert groups, 4-bit weights, expert load) survive the round trip", () => {
    const training = `name: moe
cluster:
  groups: [{ name: gpu, nodes: 8, accelerator: H100-SXM, nics: { count: 8, bandwidth: 400Gbps } }]
workload:
  training:
    model: { name: moe, layers: 16, hidden: 2048, heads: 16, kvHeads: 4, ffnHidden: 8192, gatedMlp: true, vocab: 32000, seqLength: 4096, moe: { experts: 64, topK: 8, expertFfnHidden: 1024, groups: 8, groupsPerToken: 4 } }
    parallelism: { tp: 1, pp: 4, dp: 16, ep: 8, etp: 2 }
    globalBatch: 256
    schedule: dualpipe
`;
    const serving = readFileSync(path.join(REPO_ROOT, "examples/inference-deepseek-v3-ep-roce.yaml"), "utf8")
      .replace("precision: fp8", "precision: nvfp4")
      .replace(
        "instances: 2, maxBatch: 64 }",
        "instances: 2, maxBatch: 64, expertImbalance: 1.2, redundantExperts: 32 }",
      );
    for (const text of [training, serving]) {
      const original = parseScenario(text, "<x>");
      const printed = stringify(scenarioDocument(original));
      for (const key of text.includes("etp")
        ? ["etp: 2", "schedule: dualpipe", "groupsPerToken: 4"]
        : ["nvfp4", "expertImbalance: 1.2", "redundantExperts: 32"])
        expect(printed).toContain(key);
      expect(content(parseScenario(printed, "<stdin>"))).toEqual(content(original));
    }
  });

  it("an inline switch, scale-up fabric and hardware override survive the round trip", () => {
    const text = `name: inline
cluster:
  groups:
    - { name: gpu, nodes: 4, accelerator: mygpu, acceleratorsPerNode: 4, scaleUp: { bandwidth: 123456789B/s } }
  scaleOut: { switch: { radix: 16, portBandwidth: 200Gbps, latency: 321ns }, oversubscription: 2 }
workload: { collective: { op: all-gather, sizes: [1000B, 3000B], factor: 3 } }
hardware:
  accelerators:
    mygpu: { name: My GPU, vendor: me, source: a test, peakFlops: { bf16: 100TFLOP/s }, hbmBytes: 10GB,
             hbmBandwidth: 1TB/s, scaleUp: nvlink4, perNode: 4, powerW: 300, priceUsdPerHour: 1.5 }
`;
    const original = parseScenario(text, "<test>");
    const reloaded = parseScenario(stringify(scenarioDocument(original)), "<test>");
    expect(content(reloaded)).toEqual(content(original));
  });

  it("property: a quantity is printed so that it reads back exactly", () => {
    const kinds = ["size", "bandwidth", "lineRate", "time", "rate"] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.double({ min: 1e-12, max: 1e15, noNaN: true }),
        (kind, value) => {
          const printed = exactQuantity(kind, value);
          expect(parseQuantity(kind === "lineRate" ? "bandwidth" : kind, printed)).toBe(value);
        },
      ),
    );
    expect(exactQuantity("lineRate", 50e9)).toBe("400Gbps");
    expect(exactQuantity("size", 16 * 2 ** 30)).toBe("16GiB");
    expect(exactQuantity("time", parseQuantity("time", "500ns"))).toBe("500ns");
    // The shortest exact text: a derived buffer in decimal kilobytes, not a long binary fraction.
    expect(exactQuantity("size", 713_800)).toBe("713.8KB");
    expect(exactQuantity("size", 4096)).toBe("4KiB");
  });
});
