/**
 * Fits a cluster's link constants to its own nccl-tests runs: for each tier (scale-up first, from the runs
 * whose ranks, placed as the file's hosts ran them, share one scale-up domain; then scale-out, from the
 * others, with the scale-up fit in place) the Simple-protocol link efficiency η and per-step latency α (LL
 * and LL128 α scale with it) that minimise the squared log error of the model's collective time over every
 * size of every run. The model is the closed form of src/collectives on the scenario's fabric, with the
 * tuner's algorithm and protocol choice. Search: a grid (η 0.05..1, α 0.1 µs..1 ms log-spaced), then
 * Nelder–Mead from its best point; a constant that ends at a bound is reported as a warning.
 */

import { rankLayout } from "../collectives/layout.js";
import { calibratedModel, MODEL, type ProtocolModel, type TierCalibration } from "../collectives/protocol.js";
import { collectiveTime } from "../collectives/run.js";
import type { CollectiveContext } from "../collectives/types.js";
import type { CollectiveOp } from "../scenario/types.js";
import { formatTime } from "../units/index.js";
import { atBound, minimize2 } from "./minimize.js";
import type { NcclRun } from "./nccl-tests.js";
import { placeRanks } from "./placement.js";

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
  /** Constants that ended at a bound of their search range (the measurements do not fit the model there). */
  warnings: string[];
}

export interface LinkFit {
  tiers: TierFit[];
  model: ProtocolModel;
}

// A link carries at most its line rate: the written override must load (hardware: takes efficiencies in (0, 1]).
const ETA = { min: 0.05, max: 1 };
const ALPHA = { min: 0.1e-6, max: 1e-3 };

/** A run with its ranks placed on the scenario's fabric (placeRanks). */
interface Placed {
  run: CalibrationRun;
  ranks: Int32Array;
}

/**
 * Which tier a run measures, from where its hosts' ranks sit on the scenario's fabric: ranks in more than
 * one scale-up domain measure scale-out; inside one, in-network when the tuner reduces in the switch at
 * the run's largest size (NVLS), else scale-up.
 */
export function tierOf(ctx: CollectiveContext, run: CalibrationRun): LinkTier {
  return placedTier(ctx, { run, ranks: placeRanks(ctx.fabric, run) });
}

function placedTier(ctx: CollectiveContext, p: Placed): LinkTier {
  if (rankLayout(ctx.fabric, ctx.router, p.ranks).domains.length > 1) return "scaleOut";
  const largest = p.run.rows.reduce((m, r) => Math.max(m, r.bytes), 0);
  const choice = collectiveTime({ ...ctx, fidelity: "analytical" }, p.run.op, p.ranks, largest);
  return choice.algorithm === "in-network" ? "inNetworkUp" : "scaleUp";
}

/** Model time of every row of the runs under `model`. */
function residuals(base: CollectiveContext, model: ProtocolModel, runs: Placed[]): Residual[] {
  const ctx: CollectiveContext = { ...base, fidelity: "analytical", model };
  const out: Residual[] = [];
  for (const { run, ranks } of runs) {
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

// What to check when a constant hits a bound: the model is that of the scenario's fabric.
const BOUND_HINT =
  "check that the scenario's fabric (bandwidths, NIC count, scale-up domain) is the measured cluster's, and which sizes the model cannot follow";

function boundWarnings(tier: LinkTier, eta: number, alphaS: number): string[] {
  const out: string[] = [];
  const etaAt = atBound(eta, ETA.min, ETA.max);
  if (etaAt) {
    out.push(
      `${tier}: link efficiency ${eta.toFixed(3)} is at the ${etaAt} bound of its search range [${ETA.min}, ${ETA.max}]; the measurements do not fit this model within its bounds (${BOUND_HINT})`,
    );
  }
  const alphaAt = atBound(Math.log(alphaS), Math.log(ALPHA.min), Math.log(ALPHA.max));
  if (alphaAt) {
    out.push(
      `${tier}: α ${formatTime(alphaS)} is at the ${alphaAt} bound of its search range [${formatTime(ALPHA.min)}, ${formatTime(ALPHA.max)}]; the measurements do not fit this model within its bounds (${BOUND_HINT})`,
    );
  }
  return out;
}

function fitTier(
  base: CollectiveContext,
  tier: LinkTier,
  list: Placed[],
  fitted: Partial<Record<LinkTier, TierCalibration>>,
): TierFit {
  const modelAt = (eta: number, alpha: number) =>
    calibratedModel({ ...fitted, [tier]: { linkEfficiency: eta, stepLatencyS: alpha } });
  // Search α on a log scale: it spans four decades.
  const loss = (eta: number, logAlpha: number) =>
    logLoss(residuals(base, modelAt(eta, Math.exp(logAlpha)), list));
  const best = minimize2(loss, [ETA.min, ETA.max], [Math.log(ALPHA.min), Math.log(ALPHA.max)], {
    grid: [15, 13],
  });
  const linkEfficiency = best[0];
  const stepLatencyS = Math.exp(best[1]);
  return {
    tier,
    linkEfficiency,
    stepLatencyS,
    runs: list.map((p) => p.run.file),
    residuals: residuals(base, modelAt(linkEfficiency, stepLatencyS), list),
    warnings: boundWarnings(tier, linkEfficiency, stepLatencyS),
  };
}

export function fitLinks(base: CollectiveContext, runs: CalibrationRun[]): LinkFit {
  const byTier: Record<LinkTier, Placed[]> = { scaleUp: [], inNetworkUp: [], scaleOut: [] };
  for (const run of runs) {
    const placed = { run, ranks: placeRanks(base.fabric, run) };
    byTier[placedTier(base, placed)].push(placed);
  }
  const fitted: Partial<Record<LinkTier, TierCalibration>> = {};
  const tiers: TierFit[] = [];
  for (const tier of ["scaleUp", "inNetworkUp", "scaleOut"] as const) {
    if (byTier[tier].length === 0) continue;
    const fit = fitTier(base, tier, byTier[tier], fitted);
    fitted[tier] = { linkEfficiency: fit.linkEfficiency, stepLatencyS: fit.stepLatencyS };
    tiers.push(fit);
  }
  return { tiers, model: Object.keys(fitted).length > 0 ? calibratedModel(fitted) : MODEL };
}
