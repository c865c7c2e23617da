/**
 * Fits a cluster's link constants to its own nccl-tests runs: for each tier (scale-up first, from the runs
 * whose ranks share one scale-up domain; then scale-out, from the others, with the scale-up fit in place)
 * the Simple-protocol link efficiency η and per-step latency α (LL and LL128 α scale with it) that minimise
 * the squared log error of the model's collective time over every size of every run. The model is the
 * closed form of src/collectives on the scenario's fabric, with the tuner's algorithm and protocol choice.
 * Search: a grid (η 0.05..1.5, α 0.1..200 µs log-spaced), then Nelder–Mead from its best point.
 */

import { rankLayout } from "../collectives/layout.js";
import { calibratedModel, MODEL, type ProtocolModel, type TierCalibration } from "../collectives/protocol.js";
import { collectiveTime } from "../collectives/run.js";
import type { CollectiveContext } from "../collectives/types.js";
import { WeftError } from "../errors.js";
import type { CollectiveOp } from "../scenario/types.js";
import { minimize2 } from "./minimize.js";
import type { NcclRun } from "./nccl-tests.js";

/** The tiers a run can calibrate: ranks of one domain (through the switch when it reduces), or across. */
export type LinkTier = "scaleUp" | "inNetworkUp" | "scaleOut";

export interface CalibrationRun extends NcclRun {
  op: CollectiveOp;
  ranks: number;
}

export interface Residual {
  file: string;
  bytes: number;
  measuredS: number;
  modelS: number;
  /** model / measured − 1 */
  err: number;
}

export interface TierFit {
  tier: LinkTier;
  linkEfficiency: number;
  stepLatencyS: number;
  runs: string[];
  residuals: Residual[];
}

export interface LinkFit {
  tiers: TierFit[];
  model: ProtocolModel;
}

// A link carries at most its line rate: the written override must load (hardware: takes efficiencies in (0, 1]).
const ETA = { min: 0.05, max: 1 };
const ALPHA = { min: 0.1e-6, max: 1e-3 };

function ranksOf(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/**
 * Which tier a run measures: across domains scale-out; inside one, in-network when the tuner reduces in
 * the switch at the run's largest size (NVLS), else scale-up.
 */
export function tierOf(ctx: CollectiveContext, run: CalibrationRun): LinkTier {
  if (run.ranks > ctx.fabric.accelerators.count) {
    throw new WeftError(
      `${run.file}: ${run.ranks} ranks, but the scenario's cluster has ${ctx.fabric.accelerators.count} accelerators; expected a scenario of the cluster the runs were measured on`,
    );
  }
  const ranks = ranksOf(run.ranks);
  if (rankLayout(ctx.fabric, ctx.router, ranks).domains.length > 1) return "scaleOut";
  const largest = run.rows.reduce((m, r) => Math.max(m, r.bytes), 0);
  const choice = collectiveTime({ ...ctx, fidelity: "analytical" }, run.op, ranks, largest);
  return choice.algorithm === "in-network" ? "inNetworkUp" : "scaleUp";
}

/** Model time of every row of the runs under `model`. */
export function residuals(base: CollectiveContext, model: ProtocolModel, runs: CalibrationRun[]): Residual[] {
  const ctx: CollectiveContext = { ...base, fidelity: "analytical", model };
  const out: Residual[] = [];
  for (const run of runs) {
    const ranks = ranksOf(run.ranks);
    for (const row of run.rows) {
      const modelS = collectiveTime(ctx, run.op, ranks, row.bytes).timeS;
      out.push({
        file: run.file,
        bytes: row.bytes,
        measuredS: row.timeS,
        modelS,
        err: modelS / row.timeS - 1,
      });
    }
  }
  return out;
}

function logLoss(res: Residual[]): number {
  let s = 0;
  for (const r of res) s += Math.log(r.modelS / r.measuredS) ** 2;
  return s / Math.max(1, res.length);
}

export function fitLinks(base: CollectiveContext, runs: CalibrationRun[]): LinkFit {
  const byTier: Record<LinkTier, CalibrationRun[]> = { scaleUp: [], inNetworkUp: [], scaleOut: [] };
  for (const run of runs) byTier[tierOf(base, run)].push(run);
  const fitted: Partial<Record<LinkTier, TierCalibration>> = {};
  const tiers: TierFit[] = [];
  for (const tier of ["scaleUp", "inNetworkUp", "scaleOut"] as const) {
    const list = byTier[tier];
    if (list.length === 0) continue;
    const modelAt = (eta: number, alpha: number) =>
      calibratedModel({ ...fitted, [tier]: { linkEfficiency: eta, stepLatencyS: alpha } });
    // Search α on a log scale: it spans three decades.
    const loss = (eta: number, logAlpha: number) =>
      logLoss(residuals(base, modelAt(eta, Math.exp(logAlpha)), list));
    const best = minimize2(loss, [ETA.min, ETA.max], [Math.log(ALPHA.min), Math.log(ALPHA.max)], {
      grid: [15, 13],
    });
    const linkEfficiency = best[0];
    const stepLatencyS = Math.exp(best[1]);
    fitted[tier] = { linkEfficiency, stepLatencyS };
    tiers.push({
      tier,
      linkEfficiency,
      stepLatencyS,
      runs: list.map((r) => r.file),
      residuals: residuals(base, modelAt(linkEfficiency, stepLatencyS), list),
    });
  }
  return { tiers, model: Object.keys(fitted).length > 0 ? calibratedModel(fitted) : MODEL };
}
