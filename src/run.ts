/**
 * The one core every shell (CLI, library, server, sweep workers) calls: scenario → fabric → routes →
 * workload on an engine → Results. Plain data in, plain data out.
 */
import { collectiveTime, runCollectiveWorkload } from "./collectives/run.js";
import { WeftError } from "./errors.js";
import { checkEstimate, explainAllocationFailure } from "./estimate/check.js";
import type { RunLimits } from "./estimate/work.js";
import { writeFileAtomic } from "./files/write.js";
import { runJobs } from "./jobs/run-jobs.js";
import { checkResults } from "./report/check-results.js";
import { writeQueueTrace } from "./report/queue-trace.js";
import { writeRequestsCsv } from "./report/requests-csv.js";
import { trainingTimelineSvg } from "./report/training-svg.js";
import type { Results } from "./results/types.js";
import { positionOf } from "./scenario/source-map.js";
import type { Fidelity, Scenario } from "./scenario/types.js";
import type { PacketEngineOptions } from "./sim/engines/packet/params.js";
import type { Fabric } from "./topology/fabric.js";
import { simulateInference } from "./workload/inference/run.js";
import { type NetworkSetup, setupNetwork } from "./workload/network.js";
import { simulateTraffic } from "./workload/traffic/run.js";
import { collectiveCommModel, fabricCommModels, nonBlockingScenario } from "./workload/training/comm.js";
import { runTraining } from "./workload/training/step.js";

export { type NetworkSetup, setupNetwork };

export interface RunOptions {
  /** Overrides the scenario's `simulation.fidelity`. */
  fidelity?: Fidelity;
  /** Called as work advances (sizes of a sweep, steps of a simulation). */
  onProgress?: (done: number, total: number, label?: string) => void;
  /** Training: write the step timeline as SVG here. */
  svgFile?: string;
  /** Inference: write per-request results as CSV here. */
  requestsFile?: string;
  /** Traffic: write a per-queue time series as CSV here (packet fidelity). */
  traceFile?: string;
  /**
   * Training: also time the step on a non-blocking copy of the fabric (default true). Skipped anyway when
   * the fabric is already non-blocking, where it would repeat the run.
   */
  whatIf?: boolean;
  /** Run even when the estimate is over the limits (docs/limits.md). */
  force?: boolean;
  /** Tighter limits than the defaults (5 min, 3 GiB) for the estimate. */
  limits?: Partial<RunLimits>;
  /**
   * Packet fidelity: called every 65,536 events; returning true stops the simulation. A traffic run
   * then returns what finished, marked `partial`; any other workload ends with an "interrupted" error.
   */
  onPacketTick?: PacketEngineOptions["onTick"];
  /**
   * The built fabric of a scenario (default: build it). Sweeps pass a cache, so points that differ only
   * in the workload share one fabric. The fabric must not be shared where failures degrade links.
   */
  fabricFor?: (scenario: Scenario) => Fabric;
}

/**
 * Runs a scenario: estimated first (a run over the limits stops here unless forced), then simulated, and
 * its results checked on the way out (a number out of range is a bug, reported as one).
 */
export async function run(scenario: Scenario, options: RunOptions = {}): Promise<Results> {
  if (options.fidelity)
    scenario = { ...scenario, simulation: { ...scenario.simulation, fidelity: options.fidelity } };
  const estimate = checkEstimate(scenario, { force: options.force, limits: options.limits });
  let results: Results;
  try {
    results = await simulate(scenario, options);
  } catch (err) {
    throw locate(explainAllocationFailure(err, scenario, estimate), scenario);
  }
  checkResults(results, scenario);
  return results;
}

/**
 * A check made during the run names the scenario key that caused it (or, when it cannot, the workload):
 * either way the user sees `file:line:col`.
 */
function locate(err: unknown, scenario: Scenario): unknown {
  if (!(err instanceof WeftError) || err.position.line !== undefined) return err;
  const key = err.key ?? `workload.${scenario.workload.kind}`;
  return new WeftError(err.detail, positionOf(scenario, key), err.exitCode);
}

async function simulate(scenario: Scenario, options: RunOptions): Promise<Results> {
  if (scenario.jobs) return runJobs(scenario, options.onProgress);
  const net = setupNetwork(scenario, options.fabricFor?.(scenario), options.onPacketTick);
  scenario = net.scenario;
  const w = scenario.workload;
  switch (w.kind) {
    case "collective":
      return runCollectiveWorkload(scenario, net.fabric, net.collectives, options.onProgress);
    case "training": {
      // The what-if: the same step on a non-blocking fabric, computed in the same run.
      const nonBlocking = nonBlockingScenario(scenario);
      const ideal =
        options.whatIf !== false && isOversubscribed(scenario)
          ? setupNetwork(nonBlocking, options.fabricFor?.(nonBlocking))
          : undefined;
      const models = fabricCommModels(scenario, net.collectives, ideal?.collectives);
      const results = runTraining(scenario, { fabric: net.fabric, ...models });
      if (options.svgFile) writeFileAtomic(options.svgFile, trainingTimelineSvg(results));
      return results;
    }
    case "traffic": {
      const traffic = simulateTraffic(scenario, net.fabric, net.router, scenario.simulation.fidelity, {
        trace: options.traceFile !== undefined,
        failures: net.linkFailures,
        onTick: options.onPacketTick,
      });
      if (options.traceFile && traffic.trace) writeQueueTrace(options.traceFile, net.fabric, traffic.trace);
      return traffic.results;
    }
    case "inference": {
      const serving = simulateInference(scenario, {
        fabric: net.fabric,
        router: net.router,
        engine: net.engine,
        comm: collectiveCommModel(net.collectives),
        linkFailures: net.linkFailures,
      });
      if (options.requestsFile) writeRequestsCsv(options.requestsFile, serving.records);
      return serving.results;
    }
  }
}

/** Whether any scale-out tier has less bandwidth up than down (what the non-blocking what-if removes). */
export function isOversubscribed(scenario: Scenario): boolean {
  const { leaf, spine } = scenario.cluster.scaleOut.oversubscription;
  return leaf > 1 || spine > 1;
}

export { collectiveTime };
