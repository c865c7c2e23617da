// Calibration (in-sample, not validation): the H100 BF16 and FP8 curves of src/catalog/efficiency.ts were
// fitted on these very rows (data/calibration/dgxc_h100_training_405b_340b.csv) by dgxc-fit.ts. This test
// prints every row's residual and holds the fit to what it achieved, so a change to the training model
// that moves these rows shows up here.
import { describe, expect, it } from "vitest";
import { ACCELERATORS } from "../../src/catalog/accelerators.js";
import { efficiencyFor } from "../../src/compute/index.js";
import { dgxcRows } from "./dgxc.js";
import { dgxcResiduals } from "./dgxc-fit.js";

const h100 = ACCELERATORS["H100-SXM"];

describe("H100 efficiency curves, fitted in-sample on NVIDIA's DGX Cloud recipes", () => {
  const rows = dgxcRows();
  const res = dgxcResiduals(rows, efficiencyFor(h100, "bf16"), efficiencyFor(h100, "fp8"));
  console.table(
    res.map((r) => ({
      row: r.row,
      measuredS: r.measuredS,
      modelS: Number.isFinite(r.modelS) ? +r.modelS.toFixed(2) : "memory model: does not fit",
      residual: Number.isFinite(r.err) ? `${(r.err * 100).toFixed(1)}%` : "—",
    })),
  );

  it("BF16 rows: largest residual 5.6% (in-sample)", () => {
    const bf16 = res.filter((r) => r.row.includes(" bf16 ") && Number.isFinite(r.err));
    expect(bf16.length).toBe(10);
    for (const r of bf16) expect(Math.abs(r.err), r.row).toBeLessThan(0.06);
  });

  it("FP8 rows: largest residual 10.6% (in-sample; the 2,304-GPU Llama row)", () => {
    const fp8 = res.filter((r) => r.row.includes(" fp8 ") && Number.isFinite(r.err));
    expect(fp8.length).toBe(10);
    for (const r of fp8) expect(Math.abs(r.err), r.row).toBeLessThan(0.11);
  });

  it("the curves are catalog properties with their sources, and FP8 GEMMs run on their own", () => {
    expect(h100.efficiency?.bf16?.source).toMatch(/dgxc_h100_training/);
    expect(h100.efficiency?.fp8?.source).toMatch(/fp8 rows/);
    expect(efficiencyFor(h100, "fp8").gemmMax).toBeLessThan(efficiencyFor(h100, "bf16").gemmMax);
    expect(efficiencyFor(ACCELERATORS["A100-SXM4-80GB"], "bf16").gemmMax).toBe(0.68);
  });
});
