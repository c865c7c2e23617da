// DeepEP kernels for serving's expert parallelism (pool `epKernels: deepep`, src/collectives/deepep.ts):
// DeepSeek-V3 decode with EP 32 over 400G RoCE pays the low-latency kernels' fixed cost on each of its 58
// MoE layers, twice (dispatch and combine), on top of the bytes.
import { describe, expect, it } from "vitest";
import { DEEPEP } from "../../src/collectives/deepep.js";
import { serveExample } from "./setup.js";

function run(kernels: "nccl" | "deepep") {
  return serveExample("examples/inference-deepseek-v3-ep-roce.yaml", 100, [
    [/instances: 2, maxBatch: (\d+) \}/g, `instances: 2, maxBatch: $1, epKernels: ${kernels} }`],
  ]);
}

describe("DeepEP kernels in serving", () => {
  it("decode's EP time per token is at least the low-latency kernels' fixed cost on every MoE layer", () => {
    const nccl = run("nccl");
    const deepep = run("deepep");
    const epPerToken = (r: typeof nccl) => r.tpotS.p50 * (r.tpotNetworkShare?.ep ?? 0);
    const fixed = 58 * (DEEPEP.fixedS.dispatch + DEEPEP.fixedS.combine);
    console.table([
      { kernels: "nccl", tpotP50: nccl.tpotS.p50, epPerTokenS: epPerToken(nccl) },
      { kernels: "deepep", tpotP50: deepep.tpotS.p50, epPerTokenS: epPerToken(deepep), fixedS: fixed },
    ]);
    expect(epPerToken(deepep)).toBeGreaterThan(0.9 * fixed);
    expect(epPerToken(deepep)).not.toBeCloseTo(epPerToken(nccl), 6);
  });
});
