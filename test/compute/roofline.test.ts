import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACCELERATORS } from "../../src/catalog/accelerators.js";
import {
  A100_EFFICIENCY,
  type ComputeOp,
  computeTarget,
  gemmEfficiency,
  opTime,
} from "../../src/compute/index.js";

const a100 = computeTarget(ACCELERATORS["A100-SXM4-80GB"]);
const h100 = computeTarget(ACCELERATORS["H100-SXM"]);

function gemm(m: number, n: number, k: number, fp8 = false): ComputeOp {
  return {
    name: "g",
    cls: "gemm",
    kernel: "gemm",
    flops: 2 * m * n * k,
    bytes: 2 * (m * k + k * n + m * n),
    m,
    n,
    k,
    batch: 1,
    fp8,
  };
}

describe("roofline", () => {
  it("times a memory-bound kernel by bytes over the achievable HBM bandwidth", () => {
    const op: ComputeOp = { name: "norm", cls: "elementwise", kernel: "memory", flops: 1e6, bytes: 1e9 };
    expect(opTime(a100, op)).toBeCloseTo(1e9 / (A100_EFFICIENCY.memory * 2.039e12), 12);
  });

  it("times a large GEMM at the calibrated share of peak", () => {
    const op = gemm(16384, 16384, 16384);
    const eff = gemmEfficiency(A100_EFFICIENCY, 16384, 16384, 16384);
    expect(eff).toBeGreaterThan(0.99 * A100_EFFICIENCY.gemmMax);
    expect(opTime(a100, op)).toBeCloseTo(op.flops / (eff * 312e12), 9);
  });

  it("turns a skinny GEMM memory-bound (low arithmetic intensity)", () => {
    const op = gemm(1, 8192, 8192); // a decode-style matrix-vector product
    expect(opTime(h100, op)).toBeCloseTo(op.bytes / (A100_EFFICIENCY.memory * 3.35e12), 12);
  });

  it("runs FP8 GEMMs at the FP8 peak on the FP8 curve where there is one, BF16 otherwise", () => {
    const big = 16384;
    // H100: FP8 peak 1,979 vs 989 TFLOP/s, at the FP8 curve's share of it (catalog, fitted per precision)
    const shares = h100.curve.gemmMax / h100.fp8Curve.gemmMax;
    expect(opTime(h100, gemm(big, big, big, true)) / opTime(h100, gemm(big, big, big))).toBeCloseTo(
      (989 / 1979) * shares,
      3,
    );
    expect(h100.fp8Curve.gemmMax).not.toBe(h100.curve.gemmMax);
    expect(opTime(a100, gemm(big, big, big, true))).toBe(opTime(a100, gemm(big, big, big)));
  });

  it("never gets faster with more FLOPs or more bytes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1 << 15 }),
        fc.integer({ min: 1, max: 1 << 15 }),
        fc.integer({ min: 1, max: 1 << 15 }),
        fc.integer({ min: 1, max: 1 << 10 }),
        (m, n, k, dm) => {
          expect(opTime(h100, gemm(m + dm, n, k))).toBeGreaterThanOrEqual(opTime(h100, gemm(m, n, k)));
          const e = gemmEfficiency(A100_EFFICIENCY, m, n, k);
          expect(e).toBeGreaterThan(0);
          expect(e).toBeLessThanOrEqual(A100_EFFICIENCY.gemmMax);
        },
      ),
    );
  });
});
