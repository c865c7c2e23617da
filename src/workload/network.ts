/**
 * The network side of a run, built once: the fabric, its failures resolved, the router, the engine for the
 * scenario's fidelity and the collectives' context. Every workload, job and the fabric manager's timing
 * start from it.
 */
import { collectiveContext } from "../collectives/run.js";
import type { CollectiveContext } from "../collectives/types.js";
import { WeftError } from "../errors.js";
import { makeRouter } from "../routing/index.js";
import type { Router } from "../routing/types.js";
import type { Fidelity, Scenario } from "../scenario/types.js";
import { engineFor } from "../sim/engines/index.js";
import { runPacketEngine } from "../sim/engines/packet/engine.js";
import type { LinkFailure, PacketEngineOptions } from "../sim/engines/packet/params.js";
import { packetOptionsFor } from "../sim/engines/packet/scenario-options.js";
import type { FlowEngine } from "../sim/engines/types.js";
import { applyStaticFailures, resolveFailures } from "../sim/failures.js";
import { buildScenarioFabric } from "../topology/build.js";
import type { Fabric } from "../topology/fabric.js";
import { formatCount } from "../units/format.js";

/** Everything a workload needs from the network side, built once per run. */
export interface NetworkSetup {
  scenario: Scenario;
  fabric: Fabric;
  router: Router;
  engine: FlowEngine;
  fidelity: Fidelity;
  collectives: CollectiveContext;
  /** The scenario's failures resolved to links (timed in the packet engine, static in the fluid ones). */
  linkFailures: LinkFailure[];
}

export function setupNetwork(
  scenario: Scenario,
  fabric: Fabric = buildScenarioFabric(scenario),
  onPacketTick?: PacketEngineOptions["onTick"],
): NetworkSetup {
  const fidelity = scenario.simulation.fidelity;
  const linkFailures = resolveFailures(fabric, scenario.failures, scenario.simulation.seed);
  // The packet engine fails links at their time; the fluid engines see failures from the start.
  const { failed, warnings } =
    fidelity === "packet" ? { failed: undefined, warnings: [] } : applyStaticFailures(fabric, linkFailures);
  if (warnings.length) scenario = { ...scenario, warnings: [...(scenario.warnings ?? []), ...warnings] };
  const router = makeRouter(fabric, {
    loadBalancing: scenario.cluster.transport.loadBalancing,
    railAware: true,
    seed: scenario.simulation.seed,
    failed,
  });
  const engine = networkEngine(scenario, linkFailures, onPacketTick);
  const collectives = collectiveContext(scenario, fabric, router, engine);
  return { scenario, fabric, router, engine, fidelity, collectives, linkFailures };
}

/**
 * The engine that times a set of flows at the scenario's fidelity. At packet fidelity collectives and
 * training communication run packet by packet too (meant for small scales: every phase is a full packet
 * simulation).
 */
export function networkEngine(
  scenario: Scenario,
  linkFailures: LinkFailure[],
  onTick?: PacketEngineOptions["onTick"],
): FlowEngine {
  const fidelity = scenario.simulation.fidelity;
  if (fidelity !== "packet") return engineFor(fidelity);
  const options = { ...packetOptionsFor(scenario, linkFailures), onTick };
  return (f, router, flows) => {
    const result = runPacketEngine(f, router, flows, options);
    // A collective or a step half simulated has no meaningful time: stopping ends the run.
    if (result.packets.stopped)
      throw new WeftError(
        `interrupted after ${formatCount(result.packets.events)} packet events; only traffic workloads keep a partial result`,
        {},
        130,
      );
    return result;
  };
}
