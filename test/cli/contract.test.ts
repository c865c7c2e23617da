// `weft run FILE --json` prints the keys SCENARIO-v1 promises for every kind of workload.
import { describe, expect, it } from "vitest";
import { weft } from "./run-cli.js";

const ALWAYS = ["scenario", "fidelity", "wallS", "fabric", "warnings"];

function runJson(file: string): Record<string, unknown> {
  const r = weft(["run", file, "--json"]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const o = JSON.parse(r.stdout);
  for (const key of ALWAYS) expect(o).toHaveProperty(key);
  for (const key of ["accelerators", "switches", "links"]) expect(o.fabric).toHaveProperty(key);
  return o;
}

describe("the JSON contract", () => {
  it("training", () => {
    const o = runJson("examples/training-mixtral-8x7b-ep8.yaml");
    for (const key of [
      "stepTimeS",
      "tflopsPerAccelerator",
      "mfu",
      "breakdown",
      "exposedCommByKind",
      "networkIdleFraction",
      "networkIdleCostUsdPerHour",
    ])
      expect(o).toHaveProperty(key);
    expect(Object.keys(o.breakdown as object).sort()).toEqual([
      "bubbleS",
      "computeS",
      "exposedCommS",
      "otherS",
    ]);
    expect(Object.keys(o.exposedCommByKind as object).sort()).toEqual(["cp", "dp", "ep", "pp", "tp"]);
  });

  it("inference", () => {
    const o = runJson("examples/inference-llama70b-disaggregated-h100.yaml");
    for (const key of [
      "ttftS",
      "tpotS",
      "throughputTokensPerS",
      "goodputFraction",
      "kvTransferS",
      "networkShareOfLatency",
    ])
      expect(o).toHaveProperty(key);
    for (const key of ["ttftS", "tpotS", "kvTransferS"]) {
      expect(o[key]).toHaveProperty("p50");
      expect(o[key]).toHaveProperty("p99");
    }
  });

  it("traffic", () => {
    const o = runJson("examples/htsim-default-one.yaml");
    expect(o.fctUs).toHaveProperty("p50");
    expect(o.fctUs).toHaveProperty("p99");
    expect(o.fctUs).toHaveProperty("max");
    const flows = o.flows as Record<string, number>[];
    expect(flows).toHaveLength(1);
    for (const key of ["id", "src", "dst", "bytes", "startUs", "finishUs", "fctUs"])
      expect(flows[0]).toHaveProperty(key);
  });

  it("plan", () => {
    const r = weft(["plan", "examples/multiplane-3tier-h200.yaml", "--json"]);
    const o = JSON.parse(r.stdout);
    for (const key of ["switches", "cables", "optics", "costUsd", "powerW", "warnings"])
      expect(o).toHaveProperty(key);
    expect(Object.keys(o.switches)).toEqual(expect.arrayContaining(["leaf", "spine", "core", "scaleUp"]));
  });
});
