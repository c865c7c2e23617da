// Fits the compute model's efficiency curve once on the SC'21 weak-scaling table (the validation files of
// examples/validation on their built fabrics, collectives in closed form): a grid search over the
// curve's free parameters, minimizing the largest relative error of TFLOP/s per GPU over all rows (RMS
// error breaks ties). Run with `npx tsx test/calibration/megatron-sc21-fit.ts`; the chosen values are written into
// src/compute/efficiency.ts by hand and documented in docs/compute-model.md.
import { A100_EFFICIENCY, type EfficiencyCurve } from "../../src/compute/efficiency.js";
import { executedFlopsPerToken } from "../../src/model/flops.js";
import { trainingPlan } from "../../src/workload/training/plan.js";
import { simulateStep } from "../../src/workload/training/step.js";
import { sc21Cases } from "../training/sc21.js";

const cases = sc21Cases();

export function sc21Errors(
  curve: EfficiencyCurve,
): { params: string; paper: number; sim: number; err: number }[] {
  return cases.map((r) => {
    const plan = trainingPlan(r.scenario, { attention: "unfused", curve });
    const out = simulateStep(plan, r.comm);
    const tokens = plan.workload.globalBatch * plan.model.seqLength;
    const flops = tokens * executedFlopsPerToken(plan.model, "full");
    const sim = flops / (out.stepTimeS * plan.accelerators) / 1e12;
    return { params: r.params, paper: r.paperTflops, sim, err: sim / r.paperTflops - 1 };
  });
}

function score(curve: EfficiencyCurve): [number, number] {
  const e = sc21Errors(curve).map((r) => r.err);
  return [Math.max(...e.map(Math.abs)), Math.sqrt(e.reduce((a, b) => a + b * b, 0) / e.length)];
}

if (process.argv[1]?.endsWith("sc21-fit.ts")) {
  let best: { curve: EfficiencyCurve; max: number; rms: number } | undefined;
  for (let g = 0.6; g <= 0.9001; g += 0.01) {
    for (const mem of [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]) {
      for (const half of [0, 16, 24, 32, 48, 64, 96, 128]) {
        const curve = { ...A100_EFFICIENCY, gemmMax: +g.toFixed(2), memory: mem, gemmHalfDim: half };
        const [max, rms] = score(curve);
        if (!best || max < best.max - 1e-9 || (Math.abs(max - best.max) < 1e-9 && rms < best.rms))
          best = { curve, max, rms };
      }
    }
  }
  console.log(best);
  if (best)
    console.table(
      sc21Errors(best.curve).map((r) => ({
        ...r,
        sim: +r.sim.toFixed(1),
        err: `${(r.err * 100).toFixed(1)}%`,
      })),
    );
}
