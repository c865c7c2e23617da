/**
 * flow-permutation-4096: a random permutation (one cycle, no self-flows) of 2 MB flows over 4,096 hosts with
 * one 400 Gb/s NIC each, on a non-blocking 3-tier fat-tree of 32-port 400 Gb/s switches (k = 32: room for
 * 8,192 hosts; 16 pods, 256 leaves, 256 spines, 128 cores built), flow engine, once with ECMP and once with
 * spraying, with the default transport's packet overheads (src/sim/engines/wire.ts). Wall time covers
 * building the fabric and both runs. Quick: 256 hosts on the same switches.
 */
import type { SwitchSpec } from "../../src/catalog/types.js";
import { makeRouter } from "../../src/routing/index.js";
import { runFlowEngine } from "../../src/sim/engines/flow/engine.js";
import { DEFAULT_TRANSPORT } from "../../src/sim/engines/packet/params.js";
import type { EngineOptions } from "../../src/sim/engines/types.js";
import { wireModelFor } from "../../src/sim/engines/wire.js";
import { type FlowSet, makeFlowSet } from "../../src/sim/flows.js";
import { buildFabric } from "../../src/topology/build.js";
import type { Fabric } from "../../src/topology/fabric.js";
import type { BenchCase } from "../case.js";
import { hostFatTreeOf } from "../clusters.js";

const PORT = 400e9 / 8;
export const BYTES = 2e6;

/** A 12.8 Tb/s class switch: 32 × 400 Gb/s (Broadcom Tomahawk 3 class), 500 ns port to port. */
export const SWITCH: SwitchSpec = {
  id: "bench-32x400G",
  name: "32 x 400G switch",
  vendor: "bench",
  source: "benchmark fabric: k = 32 fat-tree as in Al-Fares et al. (SIGCOMM'08)",
  radix: 32,
  portBandwidth: PORT,
  latency: 500e-9,
  buffer: 4e6,
  powerW: 0,
  priceUsd: 0,
};

/** Sattolo's shuffle (xorshift32): a random single cycle, so no host sends to itself. */
export function permutationFlows(hosts: Int32Array, bytes: number, seed: number): FlowSet {
  const n = hosts.length;
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % i;
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  const flows = makeFlowSet(n);
  for (let i = 0; i < n; i++) {
    flows.src[i] = hosts[i];
    flows.dst[i] = hosts[perm[i]];
    flows.bytes[i] = bytes;
  }
  return flows;
}

function timed(fabric: Fabric, flows: FlowSet, loadBalancing: EngineOptions["loadBalancing"]) {
  const t0 = performance.now();
  const router = makeRouter(fabric, { loadBalancing, railAware: false, seed: 1 });
  const wire = wireModelFor(DEFAULT_TRANSPORT, fabric, router, true);
  const r = runFlowEngine(fabric, router, flows, { loadBalancing, seed: 1, wire });
  return { r, ms: performance.now() - t0 };
}

const bench: BenchCase = {
  name: "flow-permutation-4096",
  description: "2 MB permutation, 4,096 hosts, k=32 3-tier fat-tree, flow engine with ECMP then spray",
  targetS: 1,
  quick: true,
  run({ quick }) {
    const t0 = performance.now();
    const fabric = buildFabric(hostFatTreeOf(quick ? 256 : 4096, SWITCH, 3));
    const buildMs = performance.now() - t0;
    const flows = permutationFlows(fabric.groups[0].endpoints, BYTES, 7);
    const ecmp = timed(fabric, flows, "ecmp");
    const spray = timed(fabric, flows, "spray");
    return {
      flows: 2 * flows.count,
      events: ecmp.r.stats.events + spray.r.stats.events,
      simulatedS: ecmp.r.makespan,
      extra: {
        hosts: flows.count,
        buildMs,
        ecmpMs: ecmp.ms,
        sprayMs: spray.ms,
        ecmpMakespanUs: ecmp.r.makespan * 1e6,
        sprayMakespanUs: spray.r.makespan * 1e6,
        ecmpRecomputes: ecmp.r.stats.recomputes,
        sprayIncidences: spray.r.routes.link.length,
      },
    };
  },
};

export default bench;
