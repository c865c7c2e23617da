/**
 * The numbers of a point, flat: every numeric leaf of a run's Results (the SCENARIO-v1 contract metrics,
 * keyed by their dotted path: `stepTimeS`, `breakdown.exposedCommS`, `ttftS.p99`) and of its plan
 * (`plan.costUsd`, `plan.powerW`, `plan.switches.leaf`), plus the figures sweeps rank by. Lists (timelines,
 * collective rows, flows) are kept whole in the results JSON; a collective's rows add `busbwGBps` of its
 * largest size and `timeUs` summed over its sizes.
 */
import type { PlanSummary } from "../report/plan.js";
import type { Results } from "../report/results.js";
import type { Scenario } from "../scenario/types.js";

export type Metrics = Record<string, number>;

const SKIPPED = new Set(["wallS", "timeline", "rows", "flows", "causes", "pools"]);

function flattenInto(out: Metrics, value: unknown, prefix: string): void {
  if (typeof value === "number") {
    if (Number.isFinite(value)) out[prefix] = value;
    return;
  }
  if (typeof value === "boolean") {
    out[prefix] = value ? 1 : 0;
    return;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (prefix === "" && SKIPPED.has(k)) continue;
    flattenInto(out, v, prefix ? `${prefix}.${k}` : k);
  }
}

/** Hours in a year, for the yearly figures. */
const HOURS_PER_YEAR = 8760;

/** Every metric of a run and its plan, flat, with the derived figures sweeps rank by. */
export function pointMetrics(
  results: Results,
  plan?: PlanSummary,
  scenario?: Pick<Scenario, "cluster">,
): Metrics {
  const m: Metrics = {};
  flattenInto(m, results, "");
  if (results.kind === "collective" && results.rows.length > 0) {
    const last = results.rows[results.rows.length - 1];
    m.busbwGBps = last.busbwGBps;
    m.algbwGBps = last.algbwGBps;
    m.timeUs = results.rows.reduce((s, r) => s + r.timeUs, 0);
  }
  if (plan) {
    flattenInto(m, { tiers: plan.tiers, switches: plan.switches, cables: plan.cables }, "plan");
    const { total: _cost, ...costParts } = plan.costUsd;
    const { total: _power, ...powerParts } = plan.powerW;
    flattenInto(m, costParts, "plan.costUsd");
    flattenInto(m, powerParts, "plan.powerW");
    // A bill's total is what people mean by "the cost" of a design: `plan.costUsd` is that number.
    m["plan.costUsd"] = plan.costUsd.total;
    m["plan.powerW"] = plan.powerW.total;
  }
  if (scenario) m.clusterUsdPerHour = clusterUsdPerHour(scenario);
  addDerived(m);
  return m;
}

/** What the cluster's accelerators cost per hour at the scenario's prices. */
export function clusterUsdPerHour(scenario: Pick<Scenario, "cluster">): number {
  let usd = 0;
  for (const g of scenario.cluster.groups) usd += g.nodes * g.acceleratorsPerNode * g.priceUsdPerHour;
  return usd;
}

/**
 * Figures a run implies but does not print: the cost of one training step at the cluster's price, the
 * yearly cost of network idle time, and goodput (tokens per second that meet the SLO) per dollar.
 */
function addDerived(m: Metrics): void {
  const usdPerHour = m.clusterUsdPerHour;
  if (m.stepTimeS !== undefined && usdPerHour !== undefined)
    m.costPerStepUsd = (usdPerHour * m.stepTimeS) / 3600;
  if (m.networkIdleCostUsdPerHour !== undefined)
    m.networkIdleCostUsdPerYear = m.networkIdleCostUsdPerHour * HOURS_PER_YEAR;
  if (m.throughputTokensPerS !== undefined) {
    const goodput = m.throughputTokensPerS * (m.goodputFraction ?? 1);
    m.goodputTokensPerS = goodput;
    const usd = m.costUsdPerHour ?? usdPerHour;
    if (usd) m.goodputPerDollar = (goodput * 3600) / usd;
  }
}
