/**
 * flow-permutation-4096-by-path: flow-permutation-4096's ECMP run with `simulation.sharing: by-path`
 * (docs/flow-model.md): the same 2 MB permutation over 4,096 hosts on the k = 32 fat-tree, NSCC's wire model,
 * links shared by path. What sharing by path costs against max-min, kept in sight: flows that max-min
 * finishes together finish apart, so the run has many more refills. No target (not the default). Wall
 * time covers the router and the run; the fabric is built before. Quick: 256 hosts.
 */
import { makeRouter } from "../../src/routing/index.js";
import { runFlowEngine } from "../../src/sim/engines/flow/engine.js";
import { DEFAULT_TRANSPORT } from "../../src/sim/engines/packet/params.js";
import { wireModelFor } from "../../src/sim/engines/wire.js";
import { buildFabric } from "../../src/topology/build.js";
import type { Fabric } from "../../src/topology/fabric.js";
import type { BenchCase } from "../case.js";
import { hostFatTreeOf } from "../clusters.js";
import { BYTES, permutationFlows, SWITCH } from "./flow-permutation-4096.bench.js";

let fabric: Fabric | undefined;

const bench: BenchCase = {
  name: "flow-permutation-4096-by-path",
  description: "flow-permutation-4096's ECMP run with links shared by path (simulation.sharing: by-path)",
  quick: true,
  prepare({ quick }) {
    fabric = buildFabric(hostFatTreeOf(quick ? 256 : 4096, SWITCH, 3));
  },
  run() {
    if (!fabric) throw new Error("prepare builds the fabric");
    const flows = permutationFlows(fabric.groups[0].endpoints, BYTES, 7);
    const router = makeRouter(fabric, { loadBalancing: "ecmp", railAware: false, seed: 1 });
    const wire = wireModelFor(DEFAULT_TRANSPORT, fabric, router, true, "by-path");
    const r = runFlowEngine(fabric, router, flows, { loadBalancing: "ecmp", seed: 1, wire });
    let sum = 0;
    for (let f = 0; f < flows.count; f++) sum += r.finish[f] - flows.start[f];
    return {
      flows: flows.count,
      events: r.stats.events,
      simulatedS: r.makespan,
      extra: { hosts: flows.count, recomputes: r.stats.recomputes, meanFctUs: (sum / flows.count) * 1e6 },
    };
  },
};

export default bench;
