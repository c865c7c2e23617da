// Every inference example loads and runs, and each pair shows the contrast its comments promise.
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { InferenceResults } from "../../src/results/types.js";
import { loadScenario } from "../../src/scenario/load.js";
import { runInference } from "../../src/workload/inference/run.js";
import { REPO_ROOT } from "../helpers/data.js";
import { depsFor } from "./setup.js";

const dir = path.join(REPO_ROOT, "examples");
const files = readdirSync(dir).filter((f) => f.startsWith("inference-") && f.endsWith(".yaml"));
const results = new Map<string, InferenceResults>();

function result(file: string): InferenceResults {
  let r = results.get(file);
  if (!r) {
    const s = loadScenario(path.join(dir, file));
    r = runInference(s, depsFor(s));
    results.set(file, r);
  }
  return r;
}

describe("inference examples", () => {
  it.each(files)("%s runs to completion", (file) => {
    const r = result(file);
    expect(r.completed).toBe(r.requests);
    expect(r.throughputTokensPerS).toBeGreaterThan(0);
    expect(r.ttftS.p99).toBeGreaterThanOrEqual(r.ttftS.p50);
  });

  it("disaggregation keeps prefill out of the decode steps: lower p99 TPOT than co-located", () => {
    const co = result("inference-llama70b-colocated-h100.yaml");
    const dis = result("inference-llama70b-disaggregated-h100.yaml");
    console.table([
      { serving: "co-located", ttftP50: co.ttftS.p50, tpotP99: co.tpotS.p99, goodput: co.goodputFraction },
      {
        serving: "disaggregated",
        ttftP50: dis.ttftS.p50,
        tpotP99: dis.tpotS.p99,
        goodput: dis.goodputFraction,
      },
    ]);
    expect(dis.tpotS.p99).toBeLessThan(co.tpotS.p99);
    expect(co.costUsdPerHour).toBe(dis.costUsdPerHour);
  });

  it("H100 prefill + H200 decode and all-H100 cost the same per hour (1%)", () => {
    const het = result("inference-h100-prefill-h200-decode.yaml");
    const h100 = result("inference-h100-only-equal-cost.yaml");
    console.table([
      {
        pools: "H100 + H200",
        usdPerHour: het.costUsdPerHour,
        usdPerMTok: het.costPerMillionOutputTokensUsd,
        tpotP50: het.tpotS.p50,
      },
      {
        pools: "H100 only",
        usdPerHour: h100.costUsdPerHour,
        usdPerMTok: h100.costPerMillionOutputTokensUsd,
        tpotP50: h100.tpotS.p50,
      },
    ]);
    expect(Math.abs((het.costUsdPerHour ?? 0) / (h100.costUsdPerHour ?? 1) - 1)).toBeLessThan(0.01);
    // the H200 decode instances hold about twice the KV cache of the H100 ones: (0.9 · 150.8 GB − W) /
    // (0.9 · 85.5 GB − W) with the memory the devices expose (docs/inference-model.md)
    expect((het.pools?.[1].kvCapacityTokens ?? 0) / (h100.pools?.[1].kvCapacityTokens ?? 1)).toBeGreaterThan(
      1.98,
    );
  });

  it("DeepSeek-V3's expert parallelism costs more over 400G RoCE than inside NVL72", () => {
    const roce = result("inference-deepseek-v3-ep-roce.yaml");
    const nvl = result("inference-deepseek-v3-ep-nvl72.yaml");
    const ep = (r: InferenceResults) => r.ttftS.p50 * (r.ttftNetworkShare?.ep ?? 0);
    console.table([
      {
        fabric: "400G RoCE",
        ttftP50: roce.ttftS.p50,
        epInTtft: ep(roce),
        tpotEpShare: roce.tpotNetworkShare?.ep,
      },
      { fabric: "NVL72", ttftP50: nvl.ttftS.p50, epInTtft: ep(nvl), tpotEpShare: nvl.tpotNetworkShare?.ep },
    ]);
    expect(ep(roce)).toBeGreaterThan(ep(nvl));
    expect(roce.tpotNetworkShare?.ep ?? 0).toBeGreaterThan(nvl.tpotNetworkShare?.ep ?? 1);
  });

  it("the CXL memory pool takes preempted sequences instead of recomputing them", () => {
    const r = result("inference-kv-offload-cxl.yaml");
    expect(r.preemptions).toBeGreaterThan(0);
    expect(r.recomputes).toBe(0);
    expect(r.offloadBytesMoved).toBeGreaterThan(0);
  });
});
