import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  executedFlopsPerToken,
  kvBytesPerToken,
  layerForwardFlopsPerToken,
  MODEL_PRESETS,
  megatronEq3Flops,
  modelFlopsPerToken,
  parameterCount,
} from "../../src/model/index.js";
import { readDataCsv } from "../helpers/data.js";
import { gptModel, SC21_CSV } from "../training/sc21.js";

// Published totals: GPT-3 paper Table 2.1; Llama 3 Herd Table 3; Mixtral paper §2 (46.7B / 12.9B active);
// DeepSeek-V3 report (671B / 37B active, without the 14B multi-token-prediction module).
const PUBLISHED: Record<string, { total: number; active?: number }> = {
  "gpt3-175b": { total: 175e9 },
  "llama3-8b": { total: 8.03e9 },
  "llama3-70b": { total: 70.6e9 },
  "llama3-405b": { total: 405e9 },
  "mixtral-8x7b": { total: 46.7e9, active: 12.9e9 },
  "deepseek-v3": { total: 671e9, active: 37e9 },
};

describe("model presets", () => {
  it("have the published parameter counts within 1.5%", () => {
    const rows = Object.entries(PUBLISHED).map(([name, pub]) => {
      const p = parameterCount(MODEL_PRESETS[name]);
      return {
        name,
        totalB: +(p.total / 1e9).toFixed(2),
        errTotal: p.total / pub.total - 1,
        activeB: +(p.active / 1e9).toFixed(2),
        errActive: pub.active ? p.active / pub.active - 1 : 0,
      };
    });
    console.table(
      rows.map((r) => ({
        ...r,
        errTotal: `${(r.errTotal * 100).toFixed(2)}%`,
        errActive: `${(r.errActive * 100).toFixed(2)}%`,
      })),
    );
    for (const r of rows) {
      expect(Math.abs(r.errTotal)).toBeLessThan(0.015);
      expect(Math.abs(r.errActive)).toBeLessThan(0.015);
    }
  });

  it("dense models use every parameter per token", () => {
    for (const name of ["gpt3-175b", "llama3-8b", "llama3-70b", "llama3-405b"]) {
      const p = parameterCount(MODEL_PRESETS[name]);
      expect(p.active).toBe(p.total);
    }
  });

  it("count the SC'21 GPT models as the paper's params column (rounded to 0.1B, within 3%)", () => {
    for (const r of readDataCsv(SC21_CSV)) {
      const model = gptModel("x", +r.num_layers, +r.hidden_size, +r.attention_heads);
      const p = parameterCount(model).total / 1e9;
      expect(Math.abs(p / +r.params_billion - 1), `${r.params_billion}B`).toBeLessThan(0.03);
    }
  });
});

describe("FLOPs", () => {
  it("are 24h² + 4sh per token per layer for a GPT layer (Narayanan et al.)", () => {
    const m = gptModel("x", 24, 2304, 24);
    const f = layerForwardFlopsPerToken(m, false);
    expect(f.gemm + f.attention).toBe(24 * 2304 ** 2 + 4 * 2048 * 2304);
    expect(f.attention).toBe(4 * 2048 * 2304);
  });

  it("halve attention under the causal convention", () => {
    const m = MODEL_PRESETS["llama3-70b"];
    expect(layerForwardFlopsPerToken(m, false, { causal: true }).attention).toBe(
      layerForwardFlopsPerToken(m, false).attention / 2,
    );
  });

  it("give exactly eq. 3 of SC'21 for GPT with full recomputation", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 16 }),
        (layers, h64, batch) => {
          const h = 64 * h64;
          const m = gptModel("x", layers, h, h64);
          const ours = batch * 2048 * executedFlopsPerToken(m, "full");
          const eq3 = megatronEq3Flops(batch, 2048, layers, h, 51200);
          expect(Math.abs(ours / eq3 - 1)).toBeLessThan(1e-12);
        },
      ),
    );
  });

  it("scale GQA key/value projections with kvHeads and gated MLPs with 3 matrices", () => {
    const m = MODEL_PRESETS["llama3-70b"];
    const h = m.hidden;
    const f = layerForwardFlopsPerToken(m, false);
    const proj = 2 * h * (h + 2 * m.kvHeads * m.headDim) + 2 * h * h;
    expect(f.gemm).toBe(proj + 3 * 2 * h * m.ffnHidden);
  });

  it("count a MoE layer by its topK routed experts plus the router", () => {
    const m = MODEL_PRESETS["mixtral-8x7b"];
    const moe = layerForwardFlopsPerToken(m, true);
    const attn = 2 * m.hidden * (m.hidden + 2 * m.kvHeads * m.headDim) + 2 * m.hidden * m.hidden;
    expect(moe.gemm).toBe(attn + 2 * m.hidden * 8 + 2 * 3 * 2 * m.hidden * 14336);
  });

  it("model FLOPs per token ≈ 6 × active parameters for short contexts", () => {
    const m = { ...MODEL_PRESETS["llama3-405b"], seqLength: 128 };
    const ratio = modelFlopsPerToken(m) / (6 * parameterCount(m).active);
    expect(ratio).toBeGreaterThan(0.99);
    expect(ratio).toBeLessThan(1.02);
  });

  it("grow with the sequence length", () => {
    fc.assert(
      fc.property(fc.integer({ min: 128, max: 65536 }), fc.integer({ min: 1, max: 4096 }), (s, ds) => {
        const m = MODEL_PRESETS["llama3-8b"];
        expect(modelFlopsPerToken(m, { seqLength: s + ds })).toBeGreaterThan(
          modelFlopsPerToken(m, { seqLength: s }),
        );
      }),
    );
  });
});

describe("KV cache", () => {
  it("is 2·layers·kvHeads·headDim·2 bytes per token (Llama 3 70B: 327,680 B)", () => {
    expect(kvBytesPerToken(MODEL_PRESETS["llama3-70b"])).toBe(327_680);
  });
  it("is one compressed latent per layer for MLA (DeepSeek-V3: 61 × 576 values)", () => {
    expect(kvBytesPerToken(MODEL_PRESETS["deepseek-v3"])).toBe(61 * 576 * 2);
  });
});
