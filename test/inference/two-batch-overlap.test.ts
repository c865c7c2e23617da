// Two-batch overlap (pool `overlap: two-batch`, step-cost.ts): DeepSeek-V3 served with expert parallelism
// 32 over 400G RoCE (examples/inference-deepseek-v3-ep-roce.yaml, fewer requests): the EP share of TPOT
// falls when one micro-batch's all-to-alls run under the other's compute. At this light load TPOT itself
// rises: decode is memory-bound, and each half-batch reads every local expert's weights again — which is
// why serving stacks turn two-batch overlap on only for large batches.
import { describe, expect, it } from "vitest";
import { serveExample } from "./setup.js";

function run(overlap: "none" | "two-batch") {
  return serveExample("examples/inference-deepseek-v3-ep-roce.yaml", 200, [
    ["instances: 2, maxBatch: 512 }", `instances: 2, maxBatch: 512, overlap: ${overlap} }`],
  ]);
}

describe("two-batch overlap in serving", () => {
  it("cuts the EP share of TPOT for DeepSeek-V3 over RoCE; light-load TPOT pays the second weight read", () => {
    const plain = run("none");
    const tbo = run("two-batch");
    const share = (r: typeof plain) => r.tpotNetworkShare?.ep ?? 0;
    console.table([
      { overlap: "none", tpotP50: plain.tpotS.p50, epShare: share(plain) },
      { overlap: "two-batch", tpotP50: tbo.tpotS.p50, epShare: share(tbo) },
    ]);
    expect(share(plain)).toBeGreaterThan(0.05);
    expect(share(tbo)).toBeLessThan(share(plain) * 0.8);
    // exposed EP time falls by more than TPOT grows: the overlap hides communication, the halves cost compute
    const epTime = (r: typeof plain) => r.tpotS.p50 * share(r);
    expect(epTime(plain) - epTime(tbo)).toBeGreaterThan(0);
    expect(tbo.tpotS.p50).toBeGreaterThan(plain.tpotS.p50 * (1 - share(plain)));
  });
});
