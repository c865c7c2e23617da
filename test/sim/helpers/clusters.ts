/**
 * Cluster specs for engine tests on the real topology builders, with inline hardware (no catalog), so the
 * numbers a test expects follow from the spec alone.
 */

import { type FatTreeOptions, hostFatTreeOf, railOptimizedCluster } from "../../../bench/clusters.js";
import type { AcceleratorSpec, ScaleUpSpec, SwitchSpec } from "../../../src/catalog/types.js";
import type { ClusterSpec } from "../../../src/scenario/types.js";

/** Port bandwidth, bytes/s: 400 Gb/s. */
export const PORT = 400e9 / 8;

export function switchOf(radix: number, bandwidth = PORT, latency = 300e-9): SwitchSpec {
  return {
    id: `test-${radix}`,
    name: `${radix}-port test switch`,
    vendor: "test",
    source: "inline test hardware",
    radix,
    portBandwidth: bandwidth,
    latency,
    buffer: 1e6,
    powerW: 500,
    priceUsd: 20_000,
  };
}

export interface HostFatTreeOptions extends FatTreeOptions {
  /** Port (and NIC) bandwidth, bytes/s; default 400 Gb/s. */
  bandwidth?: number;
  /** Port to port, seconds; default 300 ns. */
  switchLatency?: number;
}

/** `hosts` plain endpoints with one NIC each on a fat-tree of `radix`-port switches. */
export function hostFatTree(
  hosts: number,
  radix: number,
  tiers: 2 | 3,
  options: HostFatTreeOptions = {},
): ClusterSpec {
  const sw = switchOf(radix, options.bandwidth ?? PORT, options.switchLatency ?? 300e-9);
  return hostFatTreeOf(hosts, sw, tiers, options);
}

/** `servers` servers of 8 accelerators (8 × 400 Gb/s NICs, a 450 GB/s NVSwitch domain) on a rail-optimized fabric. */
export function railOptimized(servers: number, radix = 64): ClusterSpec {
  const accelerator: AcceleratorSpec = {
    id: "test-gpu",
    name: "test GPU",
    vendor: "test",
    source: "inline test hardware",
    peakFlops: { bf16: 1e15 },
    hbmBytes: 80e9,
    hbmBandwidth: 3e12,
    scaleUp: "test-nvswitch",
    perNode: 8,
    powerW: 700,
    priceUsdPerHour: 2,
  };
  const scaleUp: ScaleUpSpec = {
    id: "test-nvswitch",
    name: "test NVSwitch domain",
    vendor: "test",
    source: "inline test hardware",
    bandwidth: 450e9,
    latency: 500e-9,
    topology: "switch",
    domain: 8,
    maxDomain: 8,
    inNetworkReduction: false,
  };
  return railOptimizedCluster(servers, {
    accelerator,
    scaleUp,
    switch: switchOf(radix),
    nicBandwidth: PORT,
    priceUsdPerHour: 2,
    congestionControl: "none",
  });
}
