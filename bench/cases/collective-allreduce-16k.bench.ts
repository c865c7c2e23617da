/**
 * collective-allreduce-16k: one 1 GiB all-reduce over 16,384 H100 (2,048 servers of 8, NVLink 4, eight
 * 400 Gb/s NICs per server) on a 3-tier rail-optimized fabric of QM9700 switches, algorithm chosen by the
 * tuner, timed by `collectiveTime` (layout, tuning, schedule, evaluation; the fabric is built before the
 * timed run). Two cases: the flow
 * engine (`allreduce-16k-flow`, target 10 s) and the closed-form analytical fidelity
 * (`allreduce-16k-analytical`, target 50 ms, default export of collective-allreduce-16k-analytical.bench.ts).
 * Quick variants: 512 H100 (64 servers).
 */
import { builtinCatalog } from "../../src/catalog/index.js";
import { collectiveTime } from "../../src/collectives/index.js";
import type { CollectiveContext } from "../../src/collectives/types.js";
import { makeRouter } from "../../src/routing/index.js";
import type { ClusterSpec } from "../../src/scenario/types.js";
import { engineFor } from "../../src/sim/engines/index.js";
import { buildFabric } from "../../src/topology/build.js";
import type { BenchCase } from "../case.js";

const BUFFER = 2 ** 30;

export function cluster16k(servers: number): ClusterSpec {
  const catalog = builtinCatalog();
  const accelerator = catalog.accelerators["H100-SXM"];
  return {
    groups: [
      {
        name: "gpu",
        kind: "accelerator",
        nodes: servers,
        acceleratorsPerNode: 8,
        accelerator,
        scaleUp: catalog.scaleUp.nvlink4,
        nics: { count: 8, bandwidth: 400e9 / 8 },
        priceUsdPerHour: accelerator.priceUsdPerHour,
      },
    ],
    scaleOut: {
      topology: "rail-optimized",
      tiers: servers * 8 > 2048 ? 3 : 2,
      switch: catalog.switches.QM9700,
      oversubscription: { leaf: 1, spine: 1 },
      linkLatency: 500e-9,
      planes: 1,
    },
    transport: { loadBalancing: "ecmp", congestionControl: "dcqcn", mtu: 4096, trimming: false, pfc: false },
  };
}

interface Prepared {
  servers: number;
  fabric: ReturnType<typeof buildFabric>;
  router: ReturnType<typeof makeRouter>;
}

let prepared: Prepared | undefined;

/** The fabric and its router (the topology's and routing's own cost, benchmarked elsewhere). */
function prepare(servers: number): Prepared {
  if (prepared?.servers !== servers) {
    const fabric = buildFabric(cluster16k(servers));
    prepared = { servers, fabric, router: makeRouter(fabric, { loadBalancing: "ecmp", railAware: false, seed: 1 }) };
  }
  return prepared;
}

// In the runner's child process (`--child`), build the fabric when the case loads, so the timed `run` is
// the collective alone: layout, tuning, schedule and evaluation.
if (process.argv.includes("--child")) prepare(process.argv.includes("--quick") ? 64 : 2048);

function allReduceCase(fidelity: "flow" | "analytical"): BenchCase {
  return {
    name: `allreduce-16k-${fidelity}`,
    description: `1 GiB all-reduce (auto) on 16,384 H100, 3-tier rail-optimized QM9700, ${fidelity} fidelity`,
    targetS: fidelity === "flow" ? 10 : 0.05,
    quick: true,
    run({ quick }) {
      const servers = quick ? 64 : 2048;
      const { fabric, router } = prepare(servers);
      const ctx: CollectiveContext = {
        fabric,
        router,
        engine: engineFor(fidelity),
        loadBalancing: "ecmp",
        seed: 1,
        fidelity,
        inNetwork: { scaleUp: [true], scaleOut: false },
      };
      const ranks = Int32Array.from({ length: servers * 8 }, (_, i) => i);
      const t = collectiveTime(ctx, "all-reduce", ranks, BUFFER);
      const n = ranks.length;
      return {
        simulatedS: t.timeS,
        extra: {
          ranks: n,
          busbwGBps: ((BUFFER / t.timeS) * (2 * (n - 1))) / n / 1e9,
        },
      };
    },
  };
}

export const flowCase = allReduceCase("flow");
export const analyticalCase = allReduceCase("analytical");
// The runner takes one case per file: this file runs the flow case, collective-allreduce-16k-analytical the other.
export default flowCase;
