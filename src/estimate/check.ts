/**
 * Stops a run that would take too long or too much memory before it starts, with the estimate and what
 * to change; `force` runs it anyway. The error points at the key that drives the estimate.
 */
import type { WeftError } from "../errors.js";
import { scenarioError } from "../scenario/source-map.js";
import type { Scenario } from "../scenario/types.js";
import { formatBytes, formatCount, formatTime } from "../units/format.js";
import { type Estimate, estimateRun, RUN_LIMITS, type RunLimits } from "./work.js";

export function checkEstimate(
  scenario: Scenario,
  options: { force?: boolean; limits?: Partial<RunLimits> } = {},
): Estimate {
  const estimate = estimateRun(scenario);
  const limits = { ...RUN_LIMITS, ...options.limits };
  if (!options.force && (estimate.seconds > limits.seconds || estimate.bytes > limits.bytes)) {
    throw tooLarge(scenario, estimate, limits);
  }
  return estimate;
}

/** `1,000,000 accelerators, 8,000,000 links, 66,000,000 flows` */
export function describeWork(e: Estimate): string {
  const parts = [
    `${formatCount(e.fabric.accelerators || e.fabric.endpoints)} ${e.fabric.accelerators ? "accelerators" : "endpoints"}`,
    `${formatCount(Math.round(e.fabric.links))} links`,
  ];
  if (e.flows > 0) parts.push(`${formatCount(Math.round(e.flows))} flows`);
  if (e.packets > 0) parts.push(`${formatCount(Math.round(e.packets))} packets`);
  if (e.events > 0) parts.push(`${formatCount(Math.round(e.events))} events`);
  if (e.requests > 0) parts.push(`${formatCount(e.requests)} requests`);
  return parts.join(", ");
}

function tooLarge(scenario: Scenario, e: Estimate, limits: RunLimits): WeftError {
  return scenarioError(
    scenario,
    e.driver,
    `this run is too large to start at ${e.fidelity} fidelity: ${describeWork(e)}; about ${formatTime(e.seconds)} and ${formatBytes(e.bytes)}, over the limits of ${formatTime(limits.seconds)} and ${formatBytes(limits.bytes)}. ${advice(e)}, or add --force to run it anyway`,
  );
}

/**
 * A typed array or buffer the engine could not allocate, named with the scenario's size and the key that
 * drives it; any other error passes through unchanged.
 */
export function explainAllocationFailure(err: unknown, scenario: Scenario, e: Estimate): unknown {
  const message = err instanceof Error ? err.message : "";
  const allocation =
    err instanceof RangeError &&
    /Invalid typed array length|Array buffer allocation failed|Invalid array length|Array buffer allocation/.test(
      message,
    );
  if (!allocation) return err;
  return scenarioError(
    scenario,
    e.driver,
    `out of memory: this run (${describeWork(e)}; estimated ${formatBytes(e.bytes)}) needs more memory than this machine gave it (${message}). ${advice(e)}`,
  );
}

function advice(e: Estimate): string {
  if (e.fidelity === "packet")
    return "Expected a packet run of up to about 10^7 packets: use --fidelity flow or analytical, or fewer or smaller flows";
  if (e.fidelity === "flow") return "Use --fidelity analytical, or fewer nodes, flows or sizes";
  return "Use fewer nodes or sizes";
}
