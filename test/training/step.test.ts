import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MODEL_PRESETS } from "../../src/model/index.js";
import type { Recompute } from "../../src/scenario/types.js";
import {
  type AlphaBetaSpec,
  alphaBetaCommModel,
  runTraining,
  scenarioAlphaBetaSpec,
  scenarioCommModel,
} from "../../src/workload/training/index.js";
import { skeletonFabric, trainingScenario } from "./fixtures.js";

const H100 = {
  accelerator: "H100-SXM",
  scaleUp: "nvlink4",
  nics: { count: 8, bandwidth: 50e9 },
  switch: "QM9700",
};

function llama8b(
  nodes: number,
  p: { tp: number; pp: number; dp: number; vpp?: number; zero?: 0 | 1 | 2 | 3; cp?: number },
  mb: number,
  gb: number,
  recompute: Recompute = "selective",
  oversub = 1,
) {
  return trainingScenario(
    "llama3-8b",
    { ...H100, nodes, oversubscription: { leaf: oversub, spine: 1 } },
    {
      model: MODEL_PRESETS["llama3-8b"],
      parallelism: { ...p, sequenceParallel: p.tp > 1 },
      microBatch: mb,
      globalBatch: gb,
      recompute,
    },
  );
}

function scaled(spec: AlphaBetaSpec, up: number, out: number): AlphaBetaSpec {
  return {
    ...spec,
    scaleUp: { ...spec.scaleUp, bandwidth: spec.scaleUp.bandwidth * up },
    scaleOut: { ...spec.scaleOut, bandwidth: spec.scaleOut.bandwidth * out },
  };
}

describe("training step", () => {
  it("never gets slower with more bandwidth", () => {
    const configs = [
      { nodes: 4, p: { tp: 8, pp: 2, dp: 2, zero: 1 as const }, mb: 1, gb: 16 },
      { nodes: 4, p: { tp: 4, pp: 4, dp: 2, vpp: 2 }, mb: 1, gb: 32 },
      { nodes: 2, p: { tp: 2, pp: 1, dp: 8, zero: 3 as const }, mb: 1, gb: 16 },
      { nodes: 2, p: { tp: 8, pp: 1, dp: 1, cp: 2 }, mb: 1, gb: 4 },
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: configs.length - 1 }),
        fc.double({ min: 1, max: 8, noNaN: true }),
        fc.double({ min: 1, max: 8, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (i, up, out, base) => {
          const c = configs[i];
          const sc = llama8b(c.nodes, c.p, c.mb, c.gb);
          const spec = scenarioAlphaBetaSpec(sc);
          const fabric = skeletonFabric(sc);
          const slow = runTraining(sc, { fabric, comm: alphaBetaCommModel(scaled(spec, base, base)) });
          const fast = runTraining(sc, {
            fabric,
            comm: alphaBetaCommModel(scaled(spec, base * up, base * out)),
          });
          expect(fast.stepTimeS).toBeLessThanOrEqual(slow.stepTimeS * (1 + 1e-12));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("shows ~0 exposed communication when it fits under compute, and real exposure when it does not", () => {
    // pure data parallelism, one micro-batch: the gradient all-reduce hides behind a long backward pass
    const sc = llama8b(2, { tp: 1, pp: 1, dp: 16, zero: 1 }, 1, 16, "full");
    const fabric = skeletonFabric(sc);
    const spec = scenarioAlphaBetaSpec(sc);
    const fast = runTraining(sc, { fabric, comm: alphaBetaCommModel(spec) });
    const slow = runTraining(sc, { fabric, comm: alphaBetaCommModel(scaled(spec, 1 / 100, 1 / 100)) });
    console.table([
      {
        network: "as built",
        stepS: fast.stepTimeS,
        exposedS: fast.breakdown.exposedCommS,
        idle: fast.networkIdleFraction,
      },
      {
        network: "1/100 bandwidth",
        stepS: slow.stepTimeS,
        exposedS: slow.breakdown.exposedCommS,
        idle: slow.networkIdleFraction,
      },
    ]);
    expect(fast.networkIdleFraction).toBeLessThan(0.01);
    expect(slow.networkIdleFraction).toBeGreaterThan(0.2);
    expect(slow.exposedCommByKind.dp).toBeGreaterThan(0);
  });

  it("accounts every second of the step: compute + exposed comm + bubble + other = step", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          { tp: 8, pp: 4, dp: 1 },
          { tp: 4, pp: 2, dp: 4, zero: 1 as const },
          { tp: 2, pp: 4, dp: 4, vpp: 2 },
          { tp: 8, pp: 2, dp: 2, zero: 3 as const },
        ),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom<Recompute>("none", "selective", "full"),
        (p, groups, rc) => {
          const gb = p.dp * p.pp * groups;
          const sc = llama8b(4, p, 1, gb, rc);
          const r = runTraining(sc, { fabric: skeletonFabric(sc), comm: scenarioCommModel(sc) });
          const b = r.breakdown;
          expect(b.computeS + b.exposedCommS + b.bubbleS + b.otherS).toBeCloseTo(r.stepTimeS, 9);
          for (const v of [b.computeS, b.exposedCommS, b.bubbleS, b.otherS])
            expect(v).toBeGreaterThanOrEqual(-1e-12);
          const byKind = Object.values(r.exposedCommByKind).reduce((a, x) => a + x, 0);
          expect(byKind).toBeCloseTo(b.exposedCommS, 9);
          expect(r.causes.reduce((a, c) => a + c.exposedS, 0)).toBeCloseTo(b.exposedCommS, 9);
          expect(r.networkIdleCostUsdPerHour).toBeCloseTo(32 * 3.9 * r.networkIdleFraction, 6);
        },
      ),
      { numRuns: 20 },
    );
  });

  it("names the collectives and tiers that cost time, and what a non-blocking fabric would save", () => {
    const sc = llama8b(32, { tp: 8, pp: 1, dp: 32, zero: 1 }, 1, 32, "none", 4);
    const r = runTraining(sc, {
      fabric: skeletonFabric(sc),
      comm: scenarioCommModel(sc),
      nonBlockingComm: scenarioCommModel(sc, { nonBlocking: true }),
    });
    console.table(r.causes);
    const tp = r.causes.find((c) => c.kind === "tp");
    expect(tp?.tier).toBe("scaleUp");
    const dp = r.causes.find((c) => c.kind === "dp" && c.exposedS > 0);
    expect(dp?.tier).toBe("spine");
    expect(r.whatIf?.nonBlockingStepTimeS).toBeLessThan(r.stepTimeS);
    expect(r.whatIf?.speedup).toBeGreaterThan(1);
  });

  it.each([
    ["detailed", 16],
    ["summarized (more than 2,048 ops)", 640],
  ])("draws a %s timeline whose spans tile each stage's step", (_, gb) => {
    const sc = llama8b(4, { tp: 4, pp: 4, dp: 2, vpp: 2, zero: 1 }, 1, gb, "full");
    const r = runTraining(sc, { fabric: skeletonFabric(sc), comm: scenarioCommModel(sc) });
    const stages = new Set(r.timeline.map((s) => s.stage));
    expect(stages.size).toBe(4);
    let compute = 0;
    for (const stage of stages) {
      const spans = r.timeline.filter((s) => s.stage === stage);
      let t = 0;
      for (const s of spans) {
        expect(s.startS).toBeCloseTo(t, 9);
        expect(s.endS).toBeLessThanOrEqual(r.stepTimeS + 1e-9);
        if (s.kind === "compute" && s.label !== "optimizer") compute += s.endS - s.startS;
        t = s.endS;
      }
      expect(t).toBeCloseTo(r.stepTimeS, 9);
    }
    // the breakdown's compute is the average over stages
    expect(compute / stages.size).toBeCloseTo(r.breakdown.computeS, 9);
    expect(r.timeline.length).toBeLessThan(25000);
  });

  it("reports FLOP/s and MFU consistently: MFU × peak ≈ model FLOP/s", () => {
    const sc = llama8b(4, { tp: 8, pp: 2, dp: 2 }, 1, 32, "none");
    const r = runTraining(sc, { fabric: skeletonFabric(sc), comm: scenarioCommModel(sc) });
    // without recomputation executed = model FLOPs: TFLOP/s = MFU × 989
    expect(r.tflopsPerAccelerator).toBeCloseTo(r.mfu * 989, 6);
    expect(r.mfu).toBeGreaterThan(0.2);
    expect(r.mfu).toBeLessThan(0.7);
  });
});

describe("training options", () => {
  it("runs FP8 GEMMs faster on H100, and warns and falls back on A100", () => {
    const p = { tp: 8, pp: 2, dp: 2 };
    const bf16 = llama8b(4, p, 1, 32, "none");
    const fp8 = llama8b(4, p, 1, 32, "none");
    if (fp8.workload.kind === "training") fp8.workload.precision = "fp8";
    const rb = runTraining(bf16, { fabric: skeletonFabric(bf16), comm: scenarioCommModel(bf16) });
    const rf = runTraining(fp8, { fabric: skeletonFabric(fp8), comm: scenarioCommModel(fp8) });
    expect(rf.breakdown.computeS).toBeLessThan(0.8 * rb.breakdown.computeS);
    const a100 = trainingScenario(
      "a100 fp8",
      {
        accelerator: "A100-SXM4-80GB",
        scaleUp: "nvlink3",
        nics: { count: 8, bandwidth: 25e9 },
        switch: "QM8700",
        nodes: 4,
      },
      {
        model: MODEL_PRESETS["llama3-8b"],
        parallelism: p,
        microBatch: 1,
        globalBatch: 32,
        recompute: "full",
        precision: "fp8",
      },
    );
    const ra = runTraining(a100, { fabric: skeletonFabric(a100), comm: scenarioCommModel(a100) });
    expect(ra.warnings.join(" ")).toMatch(/A100-SXM4-80GB has no FP8/);
  });

  it("hides tensor-parallel collectives behind GEMMs when tp comm overlap is on", () => {
    const sc = llama8b(4, { tp: 8, pp: 2, dp: 2 }, 1, 32, "none");
    const base = runTraining(sc, { fabric: skeletonFabric(sc), comm: scenarioCommModel(sc) });
    const overlapped = runTraining(sc, {
      fabric: skeletonFabric(sc),
      comm: scenarioCommModel(sc),
      options: { tpCommOverlap: true },
    });
    expect(base.exposedCommByKind.tp).toBeGreaterThan(0);
    expect(overlapped.exposedCommByKind.tp).toBeLessThan(0.1 * base.exposedCommByKind.tp);
    expect(overlapped.stepTimeS).toBeLessThan(base.stepTimeS);
  });

  it("exposes context-parallel KV exchanges only when they outlast the attention they hide behind", () => {
    // 32K tokens: attention grows with s², the KV blocks only with s
    const sc = trainingScenario(
      "long context",
      { ...H100, nodes: 2 },
      {
        model: { ...MODEL_PRESETS["llama3-8b"], seqLength: 32768 },
        parallelism: { tp: 8, pp: 1, dp: 1, cp: 2, sequenceParallel: true },
        microBatch: 1,
        globalBatch: 4,
        recompute: "full",
      },
    );
    const spec = scenarioAlphaBetaSpec(sc);
    const fast = runTraining(sc, { fabric: skeletonFabric(sc), comm: alphaBetaCommModel(spec) });
    const slow = runTraining(sc, {
      fabric: skeletonFabric(sc),
      comm: alphaBetaCommModel(scaled(spec, 1, 1 / 200)),
    });
    expect(fast.exposedCommByKind.cp).toBe(0);
    expect(slow.exposedCommByKind.cp).toBeGreaterThan(0);
  });
});
