// DeepEP dispatch / combine (src/collectives/deepep.ts) against DeepSeek's published H800 figures
// (data/calibration/deepep_h800.csv): H800 NVLink ~160 GB/s, one 400 Gb/s CX7 (~50 GB/s) per GPU, 8 per node.
// Calibration rows: normal EP8 (η_up), normal EP32 (η_out), low-latency EP8 (t0). Validation: the other
// eight, printed row by row and held to 15%. The normal rows use DeepEP's test set-up (tests/test_internode.py):
// 256 experts, top-8 from min(nodes, 4) node groups, 4,096 tokens, and its count of RDMA bytes (every
// token-node pair, the own node's too).
import { describe, expect, it } from "vitest";
import { type DeepEpCall, deepEpReportedBandwidth, deepEpTime } from "../../src/collectives/deepep.js";
import { readDataCsv } from "../helpers/data.js";

const FIT = new Set([
  "normal 8 dispatch",
  "normal 8 combine",
  "normal 32 dispatch",
  "normal 32 combine",
  "low_latency 8 dispatch",
  "low_latency 8 combine",
]);

interface Row {
  key: string;
  kernel: string;
  ep: number;
  measuredBw: number;
  modelBw: number;
  measuredUs?: number;
  modelUs?: number;
  role: "fit" | "validation";
}

function rows(): Row[] {
  const out: Row[] = [];
  for (const r of readDataCsv("calibration/deepep_h800.csv")) {
    const ep = Number(r.ep_size);
    const lowLatency = r.kernel === "low_latency";
    const group = { ep, perNode: 8, scaleUpBandwidth: 160e9, scaleOutBandwidth: 50e9 };
    for (const phase of ["dispatch", "combine"] as const) {
      const nodes = Math.ceil(ep / 8);
      const call: DeepEpCall = {
        kernel: lowLatency ? "low-latency" : "normal",
        phase,
        tokens: lowLatency ? 128 : 4096,
        hidden: 7168,
        topK: 8,
        experts: 256,
        groups: nodes,
        groupsPerToken: Math.min(nodes, 4),
        // the EP128/256 low-latency figures predate the NVLink-assisted kernels (the CSV's header)
        rdmaOnly: lowLatency && !r.version.includes("NVLink-assisted"),
      };
      const key = `${r.kernel} ${ep} ${phase}`;
      const latency = Number(r[`${phase}_latency_us`]);
      out.push({
        key,
        kernel: r.kernel,
        ep,
        measuredBw: Number(r[`${phase}_bw_GBps`]),
        modelBw: deepEpReportedBandwidth(group, call) / 1e9,
        ...(latency > 0 ? { measuredUs: latency, modelUs: deepEpTime(group, call) * 1e6 } : {}),
        role: FIT.has(key) ? "fit" : "validation",
      });
    }
  }
  return out;
}

describe("DeepEP dispatch and combine on H800", () => {
  const table = rows();
  console.table(
    table.map((r) => ({
      row: r.key,
      role: r.role,
      measuredGBps: r.measuredBw,
      modelGBps: +r.modelBw.toFixed(1),
      bwError: `${((r.modelBw / r.measuredBw - 1) * 100).toFixed(1)}%`,
      measuredUs: r.measuredUs ?? "",
      modelUs: r.modelUs !== undefined ? +r.modelUs.toFixed(1) : "",
    })),
  );

  it("fits its calibration rows within 3%", () => {
    for (const r of table.filter((x) => x.role === "fit")) {
      expect(Math.abs(r.modelBw / r.measuredBw - 1), r.key).toBeLessThan(0.03);
    }
  });

  it("matches every held-out row within 15% (latency and bandwidth)", () => {
    const held = table.filter((x) => x.role === "validation");
    expect(held.length).toBe(10);
    for (const r of held) {
      if (r.measuredUs !== undefined)
        expect(Math.abs((r.modelUs ?? 0) / r.measuredUs - 1), r.key).toBeLessThan(0.15);
      expect(Math.abs(r.modelBw / r.measuredBw - 1), r.key).toBeLessThan(0.15);
    }
  });

  it("counts as DeepEP does: normal EP32 reports more than the NIC's 50 GB/s, as measured", () => {
    const ep32 = table.find((x) => x.key === "normal 32 dispatch")!;
    expect(ep32.modelBw).toBeGreaterThan(50);
  });
});
