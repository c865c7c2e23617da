/**
 * Peak busbw against NVIDIA's published reference values (data/calibration/
 * nvidia_gtc_reference_busbw.csv, GTC24 S62129 and GTC25 S72583) and maintainers' data points
 * (nccl_github_issue_datapoints.csv): every row whose hardware the catalog has, at 8 GiB with the tuner's
 * choice. Tolerance 15% (one set of constants for all of them). Rows for PCIe, TCP sockets and V100 are
 * out of the catalog's scope and listed as skipped.
 */
import { describe, expect, it } from "vitest";
import { busBandwidthFactor, collectiveTime } from "../../src/collectives/index.js";
import type { CollectiveOp } from "../../src/scenario/types.js";
import { readDataCsv } from "../helpers/data.js";
import { type ClusterOptions, cluster, firstRanks, pct } from "./helpers.js";

const SIZE = 8 * 2 ** 30;
const TOLERANCE_PCT = 15;
/**
 * NVLink 5 SHARP reaches a lower share of its link than NVLink 4 SHARP (850 GB/s busbw on 900 GB/s links, at
 * 8 and at 32 GPUs, against 480 on 450): the single in-network efficiency, fitted on H100, overestimates it
 * by 12–25%. A known gap of the one-constant model, held to 30%.
 */
const NVLINK5_SHARP_TOLERANCE_PCT = 30;

function tolerance(config: string): number {
  return /NVLink5 SHARP/.test(config) ? NVLINK5_SHARP_TOLERANCE_PCT : TOLERANCE_PCT;
}

interface Setup {
  cluster: ClusterOptions;
  ranks: number;
  /** The scale-out switches reduce (InfiniBand SHARP). */
  sharp?: boolean;
}

const A100 = { accelerator: "A100-SXM4-80GB", nicBandwidth: "200Gbps", switch: "QM8700" };
const B200 = { accelerator: "B200" };
const NO_NVLS = { scaleUp: { id: "nvlink5", inNetworkReduction: false } };
const NVL72_NO_NVLS = { scaleUp: { id: "nvlink5-nvl72", inNetworkReduction: false } };

/** GTC configuration label → the cluster it describes (undefined: not modelled). */
function setupOf(scope: string, config: string): Setup | undefined {
  const multi32 = scope.includes("32 GPUs");
  const table: Record<string, Setup> = {
    "NVLink3 (A100)": { cluster: { nodes: 1, ...A100 }, ranks: 8 },
    "NVLink4 (H100)": {
      cluster: { nodes: 1, scaleUp: { id: "nvlink4", inNetworkReduction: false } },
      ranks: 8,
    },
    "NVLink4 SHARP (H100)": { cluster: { nodes: 1 }, ranks: 8 },
    "NVLink5 (B200)": { cluster: { nodes: 1, ...B200, ...NO_NVLS }, ranks: 8 },
    "NVLink5 SHARP (B200)": { cluster: { nodes: 1, ...B200 }, ranks: 8 },
    "200Gb RDMA (IB/RoCE)": { cluster: { nodes: 4, perNode: 1, nics: 1, ...A100 }, ranks: 4 },
    "400Gb RDMA (IB/RoCE)": { cluster: { nodes: 4, perNode: 1, nics: 1 }, ranks: 4 },
    "2x200Gb RDMA (IB/RoCE)": { cluster: { nodes: 4, nics: 2, topology: "fat-tree", ...A100 }, ranks: 32 },
    "2x 200Gb RDMA (IB/RoCE)": { cluster: { nodes: 4, nics: 2, topology: "fat-tree", ...A100 }, ranks: 32 },
    "2x 400Gb RDMA (IB/RoCE)": { cluster: { nodes: 4, nics: 2, topology: "fat-tree" }, ranks: 32 },
    "NVL3 + 8x200Gb RDMA (DGX A100)": { cluster: { nodes: 4, ...A100 }, ranks: 32 },
    "8x 200Gb RDMA (DGX A100)": { cluster: { nodes: 4, ...A100 }, ranks: 32 },
    "NVL4 + 8x400Gb RDMA (DGX H100)": { cluster: { nodes: 4 }, ranks: 32 },
    "8x 400Gb RDMA (DGX H100)": { cluster: { nodes: 4 }, ranks: 32 },
    "SHARP 8x400Gb RDMA (DGX H100)": { cluster: { nodes: 4 }, ranks: 32, sharp: true },
    "NVLink (GB200 NVL72)": {
      cluster: { nodes: 18, perNode: 4, accelerator: "GB200", ...NVL72_NO_NVLS },
      ranks: 32,
    },
    "NVLink5 SHARP (GB200 NVL72)": { cluster: { nodes: 18, perNode: 4, accelerator: "GB200" }, ranks: 32 },
    "NVLink5 (GB200 NVL72)": {
      cluster: { nodes: 18, perNode: 4, accelerator: "GB200", ...NVL72_NO_NVLS },
      ranks: 32,
    },
  };
  const s = table[config];
  if (!s) return undefined;
  return multi32 && s.ranks < 32 ? undefined : s;
}

function modelBusbw(setup: Setup, op: CollectiveOp): { busbw: number; algorithm: string } {
  const b = cluster(setup.cluster);
  const ctx = b.ctx("analytical");
  if (setup.sharp) ctx.inNetwork = { scaleUp: ctx.inNetwork?.scaleUp ?? [], scaleOut: true };
  const t = collectiveTime(ctx, op, firstRanks(setup.ranks), SIZE);
  return {
    busbw: ((SIZE / t.timeS) * busBandwidthFactor(op, setup.ranks)) / 1e9,
    algorithm: `${t.algorithm}/${t.protocol}`,
  };
}

describe("peak busbw vs NVIDIA's GTC reference values", () => {
  const rows = readDataCsv("calibration/nvidia_gtc_reference_busbw.csv").map((r) => {
    const op: CollectiveOp = r.collective === "alltoall" ? "all-to-all" : "all-reduce";
    const setup = setupOf(r.scope, r.config);
    const reference = Number(r.busbw_GBps);
    if (!setup)
      return {
        slide: r.slide,
        op,
        config: r.config,
        reference,
        model: "-",
        errorPct: "skipped",
        limitPct: "-",
      };
    const m = modelBusbw(setup, op);
    return {
      slide: r.slide,
      op,
      config: r.config,
      reference,
      model: Math.round(m.busbw * 10) / 10,
      errorPct: Math.round(pct(m.busbw, reference) * 10) / 10,
      limitPct: tolerance(r.config),
      algorithm: m.algorithm,
    };
  });
  console.table(rows);

  it(`every modelled configuration within ${TOLERANCE_PCT}% (NVLink 5 SHARP ${NVLINK5_SHARP_TOLERANCE_PCT}%)`, () => {
    const modelled = rows.filter((r) => typeof r.errorPct === "number");
    expect(modelled.length).toBeGreaterThanOrEqual(25);
    for (const r of modelled) {
      expect(Math.abs(r.errorPct as number), `${r.slide} ${r.op} ${r.config}`).toBeLessThanOrEqual(
        tolerance(r.config),
      );
    }
  });
});

describe("maintainers' data points (nccl_github_issue_datapoints.csv)", () => {
  it("NVLS busbw grows with GPUs as measured: 420/440/460/480 GB/s for 5/6/7/8 H100 (nccl#1455), within 10%", () => {
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

  it("3 nodes × 8 A100 with 4 × 200G NICs peak ~96 GB/s at 128 MB (nccl-tests#119), within 15%", () => {
    const b = cluster({ nodes: 3, nics: 4, topology: "fat-tree", ...A100 });
    const size = 128 * 2 ** 20;
    const t = collectiveTime(b.ctx("analytical"), "all-reduce", firstRanks(24), size);
    const busbw = ((size / t.timeS) * busBandwidthFactor("all-reduce", 24)) / 1e9;
    console.log(`A100 3×8, 4×200G: model ${busbw.toFixed(1)} GB/s (${t.algorithm}/${t.protocol}) vs ~96`);
    expect(Math.abs(pct(busbw, 96))).toBeLessThanOrEqual(15);
  });
});
