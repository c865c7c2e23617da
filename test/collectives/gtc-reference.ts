/**
 * Peak busbw against NVIDIA's published reference values (data/calibration/nvidia_gtc_reference_busbw.csv,
 * GTC24 S62129 and GTC25 S72583): each configuration the catalog has, at 8 GiB with the tuner's choice, with
 * its role and tolerance from gtc-reference-tolerances.csv (test/calibration and test/validation check
 * their own role's rows). A configuration both slides list counts once, checked against each value.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { expect } from "vitest";
import { busBandwidthFactor, collectiveTime } from "../../src/collectives/index.js";
import type { CollectiveOp } from "../../src/scenario/types.js";
import { readDataCsv } from "../helpers/data.js";
import { type ClusterOptions, cluster, firstRanks, pct } from "./helpers.js";

const SIZE = 8 * 2 ** 30;
export interface Setup {
  cluster: ClusterOptions;
  ranks: number;
  /** The scale-out switches reduce (InfiniBand SHARP). */
  sharp?: boolean;
}

export const A100 = { accelerator: "A100-SXM4-80GB", nicBandwidth: "200Gbps", switch: "QM8700" };
const B200 = { accelerator: "B200" };
const NO_NVLS = { scaleUp: { id: "nvlink5", inNetworkReduction: false } };
const NVL72_NO_NVLS = { scaleUp: { id: "nvlink5-nvl72", inNetworkReduction: false } };

/** GTC configuration label → the cluster it describes (undefined: not modelled). */
export function setupOf(scope: string, config: string): Setup | undefined {
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

export function modelBusbw(setup: Setup, op: CollectiveOp): { busbw: number; algorithm: string } {
  const b = cluster(setup.cluster);
  const ctx = b.ctx("analytical");
  if (setup.sharp) ctx.inNetwork = { scaleUp: ctx.inNetwork?.scaleUp ?? [], scaleOut: true };
  const t = collectiveTime(ctx, op, firstRanks(setup.ranks), SIZE);
  return {
    busbw: ((SIZE / t.timeS) * busBandwidthFactor(op, setup.ranks)) / 1e9,
    algorithm: `${t.algorithm}/${t.protocol}`,
  };
}

export type Role = "calibration" | "validation";

/** One configuration of the reference table with every value published for it. */
export interface ReferenceCase {
  collective: string;
  op: CollectiveOp;
  config: string;
  /** Each published busbw, GB/s (one per slide that lists the configuration). */
  references: { slide: string; busbw: number }[];
  role: Role;
  tolerancePct: number;
  reason: string;
  setup: Setup;
}

const here = path.dirname(fileURLToPath(import.meta.url));

function tolerances(): Record<string, string>[] {
  return parse(readFileSync(path.join(here, "gtc-reference-tolerances.csv"), "utf8"), {
    columns: true,
    comment: "#",
    skip_empty_lines: true,
  });
}

/**
 * The reference rows grouped by (collective, config), each group once, with its role and tolerance. A row
 * with a setup the catalog models but no tolerance entry is an error: every modelled row is checked.
 */
export function referenceCases(): { cases: ReferenceCase[]; skipped: string[] } {
  const known = new Map(tolerances().map((t) => [`${t.collective}|${t.config}`, t]));
  const groups = new Map<string, ReferenceCase>();
  const skipped: string[] = [];
  for (const r of readDataCsv("calibration/nvidia_gtc_reference_busbw.csv")) {
    const key = `${r.collective}|${r.config}`;
    const op: CollectiveOp = r.collective === "alltoall" ? "all-to-all" : "all-reduce";
    const setup = setupOf(r.scope, r.config);
    const t = known.get(key);
    if (!setup || !t) {
      if (setup && !t) throw new Error(`no tolerance for the modelled reference row ${key}`);
      skipped.push(`${r.slide} ${key}`);
      continue;
    }
    const reference = { slide: r.slide, busbw: Number(r.busbw_GBps) };
    const existing = groups.get(key);
    if (existing) existing.references.push(reference);
    else
      groups.set(key, {
        collective: r.collective,
        op,
        config: r.config,
        references: [reference],
        role: t.role as Role,
        tolerancePct: Number(t.tolerance_pct),
        reason: t.reason,
        setup,
      });
  }
  return { cases: [...groups.values()], skipped };
}

/** Checks every case of one role: the model within the row's tolerance of each published value. */
export function checkReferenceCases(role: Role, minimum: number): void {
  const { cases } = referenceCases();
  const mine = cases.filter((c) => c.role === role);
  const rows = mine.flatMap((c) => {
    const m = modelBusbw(c.setup, c.op);
    return c.references.map((ref) => ({
      slide: ref.slide,
      op: c.op,
      config: c.config,
      reference: ref.busbw,
      model: Math.round(m.busbw * 10) / 10,
      errorPct: Math.round(pct(m.busbw, ref.busbw) * 10) / 10,
      limitPct: c.tolerancePct,
      algorithm: m.algorithm,
    }));
  });
  console.table(rows);
  expect(mine.length).toBeGreaterThanOrEqual(minimum);
  for (const r of rows)
    expect(Math.abs(r.errorPct), `${r.slide} ${r.op} ${r.config}`).toBeLessThanOrEqual(r.limitPct);
}
