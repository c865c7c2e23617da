// Serving keys for MoE deployments: the prefill token budget per batch (pool `prefillTokens`) and the KV
// cache's own precision (`kvPrecision`: FP8 weights with a BF16 cache).
import { describe, expect, it } from "vitest";
import { simulateInference } from "../../src/workload/inference/run.js";
import { servingScenario } from "./scenarios.js";
import { depsFor, load } from "./setup.js";

function run(k: Parameters<typeof servingScenario>[0]) {
  const s = load(servingScenario(k));
  return simulateInference(s, depsFor(s));
}

describe("MoE serving keys", () => {
  it("a BF16 KV cache under FP8 weights holds half the tokens of an FP8 one", () => {
    const fp8 = run({ precision: "fp8", count: 1 });
    const mixed = run({ precision: "fp8\n    kvPrecision: bf16", count: 1 });
    const cap = (r: typeof fp8) => r.pools[1].kvCapacityTokens;
    expect(cap(mixed) / cap(fp8)).toBeCloseTo(0.5, 3);
    // the weights are the same FP8 bytes either way
    expect(mixed.pools[1].weightsPerAcceleratorBytes).toBe(fp8.pools[1].weightsPerAcceleratorBytes);
  });

  it("a smaller prefill token budget splits a burst of prompts into more batches (later first tokens)", () => {
    const burst = { count: 8, rate: "1000/s", prompt: 1024, output: 2 };
    const wide = run({ ...burst, prefillExtra: ", prefillTokens: 8192" });
    const narrow = run({ ...burst, prefillExtra: ", prefillTokens: 1024" });
    expect(narrow.results.ttftS.p99).toBeGreaterThan(wide.results.ttftS.p99);
  });
});
