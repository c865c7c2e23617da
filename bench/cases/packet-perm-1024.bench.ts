/**
 * packet-perm-1024: the packet engine on htsim's default topology (3-tier k = 16 fat-tree, 1,024 hosts at
 * 100 Gb/s, 1 us links, 178,450-byte queues, 4,150-byte packets, trimming), a random permutation of 2 MB
 * flows under NSCC with spraying — the run htsim_uec does in about 13 s on one core. Quick: 128 hosts (k = 8).
 *
 * With WEFT_HTSIM set to a locally built htsim_uec, the same connection matrix also runs through htsim
 * (`-tm FILE -sender_cc_only -nodes N`, bench/htsim.ts) and the case reports htsim's wall time, peak memory,
 * tail FCT and the speed-up next to weft's. Without it, one line says how to enable the comparison.
 */
import { makeRouter } from "../../src/routing/index.js";
import { runPacketEngine } from "../../src/sim/engines/packet/engine.js";
import { buildFabric } from "../../src/topology/build.js";
import { htsimDefaultCluster } from "../../src/workload/traffic/htsim-topology.js";
import { trafficFlows } from "../../src/workload/traffic/patterns.js";
import type { BenchCase } from "../case.js";
import { connectionMatrixText, findHtsim, htsimFigures, runHtsim } from "../htsim.js";

const NAME = "packet-perm-1024";
/** htsim_uec needs about 18 s for the full case on one core; a stuck run is killed after this. */
const HTSIM_TIMEOUT_S = 600;

function hostsFor(quick: boolean): number {
  return quick ? 128 : 1024;
}

/** The case's workload: htsim's default fat-tree for `hosts` and the permutation of 2 MB flows (seed 1). */
function workload(hosts: number) {
  const cluster = htsimDefaultCluster(hosts);
  const fabric = buildFabric(cluster);
  const traffic = trafficFlows({ kind: "traffic", pattern: "permutation", size: 2e6 }, fabric, 1);
  return { cluster, fabric, traffic };
}

/** Runs htsim on the case's exact connection matrix, or says in one line why it does not. */
async function htsimSideBySide(hosts: number, weftWallS: number): Promise<Record<string, number>> {
  const found = findHtsim();
  if ("skipped" in found) {
    process.stderr.write(`bench: ${NAME}: ${found.skipped}\n`);
    return {};
  }
  process.stderr.write(`bench: ${NAME}: running ${found.binary} on the same ${hosts}-host matrix ...\n`);
  const matrix = connectionMatrixText(hosts, workload(hosts).traffic);
  try {
    return htsimFigures(await runHtsim(found.binary, matrix, { timeoutS: HTSIM_TIMEOUT_S }), weftWallS);
  } catch (err) {
    process.stderr.write(`bench: ${NAME}: htsim comparison failed: ${(err as Error).message}\n`);
    return {};
  }
}

const bench: BenchCase = {
  name: NAME,
  description:
    "packet engine: 1,024-host permutation of 2 MB flows, htsim default 3-tier fat-tree, NSCC + spraying",
  targetS: 13,
  quick: true,
  // htsim runs after weft's timed run, outside its wall time; htsim is its own process.
  compare: ({ quick, wallS }) => htsimSideBySide(hostsFor(quick), wallS),
  run({ quick }) {
    const hosts = hostsFor(quick);
    const { cluster, fabric, traffic } = workload(hosts);
    const { flows } = traffic;
    const router = makeRouter(fabric, { loadBalancing: "spray", railAware: false, seed: 1 });
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
