/**
 * build-16k: builds the fabric of 16,384 accelerators — 2,048 servers of 8 with NVLink 5 and eight 400 Gb/s
 * NICs each, 3-tier rail-optimized QM9700 fabric (64 scalable units of 32 servers, the DGX B200 SuperPOD
 * layout) — then makes a router and counts paths for 16,384 cross-server pairs. Quick: 2,048 accelerators
 * (2 tiers).
 */
import type { AcceleratorSpec, ScaleUpSpec, SwitchSpec } from "../../src/catalog/types.js";
import { makeRouter } from "../../src/routing/index.js";
import type { ClusterSpec } from "../../src/scenario/types.js";
import { buildFabric } from "../../src/topology/build.js";
import type { BenchCase } from "../case.js";
import { railOptimizedCluster } from "../clusters.js";

const source = "bench fixture";
const QM9700: SwitchSpec = {
  id: "QM9700",
  name: "QM9700",
  vendor: "NVIDIA",
  source,
  radix: 64,
  portBandwidth: 50e9,
  latency: 130e-9,
  buffer: 713_800,
  powerW: 768,
  priceUsd: 25_600,
};
const B200: AcceleratorSpec = {
  id: "B200",
  name: "B200",
  vendor: "NVIDIA",
  source,
  peakFlops: { bf16: 2.25e15 },
  hbmBytes: 180e9,
  hbmBandwidth: 7.7e12,
  scaleUp: "nvlink5",
  perNode: 8,
  powerW: 1000,
  priceUsdPerHour: 6,
};
const NVLINK5: ScaleUpSpec = {
  id: "nvlink5",
  name: "NVLink 5",
  vendor: "NVIDIA",
  source,
  bandwidth: 900e9,
  latency: 500e-9,
  topology: "switch",
  domain: 8,
  maxDomain: 576,
  inNetworkReduction: true,
  switchRadix: 72,
  switchPortBandwidth: 50e9,
};

export function superPod(servers: number): ClusterSpec {
  return railOptimizedCluster(servers, {
    accelerator: B200,
    scaleUp: NVLINK5,
    switch: QM9700,
    nicBandwidth: 50e9,
    priceUsdPerHour: 6,
    congestionControl: "dcqcn",
  });
}

const bench: BenchCase = {
  name: "build-16k",
  description: "build a 16,384-GPU 3-tier rail-optimized fabric, make a router, count 16,384 pairs' paths",
  targetS: 1,
  quick: true,
  run({ quick }) {
    const fabric = buildFabric(superPod(quick ? 256 : 2048));
    const router = makeRouter(fabric, { loadBalancing: "ecmp", railAware: false, seed: 1 });
    const acc = fabric.accelerators;
    let paths = 0;
    for (let r = 0; r < acc.count; r++) {
      paths += router.pathCount(acc.node[r], acc.node[(r * 7919 + 8) % acc.count]);
    }
    return {
      flows: acc.count,
      extra: { accelerators: acc.count, nodes: fabric.nodes.count, links: fabric.links.count, paths },
    };
  },
};

export default bench;
