/**
 * flow-spray-random-2000: 2,000 flows of 10 kB–2 MB between random hosts of a 512-host fat-tree (3 tiers of
 * 16-port 100 Gb/s switches), starting at random in the first 200 us, sprayed, with the default transport's
 * packet overheads: traffic where flows come and go one by one, so nearly every event is a refill, and
 * where a sprayed flow crosses ~130 links on average (146 across pods). The flow engine shares bundles of
 * parallel links (src/sim/engines/flow/bundles.ts); `plainS` is the same run on the links themselves,
 * outside the wall time. The fabric is built before. Quick: 300 flows on 128 hosts.
 */
import type { SwitchSpec } from "../../src/catalog/types.js";
import { makeRouter } from "../../src/routing/index.js";
import { runFlowEngine } from "../../src/sim/engines/flow/engine.js";
import { DEFAULT_TRANSPORT } from "../../src/sim/engines/packet/params.js";
import { wireModelFor } from "../../src/sim/engines/wire.js";
import { type FlowSet, makeFlowSet } from "../../src/sim/flows.js";
import { buildFabric } from "../../src/topology/build.js";
import type { Fabric } from "../../src/topology/fabric.js";
import type { BenchCase } from "../case.js";
import { hostFatTreeOf } from "../clusters.js";

const SWITCH: SwitchSpec = {
  id: "bench-16x100G",
  name: "16 x 100G switch",
  vendor: "bench",
  source: "benchmark fabric: a k = 16 fat-tree of 100 Gb/s ports",
  radix: 16,
  portBandwidth: 100e9 / 8,
  latency: 500e-9,
  buffer: 4e6,
  powerW: 0,
  priceUsd: 0,
};

/** `n` flows between random distinct hosts, 10 kB–2 MB, starting in [0, 200 us) (xorshift32, fixed seed). */
export function randomFlows(hosts: Int32Array, n: number): FlowSet {
  let x = 12345;
  const rnd = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const flows = makeFlowSet(n);
  for (let f = 0; f < n; f++) {
    const a = Math.floor(rnd() * hosts.length);
    const b = (a + 1 + Math.floor(rnd() * (hosts.length - 1))) % hosts.length;
    flows.src[f] = hosts[a];
    flows.dst[f] = hosts[b];
    flows.bytes[f] = 1e4 + Math.floor(rnd() * 2e6);
    flows.start[f] = rnd() * 2e-4;
  }
  return flows;
}

let fabric: Fabric | undefined;

function run(quick: boolean, bundle: boolean) {
  if (!fabric) throw new Error("prepare builds the fabric");
  const flows = randomFlows(fabric.groups[0].endpoints, quick ? 300 : 2000);
  const router = makeRouter(fabric, { loadBalancing: "spray", railAware: false, seed: 1 });
  const wire = wireModelFor(DEFAULT_TRANSPORT, fabric, router, true);
  const r = runFlowEngine(fabric, router, flows, { loadBalancing: "spray", seed: 1, wire, bundle });
  let sum = 0;
  for (let f = 0; f < flows.count; f++) sum += r.finish[f] - flows.start[f];
  return { flows, r, meanFctUs: (sum / flows.count) * 1e6 };
}

const bench: BenchCase = {
  name: "flow-spray-random-2000",
  description: "2,000 random flows (10 kB–2 MB, staggered) on a 512-host fat-tree, sprayed, flow engine",
  quick: true,
  prepare({ quick }) {
    fabric = buildFabric(hostFatTreeOf(quick ? 128 : 512, SWITCH, 3));
  },
  run({ quick }) {
    const { flows, r, meanFctUs } = run(quick, true);
    return {
      flows: flows.count,
      events: r.stats.events,
      simulatedS: r.makespan,
      extra: { recomputes: r.stats.recomputes, incidences: r.routes.link.length, meanFctUs },
    };
  },
  compare({ quick }) {
    const t0 = performance.now();
    const { meanFctUs } = run(quick, false);
    return { plainS: (performance.now() - t0) / 1e3, plainMeanFctUs: meanFctUs };
  },
};

export default bench;
