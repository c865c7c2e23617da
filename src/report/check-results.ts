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
  // The path to the value is kept as a stack of keys and indices and spelled out only for an error: a
  // result holds thousands of numbers (timelines, distributions), and most runs have no error.
  const path: (string | number)[] = [];
  const kinds = new Map<string, number>();
  const visit = (value: unknown, kind: number): void => {
    if (typeof value === "number") {
      if (!(Number.isFinite(value) && value >= 0) || kind !== 0)
        checkNumber(value, path, kind, maxGBps, scenario);
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        visit(value[i], kind);
        path.pop();
      }
    } else if (value && typeof value === "object") {
      const moved = !isEmptyBuffer(value);
      for (const k in value) {
        let kk = kinds.get(k);
        if (kk === undefined) {
          kk = keyKind(k);
          kinds.set(k, kk);
        }
        path.push(k);
        visit((value as Record<string, unknown>)[k], moved ? kk : kk & ~K_POSITIVE);
        path.pop();
      }
    }
  };
  visit(results, 0);
}

/**
 * A collective row of a 0-byte buffer (nccl-tests' all-gather of 8 B on 16 ranks gives each rank nothing):
 * NCCL returns from a collective of count 0 without launching anything, so its time may be zero.
 */
function isEmptyBuffer(value: object): boolean {
  return (value as { sizeBytes?: unknown }).sizeBytes === 0;
}

const K_POSITIVE = 1;
const K_FRACTION = 2;
const K_BANDWIDTH = 4;

/** What a key's numbers must also satisfy beyond finite and ≥ 0, as bits. */
function keyKind(key: string): number {
  return (
    (POSITIVE.has(key) ? K_POSITIVE : 0) |
    (FRACTION.test(key) ? K_FRACTION : 0) |
    (BANDWIDTH.test(key) ? K_BANDWIDTH : 0)
  );
}

function spell(path: readonly (string | number)[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

function checkNumber(
  x: number,
  path: readonly (string | number)[],
  kind: number,
  maxGBps: number,
  scenario: Scenario,
): void {
  const bad = (why: string): never => {
    throw new ResultCheckError(
      `bug: the results of scenario "${scenario.name}"${scenario.file ? ` (${scenario.file})` : ""} have ${spell(path)} = ${x}, ${why}. This is a defect in Weft's models, not in the scenario; please report it with the scenario file`,
    );
  };
  if (!Number.isFinite(x)) bad("not a finite number");
  if (x < 0) bad("below zero");
  if (kind & K_POSITIVE && !(x > 0)) bad("expected a time greater than zero");
  if (kind & K_FRACTION && x > 1 + 1e-9) bad("expected a fraction between 0 and 1");
  if (kind & K_BANDWIDTH && x > maxGBps * (1 + 1e-6))
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
