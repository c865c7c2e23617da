// The serving model's defining behaviours: idle latency decomposes into its parts, decode follows the
// memory roofline, load saturates throughput, a slower network never helps, runs are reproducible.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { efficiencyFor } from "../../src/compute/efficiency.js";
import { parameterCount } from "../../src/model/params.js";
import { runInference, simulateInference } from "../../src/workload/inference/run.js";
import { prefillTime } from "../../src/workload/inference/step-cost.js";
import { type ServingKnobs, servingScenario } from "./scenarios.js";
import { depsFor, load } from "./setup.js";

const LLAMA70_KV = 2 * 80 * 8 * 128 * 2; // bytes per token, bf16 (MODELS.md: 327,680)

function simulate(k: ServingKnobs) {
  const s = load(servingScenario(k));
  return simulateInference(s, depsFor(s));
}

describe("an idle system", () => {
  it("has TTFT = prefill time + one KV transfer at the bottleneck bandwidth (2%)", () => {
    const rows = [];
    for (const [prompt, nic, gbps] of [
      [2048, "400Gbps", 50e9],
      [8000, "400Gbps", 50e9],
      [4096, "200Gbps", 25e9],
    ] as const) {
      // three requests 100 s apart: each finds the system empty
      const run = simulate({ prompt, nic, count: 3, rate: "0.01/s", transfer: "whole" });
      const prefill = prefillTime(run.sim.prefill.cost, prompt);
      // tp 8 → tp 8: eight flows, one per rank, each through its own NIC
      const kv = (prompt * LLAMA70_KV) / (8 * gbps);
      const want = prefill + kv;
      for (const ttft of run.records.ttftS) {
        rows.push({
          prompt,
          nic,
          ttft,
          prefill,
          kv,
          err: Math.abs(ttft / want - 1),
          kvErr: Math.abs((ttft - prefill) / kv - 1),
        });
        expect(Math.abs(ttft / want - 1)).toBeLessThan(0.02);
        expect(Math.abs((ttft - prefill) / kv - 1)).toBeLessThan(0.02);
      }
      expect(run.results.kvTransferS.p50).toBeCloseTo(kv, 4);
    }
    console.table(rows);
  });

  it("hides the transfer under prefill when KV streams layer by layer", () => {
    const whole = simulate({ count: 2, rate: "0.01/s", transfer: "whole" });
    const layerwise = simulate({ count: 2, rate: "0.01/s", transfer: "layerwise" });
    const prefill = prefillTime(layerwise.sim.prefill.cost, 2048);
    console.log(
      `TTFT whole ${whole.results.ttftS.p50} s, layer-wise ${layerwise.results.ttftS.p50} s, prefill ${prefill} s`,
    );
    expect(layerwise.results.ttftS.p50).toBeLessThan(whole.results.ttftS.p50);
    expect(Math.abs(layerwise.results.ttftS.p50 / prefill - 1)).toBeLessThan(0.001);
  });

  it("decodes at batch 1 on the memory roofline of the decode accelerator (2%)", () => {
    const rows = [];
    for (const [model, tp, hidden, group, accel, bw] of [
      ["llama3-8b", 1, 4096, "h200", "H200-SXM", 4.8e12],
      ["llama3-8b", 1, 4096, "h100", "H100-SXM", 3.35e12],
      ["llama3-70b", 8, 8192, "h200", "H200-SXM", 4.8e12],
    ] as const) {
      const prompt = 1000;
      const output = 201;
      const run = simulate({
        model,
        decodeTp: tp,
        prefillTp: tp,
        decodeGroup: group,
        prompt,
        output,
        count: 1,
      });
      const r = run.results;
      const s = load(servingScenario({ model }));
      const m = s.workload.kind === "inference" ? s.workload.model : undefined;
      if (!m) throw new Error("inference scenario expected");
      // per step: every weight but the input embedding (a lookup), plus the KV of the sequence so far
      const pc = parameterCount(m);
      const weights = ((pc.total - pc.embedding) * 2) / tp;
      const kvPerToken = (2 * m.layers * m.kvHeads * m.headDim * 2) / tp;
      const meanContext = prompt + (output - 1) / 2;
      const eta = efficiencyFor(run.pools[1].accelerator).memory;
      const roofline = (weights + meanContext * kvPerToken) / (eta * bw);
      const net = r.tpotS.p50 * (r.tpotNetworkShare?.tp ?? 0);
      const onChip = r.tpotS.p50 - net;
      rows.push({
        model,
        accel,
        tpot: r.tpotS.p50,
        tpComm: net,
        roofline,
        err: Math.abs(onChip / roofline - 1),
      });
      expect(run.pools[1].accelerator.id).toBe(accel);
      expect(Math.abs(onChip / roofline - 1)).toBeLessThan(0.02);
      if (tp === 1) expect(net).toBe(0);
      expect(hidden).toBe(m.hidden);
    }
    console.table(rows);
  });
});

describe("under load", () => {
  it("throughput rises with the rate then saturates while p99 TTFT grows", () => {
    const rows = [];
    for (const rate of [1, 2, 4, 8, 16, 32, 64]) {
      const r = simulate({ rate: `${rate}/s`, count: 200, prompt: 1024, output: 128, seed: 3 }).results;
      rows.push({
        rate,
        throughput: r.throughputTokensPerS,
        ttftP99: r.ttftS.p99,
        goodput: r.goodputFraction,
      });
    }
    console.table(rows);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i].throughput).toBeGreaterThanOrEqual(rows[i - 1].throughput * 0.98);
      expect(rows[i].ttftP99).toBeGreaterThanOrEqual(rows[i - 1].ttftP99 * 0.99);
    }
    // light load: throughput follows the offered load (rate × output tokens)
    expect(Math.abs(rows[0].throughput / (1 * 128) - 1)).toBeLessThan(0.15);
    // saturated: doubling the rate adds little, and latency has exploded
    expect(rows[6].throughput / rows[5].throughput).toBeLessThan(1.1);
    expect(rows[6].throughput).toBeLessThan(64 * 128 * 0.7);
    expect(rows[6].ttftP99).toBeGreaterThan(10 * rows[0].ttftP99);
  });

  it("never gets a shorter TTFT from halving the NIC bandwidth", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom(512, 2048, 6000),
        fc.constantFrom("whole" as const, "layerwise" as const),
        (rate, seed, prompt, transfer) => {
          const k = {
            rate: `${rate}/s`,
            seed,
            prompt,
            transfer,
            count: 60,
            output: 32,
            decodeInstances: 2,
            nodes: 2,
          };
          const fast = simulate({ ...k, nic: "400Gbps" }).records.ttftS;
          const slow = simulate({ ...k, nic: "200Gbps" }).records.ttftS;
          let sf = 0;
          let ss = 0;
          for (let r = 0; r < fast.length; r++) {
            expect(slow[r]).toBeGreaterThanOrEqual(fast[r] - 1e-12);
            sf += fast[r];
            ss += slow[r];
          }
          expect(ss).toBeGreaterThanOrEqual(sf);
        },
      ),
      { numRuns: 12 },
    );
  });

  it("gives identical results for the same seed", () => {
    const k = {
      rate: "20/s",
      count: 300,
      prompt: "{ dist: lognormal, mean: 1500, sigma: 0.7 }",
      output: "{ dist: uniform, min: 10, max: 200 }",
      seed: 11,
    };
    const strip = (r: ReturnType<typeof runInference>) => JSON.stringify({ ...r, wallS: 0 });
    const s1 = load(servingScenario(k));
    const s2 = load(servingScenario(k));
    const a = strip(runInference(s1, depsFor(s1)));
    const b = strip(runInference(s2, depsFor(s2)));
    expect(a).toBe(b);
    const s3 = load(servingScenario({ ...k, seed: 12 }));
    expect(strip(runInference(s3, depsFor(s3)))).not.toBe(a);
  });
});
