// Bad input is a WeftError that says what is wrong and what was expected.
import { describe, expect, it } from "vitest";
import { WeftError } from "../../src/errors.js";
import { planPools } from "../../src/workload/inference/pools.js";
import { runInference } from "../../src/workload/inference/run.js";
import { servingScenario } from "./scenarios.js";
import { depsFor, load } from "./setup.js";

function weftError(f: () => unknown): WeftError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(WeftError);
    return e as WeftError;
  }
  throw new Error("expected a WeftError, got none");
}

describe("inference input errors", () => {
  it("an instance that does not fit in its group (loader, with the numbers)", () => {
    const e = weftError(() => load(servingScenario({ prefillInstances: 3, nodes: 2 }), "pools.yaml"));
    expect(e.toString()).toMatch(/^pools\.yaml:\d+:\d+: /);
    expect(e.message).toMatch(/8 × 1 × 3 = 24 accelerators, but group "h100" has 16 \(2 nodes × 8\)/);
  });

  it("an instance that does not fit in its group (pool planning of a hand-built scenario)", () => {
    const s = load(servingScenario({ nodes: 2 }));
    if (s.workload.kind !== "inference") throw new Error("inference expected");
    s.workload.decode = { group: "h200", tp: 8, ep: 1, dp: 1, instances: 3, maxBatch: 64 };
    const e = weftError(() => planPools(s, s.workload as never));
    expect(e.message).toMatch(
      /inference decode: 3 instance\(s\) × tp 8 × dp 1 = 24 accelerators do not fit in group "h200", which has 16/,
    );
  });

  it("weights that do not fit in HBM at that tp / ep", () => {
    const s = load(servingScenario({ prefillTp: 1, decodeTp: 1, model: "llama3-70b" }));
    const e = weftError(() => runInference(s, depsFor(s)));
    expect(e.message).toMatch(
      /llama3-70b weights need 141 GB per accelerator at tp 1, ep 1 \(bf16\); H100-SXM has 80 GB of HBM, 72 GB usable/,
    );
    const ds = load(servingScenario({ model: "deepseek-v3", precision: "fp8", prefillTp: 8, decodeTp: 8 }));
    expect(weftError(() => runInference(ds, depsFor(ds))).message).toMatch(
      /deepseek-v3 weights need .* at tp 8, ep 1 \(fp8\).*Raise tp or ep/,
    );
  });

  it("an SLO in the wrong unit (loader)", () => {
    const e = weftError(() => load(servingScenario({ slo: "{ ttft: 2GB, tpot: 50ms }" }), "slo.yaml"));
    expect(e.toString()).toMatch(
      /^slo\.yaml:\d+:\d+: workload\.inference\.slo\.ttft: "2GB" has unit "GB", which is not a time unit/,
    );
    const f = weftError(() => load(servingScenario({ slo: "{ ttft: 2s, tpot: 20/s }" }), "slo.yaml"));
    expect(f.message).toMatch(/slo\.tpot/);
  });

  it("a request whose KV cache cannot fit in one instance", () => {
    // Llama 3 70B at tp 2 on H100: 0.9 · 80 GB − 70.6 GB leaves ~8,800 tokens per instance
    const s = load(servingScenario({ decodeGroup: "h100", decodeTp: 2, prompt: 9000, output: 100 }));
    expect(weftError(() => runInference(s, depsFor(s))).message).toMatch(
      /request 0 needs 9,100 tokens of KV cache \(prompt 9,000 \+ output 100\); one decode instance \(2 × H100-SXM, tp 2\) holds [\d,]+/,
    );
  });

  it("expert parallelism on a dense model", () => {
    const e = weftError(() => load(servingScenario({ prefillExtra: ", ep: 2" })));
    expect(e.message).toMatch(/ep 2 needs a mixture-of-experts model/);
  });

  it("MoE-only pool keys on a dense model (loader, at the key's value)", () => {
    const cases: [string, string, RegExp][] = [
      ["overlap", "two-batch", /expected overlap: none \(the default\) or no overlap here/],
      ["epKernels", "deepep", /expected epKernels: nccl \(the default\) or no epKernels here/],
      ["redundantExperts", "7", /expected redundantExperts: 0 \(the default\) or no redundantExperts here/],
      ["expertImbalance", "3", /expected expertImbalance: 1.043 \(the default\) or no expertImbalance here/],
    ];
    for (const [key, value, expected] of cases) {
      const text = servingScenario({ model: "llama3-8b", decodeExtra: `, ${key}: ${value}` });
      const e = weftError(() => load(text, "dense.yaml"));
      // line and column of the value in the text (1-based)
      const lines = text.split("\n");
      const line = lines.findIndex((l) => l.includes(`${key}: ${value}`));
      const col = lines[line].indexOf(`${key}: ${value}`) + key.length + 3;
      expect(e.toString(), key).toMatch(new RegExp(`^dense\\.yaml:${line + 1}:${col}: `));
      expect(e.message, key).toMatch(new RegExp(`: ${key}: ${value} applies only to the routed experts`));
      expect(e.message, key).toMatch(/llama3-8b is dense/);
      expect(e.message, key).toMatch(expected);
    }
    // the defaults, written out (as the printed scenario does), ask nothing of experts and stay valid
    const plain = ", overlap: none, epKernels: nccl, redundantExperts: 0, expertImbalance: 1.043";
    expect(() => load(servingScenario({ model: "llama3-8b", decodeExtra: plain }))).not.toThrow();
  });
});
