/**
 * `weft compare A.yaml B.yaml`: two designs side by side. Both scenarios run at the same fidelity; every
 * headline metric of the workload and the bill of materials (switches and cables by tier, optics, cost
 * and power by part) is printed with the change from A to B, in the terminal or as JSON.
 */
import { planSummary } from "../report/plan.js";
import { formatTable } from "../report/table.js";
import type { Results } from "../results/types.js";
import { run } from "../run.js";
import { loadScenario } from "../scenario/load.js";
import type { Fidelity, Scenario } from "../scenario/types.js";
import { pointMetrics } from "../store/metrics.js";
import { formatMetric } from "../sweep/format.js";
import { buildScenarioFabric } from "../topology/build.js";
import { formatBytes, formatPercent } from "../units/index.js";
import { makeProgress } from "./progress.js";

export interface CompareFlags {
  fidelity?: Fidelity;
  json?: boolean;
  all?: boolean;
}

/** The metrics a comparison shows first, by workload. */
const HEADLINES: Record<string, string[]> = {
  training: [
    "stepTimeS",
    "mfu",
    "tflopsPerAccelerator",
    "breakdown.computeS",
    "breakdown.exposedCommS",
    "breakdown.bubbleS",
    "exposedCommByKind.tp",
    "exposedCommByKind.pp",
    "exposedCommByKind.dp",
    "exposedCommByKind.ep",
    "exposedCommByKind.cp",
    "networkIdleFraction",
    "networkIdleCostUsdPerHour",
    "whatIf.nonBlockingStepTimeS",
    "memoryPerRankBytes.total",
    "costPerStepUsd",
  ],
  collective: ["busbwGBps", "algbwGBps", "timeUs"],
  inference: [
    "ttftS.p50",
    "ttftS.p99",
    "tpotS.p50",
    "tpotS.p99",
    "throughputTokensPerS",
    "goodputFraction",
    "kvTransferS.p99",
    "networkShareOfLatency",
    "costUsdPerHour",
    "goodputPerDollar",
  ],
  traffic: ["fctUs.p50", "fctUs.p99", "fctUs.max"],
};

export interface CompareRow {
  metric: string;
  /** A collective's per-size rows: the message size the metric is at. */
  sizeBytes?: number;
  a: number | undefined;
  b: number | undefined;
  delta: number | undefined;
  /** (b - a) / a; undefined when a is 0 or missing. */
  relative: number | undefined;
}

export interface Comparison {
  a: { scenario: string; file: string };
  b: { scenario: string; file: string };
  fidelity: Fidelity;
  metrics: CompareRow[];
  billOfMaterials: CompareRow[];
}

async function measure(s: Scenario, onProgress: (d: number, t: number, l?: string) => void) {
  const results = await run(s, { onProgress });
  const plan = planSummary(buildScenarioFabric(s), s);
  return { results, metrics: pointMetrics(results, plan, s) };
}

/**
 * Two collective sweeps, size by size over the sizes both ran: time and bus bandwidth at each. Their
 * summary metrics (time summed over the sizes, busbw of the largest) compare only like with like.
 */
function sizeRows(a: Results, b: Results): CompareRow[] {
  if (a.kind !== "collective" || b.kind !== "collective") return [];
  const other = new Map(b.rows.map((r) => [r.sizeBytes, r]));
  return a.rows.flatMap((ra) => {
    const rb = other.get(ra.sizeBytes);
    if (!rb) return [];
    return (["timeUs", "busbwGBps"] as const).map((metric) => ({
      ...rowsOf([metric], { [metric]: ra[metric] }, { [metric]: rb[metric] })[0],
      sizeBytes: ra.sizeBytes,
    }));
  });
}

function rowsOf(keys: string[], a: Record<string, number>, b: Record<string, number>): CompareRow[] {
  return keys
    .filter((k) => a[k] !== undefined || b[k] !== undefined)
    .map((metric) => {
      const x = a[metric];
      const y = b[metric];
      const delta = x !== undefined && y !== undefined ? y - x : undefined;
      return {
        metric,
        a: x,
        b: y,
        delta,
        relative: delta !== undefined && x !== 0 ? delta / Math.abs(x) : undefined,
      };
    });
}

export async function compareScenarios(
  fileA: string,
  fileB: string,
  flags: CompareFlags,
  onProgress: (d: number, t: number, l?: string) => void = () => {},
): Promise<Comparison> {
  const a = loadScenario(fileA);
  const b = loadScenario(fileB);
  const fidelity = flags.fidelity ?? a.simulation.fidelity;
  a.simulation.fidelity = fidelity;
  b.simulation.fidelity = fidelity;
  const { results: ra, metrics: ma } = await measure(a, onProgress);
  const { results: rb, metrics: mb } = await measure(b, onProgress);
  const kinds = new Set([a.workload.kind, b.workload.kind]);
  const bySize = sizeRows(ra, rb);
  const headline = [...kinds].flatMap((k) =>
    k === "collective" && kinds.size === 1 ? [] : (HEADLINES[k] ?? []),
  );
  const isPlan = (k: string) => k.startsWith("plan.");
  const rest = flags.all
    ? [...new Set([...Object.keys(ma), ...Object.keys(mb)])]
        .filter((k) => !isPlan(k) && !headline.includes(k))
        .sort()
    : [];
  const planKeys = [...new Set([...Object.keys(ma), ...Object.keys(mb)])].filter(isPlan).sort(planOrder);
  return {
    a: { scenario: a.name, file: fileA },
    b: { scenario: b.name, file: fileB },
    fidelity,
    metrics: [...bySize, ...rowsOf([...headline, ...rest, "clusterUsdPerHour"], ma, mb)],
    billOfMaterials: rowsOf(planKeys, ma, mb),
  };
}

/** Totals first, then parts: `plan.costUsd`, `plan.costUsd.switches`, ..., `plan.switches.leaf`, ... */
function planOrder(x: string, y: string): number {
  const rank = (k: string) =>
    ["plan.costUsd", "plan.powerW", "plan.tiers"].indexOf(k) >= 0
      ? ["plan.costUsd", "plan.powerW", "plan.tiers"].indexOf(k)
      : 3 +
        ["plan.switches", "plan.cables", "plan.costUsd", "plan.powerW"].findIndex((p) =>
          k.startsWith(`${p}.`),
        );
  return rank(x) - rank(y) || x.localeCompare(y);
}

function formatRows(rows: CompareRow[]): string[][] {
  return rows.map((r) => [
    r.sizeBytes === undefined ? r.metric : `${r.metric} at ${formatBytes(r.sizeBytes)}`,
    formatMetric(r.metric, r.a),
    formatMetric(r.metric, r.b),
    r.delta === undefined ? "-" : `${r.delta > 0 ? "+" : ""}${formatMetric(r.metric, r.delta)}`,
    r.relative === undefined ? "-" : `${r.relative > 0 ? "+" : ""}${formatPercent(r.relative)}`,
  ]);
}

export function formatComparison(c: Comparison): string {
  const header = ["metric", "A", "B", "B - A", "change"];
  return [
    `A: ${c.a.scenario} (${c.a.file})`,
    `B: ${c.b.scenario} (${c.b.file})`,
    `fidelity: ${c.fidelity}`,
    "",
    formatTable(header, formatRows(c.metrics)),
    "",
    "Bill of materials",
    formatTable(header, formatRows(c.billOfMaterials)),
  ].join("\n");
}

export async function compareCommand(fileA: string, fileB: string, flags: CompareFlags): Promise<void> {
  const progress = makeProgress(!flags.json);
  const c = await compareScenarios(fileA, fileB, flags, progress.update).finally(progress.stop);
  process.stdout.write(flags.json ? `${JSON.stringify(c, null, 2)}\n` : `${formatComparison(c)}\n`);
}
