// 4-bit serving weights (NVFP4, MXFP4): the weights take 4.5 / 4.25 bits per element with their block
// scales, weight GEMMs run at the accelerator's FP4 rate, and only tensor cores that run the format take it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { simulateInference } from "../../src/workload/inference/run.js";
import { servingScenario } from "./scenarios.js";
import { depsFor, load, serveExample } from "./setup.js";

const EXAMPLE = readFileSync("examples/inference-deepseek-v3-ep-roce.yaml", "utf8")
  .replace("count: 2000", "count: 200")
  .replace(/fidelity: flow/, "fidelity: analytical");

function serve(precision: string, accelerator = "B200", scaleUp = "nvlink5") {
  return serveExample("examples/inference-deepseek-v3-ep-roce.yaml", 200, [
    ["precision: fp8", `precision: ${precision}`],
    ["accelerator: B200", `accelerator: ${accelerator}`],
    ["scaleUp: nvlink5", `scaleUp: ${scaleUp}`],
  ]);
}

describe("4-bit weights in serving (DeepSeek-V3 on B200, EP 32)", () => {
  const fp8 = serve("fp8");
  const nvfp4 = serve("nvfp4");
  const mxfp4 = serve("mxfp4");

  it("weights take 0.5625 (NVFP4) and 0.53125 (MXFP4) of their FP8 bytes", () => {
    const w = (r: typeof fp8) => r.pools![0].weightsPerAcceleratorBytes;
    expect(w(nvfp4) / w(fp8)).toBeCloseTo(0.5625, 6);
    expect(w(mxfp4) / w(fp8)).toBeCloseTo(0.53125, 6);
  });

  it("the KV cache stays FP8 by default, so the freed HBM holds more tokens", () => {
    expect(nvfp4.pools![1].kvCapacityTokens).toBeGreaterThan(fp8.pools![1].kvCapacityTokens);
  });

  it("GEMMs at the FP4 rate: on NVL72, where prefill is compute-bound, first tokens come sooner and the network's share grows", () => {
    const rack = (precision: string) =>
      serveExample("examples/inference-deepseek-v3-ep-nvl72.yaml", 200, [
        ["precision: fp8", `precision: ${precision}`],
      ]);
    const [a, b] = [rack("fp8"), rack("nvfp4")];
    console.table(
      [a, b].map((r, i) => ({
        precision: i ? "nvfp4" : "fp8",
        ttftP50: r.ttftS.p50,
        tpotP50: r.tpotS.p50,
        epShareOfTtft: r.ttftNetworkShare?.ep,
      })),
    );
    expect(b.ttftS.p50).toBeLessThan(a.ttftS.p50 * 0.9);
    expect(b.tpotS.p50).toBeLessThan(a.tpotS.p50);
    expect(b.ttftNetworkShare!.ep).toBeGreaterThan(a.ttftNetworkShare!.ep);
  });

  it("MI355X takes MXFP4 and refuses NVFP4, naming the key", () => {
    expect(serve("mxfp4", "MI355X", "infinity-fabric-mi355x").completed).toBeGreaterThan(0);
    expect(() => serve("nvfp4", "MI355X", "infinity-fabric-mi355x")).toThrow(
      /:\d+:\d+: nvfp4 needs tensor cores that run it; MI355X \(group "b200"\) has only mxfp4/,
    );
  });

  it("a catalog override gives an accelerator an FP4 rate and format", () => {
    const text = `${EXAMPLE.replace("precision: fp8", "precision: nvfp4").replace("accelerator: B200", "accelerator: H100-SXM").replace("scaleUp: nvlink5", "scaleUp: nvlink4")}
hardware:
  accelerators:
    H100-SXM: { peakFlops: { fp4: 3958TFLOP/s }, fp4Formats: [nvfp4] }
`;
    expect(() => parseScenario(text.replace("fp4Formats: [nvfp4]", "fp4Formats: [fp6]"), "<x>")).toThrow(
      /fp4Formats.*expected a list of 4-bit formats/,
    );
    const s = load(text);
    expect(s.cluster.groups[0].accelerator?.peakFlops.fp4).toBe(3958e12);
    expect(simulateInference(s, depsFor(s)).results.completed).toBeGreaterThan(0);
  });

  it("an H100 has no 4-bit tensor cores; training takes bf16 or fp8 only", () => {
    expect(() => parseScenario(servingScenario({ precision: "nvfp4" }), "<h100>")).toThrow(
      /H100-SXM \(group "h100"\) has no 4-bit format/,
    );
    const training = readFileSync("examples/training-mixtral-8x7b-ep8.yaml", "utf8");
    const fp4 = training.includes("precision:")
      ? training.replace(/precision: \w+/, "precision: nvfp4")
      : training.replace("  training:\n", "  training:\n    precision: nvfp4\n");
    expect(() => parseScenario(fp4, "<train>")).toThrow(/precision/);
  });
});
