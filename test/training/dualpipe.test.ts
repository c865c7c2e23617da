// DualPipe (src/workload/training/dualpipe.ts): DeepSeek-V3's bidirectional pipeline schedule, simulated
// over DualPipe's per-rank op orders. With equal stages and free transfers the simulated step equals the
// published bubble, m·(F + B) + (pp/2 − 1)(F&B + B − 3W); an overlapped forward–backward pair hides one's
// communication under the other's compute.
import { describe, expect, it } from "vitest";
import { simulateDualPipe } from "../../src/workload/training/dualpipe.js";
import { simulatePipeline } from "../../src/workload/training/schedule.js";
import { moeScenario, runMoe } from "./moe-scenario.js";

function uniform(pp: number, m: number, F: number, B: number, commF = 0, commB = 0, p2p = 0) {
  const a = (v: number) => new Float64Array(pp).fill(v);
  return {
    pp,
    m,
    fwdS: a(F + commF),
    bwdS: a(B + commB),
    fwdComputeS: a(F),
    bwdComputeS: a(B),
    weightS: a(Math.min(F, B / 2)),
    p2pS: a(p2p),
  };
}

describe("DualPipe schedule", () => {
  it("equals the published bubble with equal stages: m(F + B) + (pp/2 − 1)(F&B + B − 3W)", () => {
    for (const [pp, m] of [
      [2, 4],
      [4, 8],
      [4, 12],
      [8, 16],
      [8, 20],
      [16, 64],
    ]) {
      const [F, B, W] = [1, 2, 1];
      const r = simulateDualPipe(uniform(pp, m, F, B));
      expect(r.makespan).toBeCloseTo(m * (F + B) + (pp / 2 - 1) * (F + B + B - 3 * W), 9);
      // 1F1B on the same stages: (m + pp − 1)(F + B)
      const a = (v: number) => new Float64Array(pp).fill(v);
      const one = simulatePipeline({ pp, vpp: 1, m, fwdS: a(F), bwdS: a(B), p2pS: a(0) });
      expect(one.makespan).toBeCloseTo((m + pp - 1) * (F + B), 9);
      expect(r.makespan).toBeLessThan(one.makespan);
    }
  });

  it("runs every micro-batch's forward and backward once per rank and direction", () => {
    const pp = 8;
    const m = 20;
    const r = simulateDualPipe(uniform(pp, m, 1, 2, 0.3, 0.6, 0.05));
    for (let s = 0; s < pp; s++) {
      const seen = new Map<string, number>();
      for (let i = r.stageStart[s]; i < r.stageStart[s + 1]; i++) {
        expect(r.opEnd[i]).toBeGreaterThanOrEqual(r.opStart[i]);
        if (i > r.stageStart[s]) expect(r.opStart[i]).toBeGreaterThanOrEqual(r.opEnd[i - 1] - 1e-12);
        if (r.opKind[i] === 0) {
          const key = `${r.opChunk[i]}:${r.opMicro[i]}`;
          seen.set(key, (seen.get(key) ?? 0) + 1);
        }
      }
      expect(seen.size).toBe(m); // m/2 micro-batches in each of the two directions
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
    }
  });

  it("hides communication under the paired compute: the step barely grows, 1F1B's grows by all of it", () => {
    const [pp, m] = [8, 64];
    const dry = simulateDualPipe(uniform(pp, m, 1, 2)).makespan;
    const wet = simulateDualPipe(uniform(pp, m, 1, 2, 0.5, 1)).makespan;
    const a = (v: number) => new Float64Array(pp).fill(v);
    const oneWet = simulatePipeline({ pp, vpp: 1, m, fwdS: a(1.5), bwdS: a(3), p2pS: a(0) }).makespan;
    console.table([{ dualDry: dry, dualWet: wet, oneF1BWet: oneWet }]);
    expect(wet / dry).toBeLessThan(1.1);
    expect(oneWet / dry).toBeGreaterThan(1.5);
  });

  it("refuses shapes DualPipe cannot run", () => {
    expect(() => simulateDualPipe(uniform(3, 12, 1, 2))).toThrow(/even pp/);
    expect(() => simulateDualPipe(uniform(4, 6, 1, 2))).toThrow(/m ≥ 2·pp/);
  });
});

const scenario = (extra: string, parallelism = "{ tp: 1, pp: 4, dp: 16, ep: 16 }", globalBatch = 256) =>
  moeScenario("dualpipe.yaml", parallelism, extra, globalBatch);
const run = (extra: string) => runMoe(scenario(extra));

describe("DualPipe in a training run (MoE, EP 16 over 400G, pp 4)", () => {
  it("shortens the step, with a smaller bubble and less exposed expert-parallel time, for twice the weights", () => {
    const one = run("");
    const dual = run("    schedule: dualpipe");
    console.table(
      [one, dual].map((r, i) => ({
        schedule: i ? "dualpipe" : "1f1b",
        stepS: r.stepTimeS,
        bubbleS: r.breakdown.bubbleS,
        epExposedS: r.exposedCommByKind.ep,
        weightsGB: r.memoryPerRankBytes.weights / 1e9,
      })),
    );
    expect(dual.stepTimeS).toBeLessThan(one.stepTimeS);
    expect(dual.breakdown.bubbleS).toBeLessThan(one.breakdown.bubbleS);
    expect(dual.exposedCommByKind.ep).toBeLessThan(one.exposedCommByKind.ep);
    // the parts still add up to the step
    const b = dual.breakdown;
    expect(b.computeS + b.exposedCommS + b.bubbleS + b.otherS).toBeCloseTo(dual.stepTimeS, 9);
    expect(dual.memoryPerRankBytes.weights).toBeGreaterThan(1.5 * one.memoryPerRankBytes.weights);
    expect(dual.timeline?.length ?? 0).toBeGreaterThan(0);
  });

  it("says what a shape needs, at the schedule key", () => {
    expect(() => scenario("    schedule: dualpipe", "{ tp: 1, pp: 1, dp: 64, ep: 16 }")).toThrow(
      /dualpipe\.yaml:\d+:\d+: .*dualpipe needs an even pp ≥ 2/,
    );
    expect(() => scenario("    schedule: dualpipe", "{ tp: 1, pp: 4, dp: 16, ep: 16 }", 64)).toThrow(
      /even number of micro-batches ≥ 2·pp = 8 .* gives 4/,
    );
  });
});
