// Fits the H100 efficiency curves once, in-sample, on the DGX Cloud rows (data/calibration/
// dgxc_h100_training_405b_340b.csv; scenarios in dgxc.ts): first BF16 — gemmMax ∈ [0.40, 0.90] step 0.01 and
// memory ∈ {0.60 … 0.90} step 0.05 on the bf16 rows, gemmHalfDim kept from the A100 fit, flash = gemmMax ×
// FLASH_TO_GEMM — then FP8 — the FP8 GEMMs' gemmMax on the fp8 rows, every other kernel on the BF16 curve.
// Each minimizes the largest relative step-time error (RMS error breaks ties). Run with
// `npx tsx test/calibration/dgxc-fit.ts`; the values go into src/catalog/efficiency.ts by hand and
// docs/compute-model.md shows the residuals (test/calibration/dgxc.test.ts prints them).
import { A100_EFFICIENCY, FLASH_TO_GEMM } from "../../src/catalog/efficiency.js";
import type { EfficiencyCurve } from "../../src/catalog/types.js";
import { runTraining, scenarioCommModel } from "../../src/workload/training/index.js";
import { skeletonFabric } from "../training/fixtures.js";
import { type DgxcRow, dgxcRows } from "./dgxc.js";

export interface Residual {
  row: string;
  measuredS: number;
  modelS: number;
  err: number;
}

/** Model step time of every row the memory model admits (the others are listed with modelS NaN). */
export function dgxcResiduals(rows: DgxcRow[], bf16: EfficiencyCurve, fp8: EfficiencyCurve): Residual[] {
  return rows.map((r) => {
    let modelS = Number.NaN;
    try {
      const res = runTraining(r.scenario, {
        fabric: skeletonFabric(r.scenario),
        comm: scenarioCommModel(r.scenario),
        options: { tpCommOverlap: true, curve: bf16, fp8Curve: fp8 },
      });
      modelS = res.stepTimeS;
    } catch {
      // the memory model rejects the row (stated in the printed table)
    }
    return { row: r.label, measuredS: r.stepTimeS, modelS, err: modelS / r.stepTimeS - 1 };
  });
}

function score(res: Residual[]): [number, number] {
  const e = res.filter((r) => Number.isFinite(r.err)).map((r) => r.err);
  return [Math.max(...e.map(Math.abs)), Math.sqrt(e.reduce((a, b) => a + b * b, 0) / e.length)];
}

function better(a: [number, number], b: [number, number] | undefined): boolean {
  return !b || a[0] < b[0] - 1e-9 || (Math.abs(a[0] - b[0]) < 1e-9 && a[1] < b[1]);
}

export function bf16Curve(gemmMax: number, memory: number): EfficiencyCurve {
  return { ...A100_EFFICIENCY, gemmMax, memory, flash: +(gemmMax * FLASH_TO_GEMM).toFixed(4) };
}

if (process.argv[1]?.endsWith("dgxc-fit.ts")) {
  const rows = dgxcRows();
  const bf16Rows = rows.filter((r) => r.precision === "bf16");
  const fp8Rows = rows.filter((r) => r.precision === "fp8");
  let best: { curve: EfficiencyCurve; s: [number, number] } | undefined;
  for (let g = 0.4; g <= 0.9001; g += 0.01) {
    for (const mem of [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]) {
      const curve = bf16Curve(+g.toFixed(2), mem);
      const s = score(dgxcResiduals(bf16Rows, curve, curve));
      if (better(s, best?.s)) best = { curve, s };
    }
  }
  if (!best) throw new Error("no fit");
  const bf16 = best.curve;
  console.log("bf16", bf16, best.s);
  let bestFp8: { curve: EfficiencyCurve; s: [number, number] } | undefined;
  for (let g = 0.3; g <= 0.9001; g += 0.01) {
    const curve = { ...bf16, gemmMax: +g.toFixed(2) };
    const s = score(dgxcResiduals(fp8Rows, bf16, curve));
    if (better(s, bestFp8?.s)) bestFp8 = { curve, s };
  }
  console.log("fp8", bestFp8?.curve, bestFp8?.s);
}
