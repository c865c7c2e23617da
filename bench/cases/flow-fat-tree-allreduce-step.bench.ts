/**
 * flow-fat-tree-allreduce-step: one step of a ring all-reduce over 16,384 B200 accelerators (2,048 HGX
 * servers of 8, NVLink 5, eight 400 Gb/s NICs per server) on a 3-tier rail-optimized fabric of QM9700
 * switches (64 scalable units of 32 servers, as the DGX SuperPOD): every accelerator sends S/n to its ring
 * neighbour (rank i → i+1; 7 of 8 hops inside a server over NVLink, 1 of 8 across servers, cross-rail),
 * with S = 16 GiB, ECMP, no rail-aware proxying. Runs the flow engine and the analytical engine on the same
 * 16,384 flows. Quick: 256 accelerators (one scalable unit, 2 tiers).
 */
import { builtinCatalog } from "../../src/catalog/index.js";
import { makeRouter } from "../../src/routing/index.js";
import type { ClusterSpec } from "../../src/scenario/types.js";
import { analyticalEngine } from "../../src/sim/engines/analytical.js";
import { runFlowEngine } from "../../src/sim/engines/flow/engine.js";
import type { EngineOptions } from "../../src/sim/engines/types.js";
import { makeFlowSet } from "../../src/sim/flows.js";
import { buildFabric } from "../../src/topology/build.js";
import { fewestTiers } from "../../src/topology/capacity.js";
import type { BenchCase } from "../case.js";

const BUFFER = 16 * 2 ** 30;

function clusterOf(servers: number): ClusterSpec {
  const catalog = builtinCatalog();
  const accelerator = catalog.accelerators.B200;
  const scaleUp = catalog.scaleUp.nvlink5;
  const sw = catalog.switches.QM9700;
  const oversubscription = { leaf: 1, spine: 1 };
  const tiers = fewestTiers(servers * 8, sw.radix, oversubscription) ?? 3;
  return {
    groups: [
      {
        name: "gpu",
        kind: "accelerator",
        nodes: servers,
        acceleratorsPerNode: 8,
        accelerator,
        scaleUp,
        nics: { count: 8, bandwidth: 400e9 / 8 },
        priceUsdPerHour: accelerator.priceUsdPerHour,
      },
    ],
    scaleOut: {
      topology: "rail-optimized",
      tiers,
      switch: sw,
      oversubscription,
      linkLatency: 500e-9,
      planes: 1,
    },
    transport: { loadBalancing: "ecmp", congestionControl: "dcqcn", mtu: 4096, trimming: false, pfc: false },
  };
}

const bench: BenchCase = {
  name: "flow-fat-tree-allreduce-step",
  description:
    "ring all-reduce step, 16,384 B200 on a 3-tier rail-optimized QM9700 fabric: flow + analytical",
  quick: true,
  run({ quick }) {
    const t0 = performance.now();
    const fabric = buildFabric(clusterOf(quick ? 32 : 2048));
    const buildMs = performance.now() - t0;
    const acc = fabric.accelerators;
    const n = acc.count;
    const flows = makeFlowSet(n);
    for (let i = 0; i < n; i++) {
      flows.src[i] = acc.node[i];
      flows.dst[i] = acc.node[(i + 1) % n];
      flows.bytes[i] = BUFFER / n;
    }
    const options: EngineOptions = { loadBalancing: "ecmp", seed: 1 };
    const router = makeRouter(fabric, { loadBalancing: "ecmp", railAware: false, seed: 1 });
    const t1 = performance.now();
    const flow = runFlowEngine(fabric, router, flows, options);
    const t2 = performance.now();
    const analytical = analyticalEngine(fabric, router, flows, options);
    const t3 = performance.now();
    return {
      flows: 2 * n,
      events: flow.stats.events,
      simulatedS: flow.makespan,
      extra: {
        accelerators: n,
        tiers: fabric.tiers,
        buildMs,
        flowEngineMs: t2 - t1,
        analyticalMs: t3 - t2,
        flowEngineFlowsPerS: n / ((t2 - t1) / 1e3),
        analyticalFlowsPerS: n / ((t3 - t2) / 1e3),
        flowStepUs: flow.makespan * 1e6,
        analyticalStepUs: analytical.makespan * 1e6,
        flowRecomputes: flow.stats.recomputes,
      },
    };
  },
};

export default bench;
