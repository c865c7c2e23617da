/**
 * buildFabric: the whole cluster as one Fabric graph — endpoints and NICs (endpoints.ts), scale-up domains
 * (scale-up.ts), the scale-out leaves of the chosen topology (single-switch.ts, fat-tree.ts,
 * rail-optimized.ts, rail-only.ts) with their spines and cores (clos.ts, scale-out.ts), and the bill of
 * materials (bom.ts). Node ids: endpoints in group order (accelerators in rank order), NICs, scale-up
 * switches, then per plane leaves, spines, cores.
 */
import { WeftError } from "../errors.js";
import type { ClusterSpec, Scenario } from "../scenario/types.js";
import { computeBom, type PricingCatalog } from "./bom.js";
import { addEndpoints, type Endpoints, PCIE_GEN5_X16 } from "./endpoints.js";
import type { BillOfMaterials, Fabric } from "./fabric.js";
import { fatTreePlan } from "./fat-tree.js";
import { type FrozenGraph, freezeGraph, newDraft } from "./graph.js";
import type { FabricLayout, ScaleUpLayout } from "./layout.js";
import type { LeafPlan, PlanInput } from "./leaf-plan.js";
import { railOnlyPlan } from "./rail-only.js";
import { railOptimizedPlan } from "./rail-optimized.js";
import { addScaleOut, type ScaleOutBuild } from "./scale-out.js";
import { addScaleUp } from "./scale-up.js";
import { singleSwitchPlan } from "./single-switch.js";

export interface BuildOptions {
  /** Optics and NICs to price the bill of materials with (a scenario's catalog); without it, modules are
   *  counted under generic ids and NICs and optics go unpriced. */
  catalog?: PricingCatalog;
  /** Accelerator-to-NIC (PCIe) bandwidth per direction where NICs are shared; default PCIe Gen5 x16. */
  hostBandwidth?: number;
  /** Physical scale-up switch chips per domain, by group name (overrides the radix rule of chips.ts). */
  scaleUpSwitchesPerDomain?: Record<string, number>;
}

const PLANS: Record<ClusterSpec["scaleOut"]["topology"], (input: PlanInput) => LeafPlan> = {
  "single-switch": singleSwitchPlan,
  "fat-tree": fatTreePlan,
  "rail-optimized": railOptimizedPlan,
  "rail-only": railOnlyPlan,
};

export function buildFabric(cluster: ClusterSpec, options: BuildOptions = {}): Fabric {
  checkCluster(cluster);
  const warnings: string[] = [];
  const d = newDraft(estimateNodes(cluster), estimateCables(cluster));
  const ep = addEndpoints(d, cluster, options.hostBandwidth ?? PCIE_GEN5_X16);
  const firstRanks = ep.groups.map((g) => g.firstRank);
  const domains = addScaleUp(
    d,
    cluster,
    ep.accelerators,
    firstRanks,
    warnings,
    options.scaleUpSwitchesPerDomain,
  );
  const plan = PLANS[cluster.scaleOut.topology]({ cluster, ports: ep.ports, warnings });
  const out = addScaleOut(d, cluster, ep.ports, plan, warnings);
  const graph = freezeGraph(d);
  const fabric: Omit<Fabric, "bom"> = {
    ...graph,
    accelerators: ep.accelerators,
    groups: ep.groups,
    tiers: out.tiers,
    layout: makeLayout(graph, cluster.scaleOut.planes, ep, out, domains, warnings),
  };
  // Priced on first read, from this cluster and catalog (nothing changes a cluster once its fabric is
  // built): counting cables and optics is a third of building a 16K fabric, and a simulation reads only
  // the switch counts (switchCounts).
  let bom: BillOfMaterials | undefined;
  return Object.defineProperty(fabric as Fabric, "bom", {
    enumerable: true,
    get: () => {
      bom ??= computeBom(fabric as Fabric, cluster, options.catalog);
      return bom;
    },
  });
}

/** The fabric of a loaded scenario, priced with the scenario's catalog (its `hardware` overrides included). */
export function buildScenarioFabric(scenario: Scenario, options: BuildOptions = {}): Fabric {
  return buildFabric(scenario.cluster, { catalog: scenario.catalog, ...options });
}

function checkCluster(cluster: ClusterSpec): void {
  const { switch: sw, planes } = cluster.scaleOut;
  if (!(sw.radix >= 2) || !Number.isInteger(sw.radix)) {
    throw new WeftError(`switch ${sw.id}: radix must be an integer of at least 2, got ${sw.radix}`);
  }
  if (!(planes >= 1) || !Number.isInteger(planes)) {
    throw new WeftError(`scaleOut.planes must be a positive integer, got ${planes}`);
  }
  if (cluster.groups.length > 32767)
    throw new WeftError(`at most 32,767 groups, got ${cluster.groups.length}`);
  for (const g of cluster.groups) {
    if (!(g.nodes >= 0) || !Number.isInteger(g.nodes)) {
      throw new WeftError(`group ${g.name}: nodes must be a non-negative integer, got ${g.nodes}`);
    }
    if (!(g.nics.count >= 0) || !Number.isInteger(g.nics.count)) {
      throw new WeftError(`group ${g.name}: nics.count must be a non-negative integer, got ${g.nics.count}`);
    }
    if (g.kind === "accelerator" && !(g.acceleratorsPerNode >= 1)) {
      throw new WeftError(
        `group ${g.name}: acceleratorsPerNode must be at least 1, got ${g.acceleratorsPerNode}`,
      );
    }
  }
}

function estimateNodes(cluster: ClusterSpec): number {
  let n = 0;
  for (const g of cluster.groups) n += g.nodes * (Math.max(1, g.acceleratorsPerNode) + g.nics.count);
  return Math.ceil(n * 1.3) + 64;
}

function estimateCables(cluster: ClusterSpec): number {
  let n = 0;
  for (const g of cluster.groups) {
    n += g.nodes * (2 * Math.max(1, g.acceleratorsPerNode) + 3 * g.nics.count * cluster.scaleOut.planes);
  }
  return n + 64;
}

function makeLayout(
  graph: FrozenGraph,
  planes: number,
  ep: Endpoints,
  out: ScaleOutBuild,
  domains: ScaleUpLayout,
  warnings: string[],
): FabricLayout {
  const n = graph.nodes.count;
  const switchNet = new Int32Array(n).fill(-1);
  const switchIndex = new Int32Array(n).fill(-1);
  const upBase = new Int32Array(n).fill(-1);
  out.switchNode.forEach((v, i) => {
    switchNet[v] = out.switchNet[i];
    switchIndex[v] = out.switchIndex[i];
    upBase[v] = out.switchUpBase[i];
  });
  return {
    ...portCsr(n, planes, ep, out),
    switchNet,
    switchIndex,
    upBase,
    networks: out.networks,
    domains,
    planes,
    warnings,
  };
}

/**
 * Ports of each node: a node holding NIC ports has one entry per port and plane; an accelerator behind NIC
 * nodes has one per (NIC it uses, plane), starting with the host link to that NIC.
 */
function portCsr(
  n: number,
  planes: number,
  ep: Endpoints,
  out: ScaleOutBuild,
): Pick<FabricLayout, "portStart" | "portHost" | "portUp" | "portLeaf"> {
  const { ports, host } = ep;
  const portStart = new Int32Array(n + 1);
  for (let p = 0; p < ports.count; p++) portStart[ports.attach[p] + 1] += planes;
  for (let h = 0; h < host.count; h++) portStart[host.acc[h] + 1] += planes;
  for (let v = 0; v < n; v++) portStart[v + 1] += portStart[v];
  const total = portStart[n];
  const portHost = new Int32Array(total).fill(-1);
  const portUp = new Int32Array(total);
  const portLeaf = new Int32Array(total);
  const fill = portStart.slice(0, n);
  const put = (v: number, hostLink: number, p: number) => {
    for (let q = 0; q < planes; q++) {
      const i = fill[v]++;
      portHost[i] = hostLink;
      portUp[i] = out.portLink[p * planes + q];
      portLeaf[i] = out.portLeaf[p * planes + q];
    }
  };
  for (let p = 0; p < ports.count; p++) put(ports.attach[p], -1, p);
  for (let h = 0; h < host.count; h++) put(host.acc[h], host.link[h], host.port[h]);
  return { portStart, portHost, portUp, portLeaf };
}
