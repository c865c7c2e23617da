/**
 * Results are checked on the way out: every number finite and within what it can mean (times and counts
 * not negative, the headline times positive, fractions within [0, 1], bandwidths within the line rates a
 * rank has). A value outside is a defect in a model, never a result: it is reported as a bug naming the
 * scenario and the value, and nothing is printed.
 */

import type { Results } from "../results/types.js";
import type { Scenario } from "../scenario/types.js";

export class ResultCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ResultCheckError";
  }
}

/** Keys whose values are fractions of a whole. */
const FRACTION = /(Fraction|Share|ShareOfLatency|^mfu|^utilization)$/;
/** Headline times that a run which did anything cannot report as zero. */
const POSITIVE = new Set(["stepTimeS", "timeUs", "makespanS"]);
/** Bandwidth keys, GB/s. */
const BANDWIDTH = /GBps$/;

export function checkResults(results: Results, scenario: Scenario): void {
  const maxGBps = (2 * rankLineRate(scenario)) / 1e9;
  const visit = (value: unknown, path: string, key: string): void => {
    if (typeof value === "number") checkNumber(value, path, key, maxGBps, scenario);
    else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) visit(value[i], `${path}[${i}]`, key);
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) visit(v, path ? `${path}.${k}` : k, k);
    }
  };
  visit(results, "", "");
}

function checkNumber(x: number, path: string, key: string, maxGBps: number, scenario: Scenario): void {
  const bad = (why: string): never => {
    throw new ResultCheckError(
      `bug: the results of scenario "${scenario.name}"${scenario.file ? ` (${scenario.file})` : ""} have ${path} = ${x}, ${why}. This is a defect in Weft's models, not in the scenario; please report it with the scenario file`,
    );
  };
  if (!Number.isFinite(x)) bad("not a finite number");
  if (x < 0) bad("below zero");
  if (POSITIVE.has(key) && !(x > 0)) bad("expected a time greater than zero");
  if (FRACTION.test(key) && x > 1 + 1e-9) bad("expected a fraction between 0 and 1");
  if (BANDWIDTH.test(key) && x > maxGBps * (1 + 1e-6))
    bad(`more than twice the ${maxGBps / 2} GB/s a rank can send (in-network reduction at most doubles it)`);
}

/** The most a rank can inject: its scale-up bandwidth plus its share of the node's NICs, bytes/s. */
function rankLineRate(scenario: Scenario): number {
  let best = 0;
  for (const g of scenario.cluster.groups) {
    const perNode = g.kind === "accelerator" ? g.acceleratorsPerNode : 1;
    const nic = (g.nics.count * g.nics.bandwidth * scenario.cluster.scaleOut.planes) / perNode;
    best = Math.max(best, nic + (g.scaleUp?.bandwidth ?? 0));
  }
  return best;
}
