/**
 * collective-allreduce-16k: one 1 GiB all-reduce over 16,384 H100 (2,048 servers of 8, NVLink 4, eight
 * 400 Gb/s NICs per server) on a 3-tier rail-optimized fabric of QM9700 switches, algorithm chosen by the
 * tuner, timed by `collectiveTime` (layout, tuning, schedule, evaluation; the fabric is built before the
 * timed run). Two cases: the flow
 * engine (`allreduce-16k-flow`, target 10 s) and the closed-form analytical fidelity
 * (`allreduce-16k-analytical`, target 50 ms, default export of collective-allreduce-16k-analytical.bench.ts).
 * Quick variants: 512 H100 (64 servers).
 */
import { collectiveTime } from "../../src/collectives/index.js";
import type { CollectiveContext } from "../../src/collectives/types.js";
import { makeRouter } from "../../src/routing/index.js";
import type { ClusterSpec } from "../../src/scenario/types.js";
import { engineFor } from "../../src/sim/engines/index.js";
import { buildFabric } from "../../src/topology/build.js";
import type { BenchCase } from "../case.js";
import { catalogRailOptimized } from "../clusters.js";

const BUFFER = 2 ** 30;

/** `servers` H100 servers (NVLink 4) on QM9700: 2 tiers up to 2,048 accelerators, 3 above. */
export function cluster16k(servers: number): ClusterSpec {
  return catalogRailOptimized(servers, "H100-SXM", "nvlink4", servers * 8 > 2048 ? 3 : 2);
}

interface Prepared {
  servers: number;
  fabric: ReturnType<typeof buildFabric>;
  router: ReturnType<typeof makeRouter>;
}

const prepared = new Map<number, Prepared>();

/** The fabric and its router (the topology's and routing's own cost, benchmarked elsewhere). */
function prepare(servers: number): Prepared {
  let p = prepared.get(servers);
  if (!p) {
    const fabric = buildFabric(cluster16k(servers));
    p = { servers, fabric, router: makeRouter(fabric, { loadBalancing: "ecmp", railAware: false, seed: 1 }) };
    prepared.set(servers, p);
  }
  return p;
}

/**
 * Builds the fabric and its router (benchmarked by build-16k) and nothing else: the timed run is the
 * collective in a cold process — layout, tuning, schedule and evaluation with V8 meeting the code for the
 * first time, as a one-off command-line run does.
 */
function prepareFabric(quick: boolean): void {
  prepare(quick ? 64 : 2048);
}

/** Flows the network engine simulated, counted by wrapping it. */
let simulatedFlows = 0;

function timeAllReduce(
  { fabric, router, servers }: Prepared,
  fidelity: "flow" | "analytical",
  bytes = BUFFER,
  count = servers * 8,
) {
  const ctx: CollectiveContext = {
    fabric,
    router,
    engine: (f, r, flows, o) => {
      simulatedFlows += flows.count;
      return engineFor(fidelity)(f, r, flows, o);
    },
    loadBalancing: "ecmp",
    seed: 1,
    fidelity,
    inNetwork: { scaleUp: [true], scaleOut: false },
  };
  const ranks = new Int32Array(count);
  for (let i = 0; i < ranks.length; i++) ranks[i] = i;
  return collectiveTime(ctx, "all-reduce", ranks, bytes);
}

function allReduceCase(fidelity: "flow" | "analytical"): BenchCase {
  return {
    name: `allreduce-16k-${fidelity}`,
    description: `1 GiB all-reduce (auto) on 16,384 H100, 3-tier rail-optimized QM9700, ${fidelity} fidelity`,
    targetS: fidelity === "flow" ? 10 : 0.05,
    quick: true,
    prepare: ({ quick }) => prepareFabric(quick),
    run({ quick }) {
      const n = (quick ? 64 : 2048) * 8;
      simulatedFlows = 0;
      const t = timeAllReduce(prepare(n / 8), fidelity);
      return {
        ...(simulatedFlows > 0 ? { flows: simulatedFlows } : {}),
        simulatedS: t.timeS,
        extra: { ranks: n, busbwGBps: ((BUFFER / t.timeS) * (2 * (n - 1))) / n / 1e9 },
      };
    },
  };
}

export const flowCase = allReduceCase("flow");
export const analyticalCase = allReduceCase("analytical");
// The runner takes one case per file: this file runs the flow case, collective-allreduce-16k-analytical the other.
export default flowCase;
