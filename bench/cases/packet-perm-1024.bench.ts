/**
 * packet-perm-1024: the packet engine on htsim's default topology (3-tier k = 16 fat-tree, 1,024 hosts at
 * 100 Gb/s, 1 us links, 178,450-byte queues, 4,150-byte packets, trimming), a random permutation of 2 MB
 * flows under NSCC with spraying — the run htsim_uec does in about 13 s on one core. Quick: 128 hosts (k = 8).
 */
import { makeRouter } from "../../src/routing/index.js";
import { runPacketEngine } from "../../src/sim/engines/packet/engine.js";
import { buildFabric } from "../../src/topology/build.js";
import { htsimDefaultCluster } from "../../src/workload/traffic/htsim-topology.js";
import { trafficFlows } from "../../src/workload/traffic/patterns.js";
import type { BenchCase } from "../case.js";

const bench: BenchCase = {
  name: "packet-perm-1024",
  description:
    "packet engine: 1,024-host permutation of 2 MB flows, htsim default 3-tier fat-tree, NSCC + spraying",
  targetS: 13,
  quick: true,
  run({ quick }) {
    const cluster = htsimDefaultCluster(quick ? 128 : 1024);
    const fabric = buildFabric(cluster);
    const router = makeRouter(fabric, { loadBalancing: "spray", railAware: false, seed: 1 });
    const { flows } = trafficFlows({ kind: "traffic", pattern: "permutation", size: 2e6 }, fabric, 1);
    const t = cluster.transport;
    const r = runPacketEngine(fabric, router, flows, {
      loadBalancing: "spray",
      seed: 1,
      bufferBytes: cluster.scaleOut.switch.buffer,
      transport: {
        congestionControl: t.congestionControl,
        mtu: t.mtu,
        ecn: t.ecn,
        trimming: t.trimming,
        pfc: t.pfc,
      },
    });
    const p = r.packets;
    const fcts = Array.from(r.finish).sort((a, b) => a - b);
    return {
      flows: flows.count,
      events: p.events,
      packets: p.dataPackets + p.retransmissions + p.controlPackets,
      simulatedS: r.makespan,
      extra: {
        fctP50Us: fcts[Math.floor(fcts.length / 2)] * 1e6,
        fctMaxUs: r.makespan * 1e6,
        retransmissions: p.retransmissions,
        ecnMarks: p.ecnMarks,
      },
    };
  },
};

export default bench;
