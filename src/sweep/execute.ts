/**
 * Running one design point: `run(scenario)` with the built fabric and its bill of materials cached by the
 * hash of what they depend on (cluster, catalog, failures, seed), so points that differ only in the
 * workload or fidelity build the fabric once. The same function runs inline, in the worker-thread pool and
 * in a queue worker; a failing point becomes a row with its reason, never a failed sweep.
 */
import { WeftError } from "../errors.js";
import { type PlanSummary, planSummary } from "../report/plan.js";
import type { Results } from "../report/results.js";
import { run } from "../run.js";
import type { Scenario } from "../scenario/types.js";
import { fabricHash } from "../store/hash.js";
import { type Metrics, pointMetrics } from "../store/metrics.js";
import { buildScenarioFabric } from "../topology/build.js";
import type { Fabric } from "../topology/fabric.js";

export interface PointOutcome {
  hash: string;
  name: string;
  kind: string;
  fidelity: string;
  status: "ok" | "error";
  reason?: string;
  metrics: Metrics;
  /** The run's Results without the step timeline (which the SVG shows and the store does not need). */
  results?: unknown;
  wallS: number;
}

/** Fabrics kept per runner: a sweep's axes rarely cross more than a few cluster designs at a time. */
const CACHED_FABRICS = 8;

export type PointRunner = (scenario: Scenario, hash: string) => Promise<PointOutcome>;

/** A runner with its own fabric and plan caches (one per thread or worker process). */
export function makePointRunner(): PointRunner {
  const fabrics = new Map<string, Fabric>();
  const plans = new Map<string, PlanSummary>();
  const fabricFor = (s: Scenario): Fabric => {
    // Failures degrade a fabric's links in place: such a fabric is built for its run alone.
    if (s.failures.length > 0) return buildScenarioFabric(s);
    const key = fabricHash(s);
    let f = fabrics.get(key);
    if (f) {
      fabrics.delete(key); // re-inserted below: the map's order is the recency order
    } else {
      f = buildScenarioFabric(s);
      if (fabrics.size >= CACHED_FABRICS) fabrics.delete(fabrics.keys().next().value as string);
    }
    fabrics.set(key, f);
    return f;
  };
  const planFor = (s: Scenario): PlanSummary => {
    const key = fabricHash(s);
    let p = plans.get(key);
    if (!p) {
      p = planSummary(s.failures.length > 0 ? buildScenarioFabric(s) : fabricFor(s), s);
      if (plans.size >= 256) plans.clear();
      plans.set(key, p);
    }
    return p;
  };
  return async (scenario, hash) => {
    const started = performance.now();
    const base = {
      hash,
      name: scenario.name,
      kind: scenario.workload.kind,
      fidelity: scenario.simulation.fidelity,
    };
    try {
      const results = await run(scenario, { fabricFor });
      const metrics = pointMetrics(results, planFor(scenario), scenario);
      return { ...base, status: "ok", metrics, results: compact(results), wallS: results.wallS };
    } catch (e) {
      const reason = e instanceof WeftError ? e.detail : `internal error: ${(e as Error).message}`;
      return { ...base, status: "error", reason, metrics: {}, wallS: (performance.now() - started) / 1000 };
    }
  };
}

function compact(results: Results): unknown {
  if (results.kind !== "training") return results;
  const { timeline: _timeline, ...rest } = results;
  return rest;
}
