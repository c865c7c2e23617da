/**
 * flow-fat-tree-allreduce-step: one step of a ring all-reduce over 16,384 B200 accelerators (2,048 HGX
 * servers of 8, NVLink 5, eight 400 Gb/s NICs per server) on a 3-tier rail-optimized fabric of QM9700
 * switches (64 scalable units of 32 servers, as the DGX SuperPOD): every accelerator sends S/n to its ring
 * neighbour (rank i → i+1; 7 of 8 hops inside a server over NVLink, 1 of 8 across servers, cross-rail),
 * with S = 16 GiB, ECMP, no rail-aware proxying. Runs the flow engine (with the default transport's packet
 * overheads, src/sim/engines/wire.ts) and the analytical engine on the same 16,384 flows. Quick: 256 accelerators (one scalable unit, 2 tiers).
 */
import { makeRouter } from "../../src/routing/index.js";
import { analyticalEngine } from "../../src/sim/engines/analytical.js";
import { runFlowEngine } from "../../src/sim/engines/flow/engine.js";
import { DEFAULT_TRANSPORT } from "../../src/sim/engines/packet/params.js";
import type { EngineOptions } from "../../src/sim/engines/types.js";
import { wireModelFor } from "../../src/sim/engines/wire.js";
import { makeFlowSet } from "../../src/sim/flows.js";
import { buildFabric } from "../../src/topology/build.js";
import type { BenchCase } from "../case.js";
import { catalogRailOptimized } from "../clusters.js";

const BUFFER = 16 * 2 ** 30;

const bench: BenchCase = {
  name: "flow-fat-tree-allreduce-step",
  description:
    "ring all-reduce step, 16,384 B200 on a 3-tier rail-optimized QM9700 fabric: flow + analytical",
  quick: true,
  run({ quick }) {
    const t0 = performance.now();
    const fabric = buildFabric(catalogRailOptimized(quick ? 32 : 2048, "B200", "nvlink5"));
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
    const wire = wireModelFor(DEFAULT_TRANSPORT, fabric, router, false);
    const flow = runFlowEngine(fabric, router, flows, { ...options, wire });
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
