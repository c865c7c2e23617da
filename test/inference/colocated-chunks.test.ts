// Co-located chunked prefill takes its step token budget from the pool's `prefillTokens` (default 2,048
// per attention replica, what the hard-coded budget was), and the loader says so.
import { describe, expect, it } from "vitest";
import { simulateInference } from "../../src/workload/inference/run.js";
import { depsFor, load } from "./setup.js";

/** Llama 3 8B on one H100 co-located (the QA pass's reproduction, inline); `pool` adds pool keys. */
function scenario(
  pool: string,
  requests = "rate: 5/s, count: 100, promptTokens: 4096, outputTokens: 64",
): string {
  return `name: colocated prefillTokens
cluster:
  groups:
    - { name: gpu, nodes: 1, accelerator: H100-SXM }
  scaleOut: { topology: fat-tree, switch: QM9700 }
workload:
  inference:
    model: llama3-8b
    prefill: { group: gpu, tp: 1, instances: 1${pool} }
    requests: { ${requests}, seed: 3 }
simulation: { fidelity: analytical }
`;
}

function serve(text: string) {
  const s = load(text);
  return simulateInference(s, depsFor(s));
}

describe("co-located prefillTokens", () => {
  it("splits a lone prompt into ⌈prompt / prefillTokens⌉ steps", () => {
    for (const budget of [512, 1000, 2048, 4096, 8192]) {
      // one request of one output token: its events are its arrival and the steps that prefill it
      const run = serve(
        scenario(`, prefillTokens: ${budget}`, "rate: 1/s, count: 1, promptTokens: 4096, outputTokens: 1"),
      );
      expect(run.events - 1).toBe(Math.ceil(4096 / budget));
    }
  });

  it("trades TTFT for TPOT as Sarathi-Serve's chunk size does (256 / 2,048 / 16,384 tokens)", () => {
    const [small, mid, large] = [256, 2048, 16384].map(
      (t) => serve(scenario(`, prefillTokens: ${t}`)).results,
    );
    console.table(
      [small, mid, large].map((r, k) => ({
        prefillTokens: [256, 2048, 16384][k],
        ttftP50: r.ttftS.p50,
        tpotP50: r.tpotS.p50,
      })),
    );
    // larger chunks finish a prompt in fewer steps; smaller ones keep the decode steps short
    expect(small.ttftS.p50).toBeGreaterThan(mid.ttftS.p50);
    expect(mid.ttftS.p50).toBeGreaterThan(large.ttftS.p50);
    expect(small.tpotS.p50).toBeLessThan(mid.tpotS.p50);
  });

  it("defaults to 2,048 tokens co-located and 8,192 for a prefill pool, and runs the default as 2,048", () => {
    const colocated = load(scenario(""));
    if (colocated.workload.kind !== "inference") throw new Error("inference expected");
    expect(colocated.workload.prefill.prefillTokens).toBe(2048);
    const disaggregated = load(
      scenario("").replace("    requests:", "    decode: { group: gpu, tp: 1, instances: 1 }\n    requests:"),
    );
    if (disaggregated.workload.kind !== "inference") throw new Error("inference expected");
    expect(disaggregated.workload.prefill.prefillTokens).toBe(8192);
    const byDefault = serve(scenario("")).results;
    const explicit = serve(scenario(", prefillTokens: 2048")).results;
    expect(byDefault.ttftS).toEqual(explicit.ttftS);
    expect(byDefault.tpotS).toEqual(explicit.tpotS);
    expect(byDefault.throughputTokensPerS).toBe(explicit.throughputTokensPerS);
  });
});
