// Fabrics, routers and flow sets for the packet engine's tests.
import { makeRouter } from "../../src/routing/index.js";
import type { Router } from "../../src/routing/types.js";
import type { ClusterSpec, LoadBalancing } from "../../src/scenario/types.js";
import { runPacketEngine } from "../../src/sim/engines/packet/engine.js";
import type { PacketEngineOptions } from "../../src/sim/engines/packet/params.js";
import { type FlowSet, makeFlowSet } from "../../src/sim/flows.js";
import { buildFabric } from "../../src/topology/build.js";
import type { Fabric } from "../../src/topology/fabric.js";
import { htsimDefaultCluster } from "../../src/workload/traffic/htsim-topology.js";
import { trafficEndpoints } from "../../src/workload/traffic/patterns.js";

export interface Net {
  cluster: ClusterSpec;
  fabric: Fabric;
  router: Router;
  endpoints: Int32Array;
}

export function net(cluster: ClusterSpec, loadBalancing: LoadBalancing = "spray", seed = 1): Net {
  const fabric = buildFabric(cluster);
  const router = makeRouter(fabric, { loadBalancing, railAware: false, seed });
  return { cluster, fabric, router, endpoints: trafficEndpoints(fabric) };
}

/** htsim's default topology: 3-tier k-ary fat-tree of 100 Gb/s, 1 us links (16, 128 or 1,024 hosts). */
export function htsimNet(hosts: number, loadBalancing: LoadBalancing = "spray"): Net {
  return net(htsimDefaultCluster(hosts), loadBalancing);
}

/** A 2-tier leaf-spine of 100 Gb/s hosts: `leaves` leaves with `down` hosts and `up` uplinks each. */
export function leafSpine(
  leaves: number,
  down: number,
  up: number,
  loadBalancing: LoadBalancing = "spray",
): Net {
  const cluster = htsimDefaultCluster(16);
  cluster.groups[0].nodes = leaves * down;
  cluster.scaleOut = {
    ...cluster.scaleOut,
    tiers: 2,
    switch: { ...cluster.scaleOut.switch, radix: down + up },
    oversubscription: { leaf: down / up, spine: 1 },
  };
  return net(cluster, loadBalancing);
}

/** Flows between endpoint indices: [src, dst, bytes, startS?]. */
export function flowsOf(n: Net, list: [number, number, number, number?][]): FlowSet {
  const flows = makeFlowSet(list.length);
  list.forEach(([a, b, bytes, start], i) => {
    flows.src[i] = n.endpoints[a];
    flows.dst[i] = n.endpoints[b];
    flows.bytes[i] = bytes;
    flows.start[i] = start ?? 0;
  });
  return flows;
}

/** The engine with htsim's default transport on `n`, plus overrides. */
export function runOn(n: Net, flows: FlowSet, options: Partial<PacketEngineOptions> = {}) {
  const t = n.cluster.transport;
  return runPacketEngine(n.fabric, n.router, flows, {
    loadBalancing: t.loadBalancing,
    seed: 1,
    bufferBytes: n.cluster.scaleOut.switch.buffer,
    ...options,
    transport: {
      congestionControl: t.congestionControl,
      mtu: t.mtu,
      ...(t.ecn ? { ecn: t.ecn } : {}),
      trimming: t.trimming,
      pfc: t.pfc,
      ...(options.transport ?? {}),
    },
  });
}

export function fctsUs(flows: FlowSet, finish: Float64Array): number[] {
  return Array.from(finish, (f, i) => (f - flows.start[i]) * 1e6);
}
