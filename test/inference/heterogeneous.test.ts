// Decode on H200 instead of H100: TPOT and batch capacity improve by what the catalog figures say
// (HBM 3.35 → 4.8 TB/s, 80 → 141 GB; data/hardware/accelerators.csv).
import { describe, expect, it } from "vitest";
import { MODEL_PRESETS } from "../../src/catalog/model-presets.js";
import { parameterCount } from "../../src/model/params.js";
import { HBM_UTILIZATION } from "../../src/workload/inference/pools.js";
import { simulateInference } from "../../src/workload/inference/run.js";
import { readDataCsv } from "../helpers/data.js";
import { servingScenario } from "./scenarios.js";
import { depsFor, load } from "./setup.js";

const csv = readDataCsv("hardware/accelerators.csv");
const spec = (id: string) => {
  const row = csv.find((r) => r.id === id);
  if (!row) throw new Error(`no ${id} in accelerators.csv`);
  return { hbm: Number(row.hbm_gb) * 1e9, bw: Number(row.hbm_tb_s) * 1e12 };
};

function decodeOn(group: "h100" | "h200") {
  const s = load(
    servingScenario({ decodeGroup: group, count: 1, prompt: 2048, output: 129, maxBatch: 100_000 }),
  );
  return simulateInference(s, depsFor(s));
}

describe("moving decode from H100 to H200", () => {
  const h100 = spec("H100-SXM5-80GB");
  const h200 = spec("H200-SXM-141GB");
  const a = decodeOn("h100");
  const b = decodeOn("h200");

  it("cuts the on-chip part of TPOT by the HBM bandwidth ratio (1%)", () => {
    const onChip = (r: typeof a) => r.results.tpotS.p50 * (1 - (r.results.tpotNetworkShare?.tp ?? 0));
    const got = onChip(a) / onChip(b);
    const want = h200.bw / h100.bw;
    console.table([
      {
        tpotH100: a.results.tpotS.p50,
        tpotH200: b.results.tpotS.p50,
        onChipRatio: got,
        bandwidthRatio: want,
      },
    ]);
    expect(Math.abs(got / want - 1)).toBeLessThan(0.01);
    expect(b.results.tpotS.p50).toBeLessThan(a.results.tpotS.p50);
  });

  it("raises the KV capacity by (0.9 · HBM − weights) per accelerator (exact)", () => {
    const weights = (parameterCount(MODEL_PRESETS["llama3-70b"]).total * 2) / 8;
    const want = (HBM_UTILIZATION * h200.hbm - weights) / (HBM_UTILIZATION * h100.hbm - weights);
    const capA = a.pools[1].kvCapacityTokens;
    const capB = b.pools[1].kvCapacityTokens;
    const batchA = a.results.pools?.[1].batchCapacity ?? 0;
    const batchB = b.results.pools?.[1].batchCapacity ?? 0;
    console.table([
      { capH100: capA, capH200: capB, ratio: capB / capA, want, batchH100: batchA, batchH200: batchB },
    ]);
    expect(Math.abs(capB / capA / want - 1)).toBeLessThan(1e-5);
    expect(Math.abs(batchB / batchA / want - 1)).toBeLessThan(0.01);
    // the tokens themselves: each of the 8 ranks holds 1/8 of every token's KV (327,680 B / 8)
    expect(capA).toBe(Math.floor((HBM_UTILIZATION * h100.hbm - weights) / (327_680 / 8)));
  });
});
