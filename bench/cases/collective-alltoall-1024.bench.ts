/**
 * collective-alltoall-1024: one 1 GiB all-to-all over 1,024 H100 (128 servers of 8, NVLink 4, eight 400 Gb/s
 * NICs per server) on a 2-tier rail-optimized QM9700 fabric, on the flow engine: past the 4,096-flow cap
 * the direct algorithm's single concurrent phase over stratified peer samples (src/collectives/direct.ts,
 * 2 × 16 flows per rank). The fabric is built before the timed run. Quick variant: 128 H100 (16 servers).
 */
import { collectiveTime } from "../../src/collectives/index.js";
import type { CollectiveContext } from "../../src/collectives/types.js";
import { makeRouter } from "../../src/routing/index.js";
import { engineFor } from "../../src/sim/engines/index.js";
import { buildFabric } from "../../src/topology/build.js";
import type { BenchCase } from "../case.js";
import { catalogRailOptimized } from "../clusters.js";

const BUFFER = 2 ** 30;
const prepared = new Map<
  number,
  { fabric: ReturnType<typeof buildFabric>; router: ReturnType<typeof makeRouter> }
>();

function prepare(servers: number) {
  let p = prepared.get(servers);
  if (!p) {
    const fabric = buildFabric(catalogRailOptimized(servers, "H100-SXM", "nvlink4", 2));
    p = { fabric, router: makeRouter(fabric, { loadBalancing: "ecmp", railAware: false, seed: 1 }) };
    prepared.set(servers, p);
  }
  return p;
}

let flows = 0;

const alltoall: BenchCase = {
  name: "alltoall-1024-flow",
  description: "1 GiB all-to-all, 1,024 H100 (128 × 8), 2-tier rail-optimized QM9700, flow engine",
  quick: true,
  prepare({ quick }) {
    prepare(quick ? 16 : 128);
  },
  run({ quick }) {
    const servers = quick ? 16 : 128;
    const { fabric, router } = prepare(servers);
    flows = 0;
    const ctx: CollectiveContext = {
      fabric,
      router,
      engine: (f, r, fl, o) => {
        flows += fl.count;
        return engineFor("flow")(f, r, fl, o);
      },
      loadBalancing: "ecmp",
      seed: 1,
      fidelity: "flow",
    };
    const ranks = Int32Array.from({ length: servers * 8 }, (_, i) => i);
    const t = collectiveTime(ctx, "all-to-all", ranks, BUFFER);
    return { flows, simulatedS: t.timeS };
  },
};

export default alltoall;
