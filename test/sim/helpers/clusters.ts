/**
 * Cluster specs for engine tests on the real topology builders, with inline hardware (no catalog), so the
 * numbers a test expects follow from the spec alone.
 */
import type { AcceleratorSpec, ScaleUpSpec, SwitchSpec } from "../../../src/catalog/types.js";
import type { ClusterSpec } from "../../../src/scenario/types.js";
import { fewestTiers } from "../../../src/topology/capacity.js";

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

export interface FatTreeOptions {
  oversubscription?: { leaf: number; spine: number };
  /** Port (and NIC) bandwidth, bytes/s; default 400 Gb/s. */
  bandwidth?: number;
  /** Per cable, seconds; default 500 ns. */
  linkLatency?: number;
  /** Port to port, seconds; default 300 ns. */
  switchLatency?: number;
}

/** `hosts` plain endpoints with one NIC each on a fat-tree of `radix`-port switches. */
export function hostFatTree(
  hosts: number,
  radix: number,
  tiers: 2 | 3,
  options: FatTreeOptions = {},
): ClusterSpec {
  const bandwidth = options.bandwidth ?? PORT;
  return {
    groups: [
      {
        name: "hosts",
        kind: "host",
        nodes: hosts,
        acceleratorsPerNode: 0,
        nics: { count: 1, bandwidth },
        priceUsdPerHour: 0,
      },
    ],
    scaleOut: {
      topology: "fat-tree",
      tiers,
      switch: switchOf(radix, bandwidth, options.switchLatency ?? 300e-9),
      oversubscription: options.oversubscription ?? { leaf: 1, spine: 1 },
      linkLatency: options.linkLatency ?? 500e-9,
      planes: 1,
    },
    transport: { loadBalancing: "ecmp", congestionControl: "none", mtu: 4096, trimming: false, pfc: false },
  };
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
  const oversubscription = { leaf: 1, spine: 1 };
  return {
    groups: [
      {
        name: "gpu",
        kind: "accelerator",
        nodes: servers,
        acceleratorsPerNode: 8,
        accelerator,
        scaleUp,
        nics: { count: 8, bandwidth: PORT },
        priceUsdPerHour: 2,
      },
    ],
    scaleOut: {
      topology: "rail-optimized",
      tiers: fewestTiers(servers * 8, radix, oversubscription) ?? 3,
      switch: switchOf(radix),
      oversubscription,
      linkLatency: 500e-9,
      planes: 1,
    },
    transport: { loadBalancing: "ecmp", congestionControl: "none", mtu: 4096, trimming: false, pfc: false },
  };
}
