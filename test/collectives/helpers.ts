/** Scenario → fabric → collective context, for the collectives tests. */
import { stringify } from "yaml";
import { type CollectiveContext, inNetworkOf } from "../../src/collectives/index.js";
import { makeRouter } from "../../src/routing/index.js";
import { loadScenario, parseScenario } from "../../src/scenario/load.js";
import type { Scenario } from "../../src/scenario/types.js";
import { engineFor } from "../../src/sim/engines/index.js";
import { buildScenarioFabric } from "../../src/topology/build.js";
import type { Fabric } from "../../src/topology/fabric.js";

export interface Built {
  scenario: Scenario;
  fabric: Fabric;
  ctx: (fidelity: "analytical" | "flow") => CollectiveContext;
}

export function built(scenario: Scenario): Built {
  const fabric = buildScenarioFabric(scenario);
  const lb = scenario.cluster.transport.loadBalancing;
  const router = makeRouter(fabric, { loadBalancing: lb, railAware: true, seed: scenario.simulation.seed });
  const inNetwork = inNetworkOf(scenario);
  return {
    scenario,
    fabric,
    ctx: (fidelity) => ({
      fabric,
      router,
      engine: engineFor(fidelity),
      loadBalancing: lb,
      seed: scenario.simulation.seed,
      fidelity,
      inNetwork,
    }),
  };
}

export function builtFile(file: string): Built {
  return built(loadScenario(file));
}

export interface ClusterOptions {
  nodes: number;
  perNode?: number;
  accelerator?: string;
  scaleUp?: unknown;
  nics?: number;
  nicBandwidth?: string;
  topology?: string;
  switch?: string;
  tiers?: number;
  oversubscription?: number | { leaf?: number; spine?: number };
  loadBalancing?: "ecmp" | "spray" | "adaptive";
}

/** A one-group cluster with an all-reduce workload (the workload is not used by collectiveTime calls). */
export function cluster(o: ClusterOptions): Built {
  const perNode = o.perNode ?? 8;
  const doc = {
    name: "test cluster",
    cluster: {
      groups: [
        {
          name: "gpu",
          nodes: o.nodes,
          accelerator: o.accelerator ?? "H100-SXM",
          acceleratorsPerNode: perNode,
          ...(o.scaleUp !== undefined ? { scaleUp: o.scaleUp } : {}),
          nics: { count: o.nics ?? perNode, bandwidth: o.nicBandwidth ?? "400Gbps" },
        },
      ],
      scaleOut: {
        topology: o.topology ?? "rail-optimized",
        switch: o.switch ?? "QM9700",
        ...(o.tiers !== undefined ? { tiers: o.tiers } : {}),
        ...(o.oversubscription !== undefined ? { oversubscription: o.oversubscription } : {}),
      },
      ...(o.loadBalancing ? { transport: { loadBalancing: o.loadBalancing } } : {}),
    },
    workload: { collective: { op: "all-reduce", sizes: [1048576], algorithm: "auto" } },
    simulation: { fidelity: "flow", seed: 1 },
  };
  return built(parseScenario(stringify(doc), "<test>"));
}

export function firstRanks(n: number): Int32Array {
  const r = new Int32Array(n);
  for (let i = 0; i < n; i++) r[i] = i;
  return r;
}

export function pct(model: number, measured: number): number {
  return (100 * (model - measured)) / measured;
}
