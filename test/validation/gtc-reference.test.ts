/**
 * VALIDATION: NVIDIA's GTC reference busbw rows no constant was set from (role validation in
 * test/collectives/gtc-reference-tolerances.csv, each with its own tolerance and, above 15%, the reason),
 * each configuration counted once; and the NVLS busbw ramp with GPU count (nccl#1455), which no constant
 * was fitted on (the in-network efficiency comes from the 8-GPU DGX H100 sweep).
 */
import { describe, expect, it } from "vitest";
import { checkReferenceCases, modelBusbw, referenceCases } from "../collectives/gtc-reference.js";
import { pct } from "../collectives/helpers.js";

describe("GTC reference rows no constant was set from", () => {
  it("each within its tolerance", () => {
    checkReferenceCases("validation", 14);
  });

  it("a configuration listed on both slides counts once, checked against both values", () => {
    const { cases } = referenceCases();
    const keys = cases.map((c) => `${c.collective}|${c.config}`);
    expect(new Set(keys).size).toBe(keys.length);
    const h100 = cases.find((c) => c.collective === "all_reduce" && c.config === "NVLink4 (H100)");
    expect(h100?.references.map((r) => r.slide)).toEqual(["GTC24", "GTC25"]);
  });

  it("every tolerance above 15% gives its reason", () => {
    for (const c of referenceCases().cases)
      if (c.tolerancePct > 15) expect(c.reason.length, c.config).toBeGreaterThan(20);
  });
});

describe("NVLS busbw with GPU count (nccl_github_issue_datapoints.csv)", () => {
  it("420/440/460/480 GB/s for 5/6/7/8 H100 (nccl#1455), within 10%", () => {
    const measured = [420, 440, 460, 480];
    const rows = measured.map((ref, i) => {
      const m = modelBusbw({ cluster: { nodes: 1 }, ranks: 5 + i }, "all-reduce");
      return {
        gpus: 5 + i,
        reference: ref,
        model: m.busbw,
        errorPct: pct(m.busbw, ref),
        algorithm: m.algorithm,
      };
    });
    console.table(rows);
    for (const r of rows) {
      expect(r.algorithm).toBe("in-network/Simple");
      expect(Math.abs(r.errorPct)).toBeLessThanOrEqual(10);
    }
  });
});
