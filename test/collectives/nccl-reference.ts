/**
 * A published nccl-tests all-reduce sweep (data/calibration) next to the model's, size by size: the
 * measured out-of-place busbw, the flow engine's and the closed form's, their errors, and the tolerance.
 */
import path from "node:path";
import { runCollectiveWorkload } from "../../src/collectives/index.js";
import type { CollectiveResults } from "../../src/results/types.js";
import { REPO_ROOT, readDataCsv } from "../helpers/data.js";
import { builtFile, pct } from "./helpers.js";

export const MiB = 2 ** 20;

interface Reference {
  size: number;
  busbw: number;
}

export function reference(file: string): Reference[] {
  return readDataCsv(`calibration/${file}`).map((r) => ({
    size: Number(r.size_bytes),
    busbw: Number(r.oop_busbw_GBps),
  }));
}

export function sweep(example: string): { flow: CollectiveResults; analytical: CollectiveResults } {
  const b = builtFile(path.join(REPO_ROOT, "examples", example));
  return {
    flow: runCollectiveWorkload(b.scenario, b.fabric, b.ctx("flow")),
    analytical: runCollectiveWorkload(b.scenario, b.fabric, b.ctx("analytical")),
  };
}

export interface Row {
  size: string;
  measured: number;
  flow: number;
  errorPct: number;
  analytical: number;
  enginesPct: number;
  algorithm: string;
  limitPct: number | string;
}

export function table(
  refs: Reference[],
  r: ReturnType<typeof sweep>,
  limit: (size: number) => number | undefined,
): Row[] {
  return refs.map((ref) => {
    const flow = r.flow.rows.find((x) => x.sizeBytes === ref.size);
    const analytical = r.analytical.rows.find((x) => x.sizeBytes === ref.size);
    if (!flow || !analytical) throw new Error(`no model row for ${ref.size} B`);
    return {
      size: ref.size >= MiB ? `${ref.size / MiB} MiB` : `${ref.size} B`,
      measured: ref.busbw,
      flow: round(flow.busbwGBps),
      errorPct: round(pct(flow.busbwGBps, ref.busbw)),
      analytical: round(analytical.busbwGBps),
      enginesPct: round(pct(flow.busbwGBps, analytical.busbwGBps)),
      algorithm: flow.algorithm,
      limitPct: limit(ref.size) ?? "-",
    };
  });
}

export function round(x: number): number {
  return Math.round(x * 100) / 100;
}
