/**
 * Cluster specs shared by the benchmark cases and the tests that run the same fabrics: servers of 8
 * accelerators on a rail-optimized fabric, and plain hosts with one NIC each on a fat-tree. Hardware comes in
 * as specs, so each caller picks the catalog's or its own inline ones.
 */
import { builtinCatalog } from "../src/catalog/index.js";
import type { AcceleratorSpec, ScaleUpSpec, SwitchSpec } from "../src/catalog/types.js";
import { fewestTiers } from "../src/scenario/clos-capacity.js";
import type { ClusterSpec, CongestionControl } from "../src/scenario/types.js";

export interface RailOptimizedHardware {
  accelerator: AcceleratorSpec;
  scaleUp: ScaleUpSpec;
  switch: SwitchSpec;
  /** Per NIC, bytes/s (eight per server). */
  nicBandwidth: number;
  priceUsdPerHour: number;
  congestionControl: CongestionControl;
  /** Scale-out tiers; default the fewest that hold every NIC non-blocking (3 if none do). */
  tiers?: 1 | 2 | 3;
}

/** `servers` servers of 8 accelerators with eight NICs each on a non-blocking rail-optimized fabric. */
export function railOptimizedCluster(servers: number, hardware: RailOptimizedHardware): ClusterSpec {
  const oversubscription = { leaf: 1, spine: 1 };
  return {
    groups: [
      {
        name: "gpu",
        kind: "accelerator",
        nodes: servers,
        acceleratorsPerNode: 8,
        accelerator: hardware.accelerator,
        scaleUp: hardware.scaleUp,
        nics: { count: 8, bandwidth: hardware.nicBandwidth },
        priceUsdPerHour: hardware.priceUsdPerHour,
      },
    ],
    scaleOut: {
      topology: "rail-optimized",
      tiers: hardware.tiers ?? fewestTiers(servers * 8, hardware.switch.radix, oversubscription) ?? 3,
      switch: hardware.switch,
      oversubscription,
      linkLatency: 500e-9,
      planes: 1,
    },
    transport: {
      loadBalancing: "ecmp",
      congestionControl: hardware.congestionControl,
      mtu: 4096,
      trimming: false,
      pfc: false,
    },
  };
}

export interface FatTreeOptions {
  oversubscription?: { leaf: number; spine: number };
  /** NIC bandwidth, bytes/s; default the switch's port bandwidth. */
  bandwidth?: number;
  /** Per cable, seconds; default 500 ns. */
  linkLatency?: number;
}

/** `hosts` plain endpoints with one NIC each on a `tiers`-tier fat-tree of `sw` switches, no congestion control. */
export function hostFatTreeOf(
  hosts: number,
  sw: SwitchSpec,
  tiers: 2 | 3,
  options: FatTreeOptions = {},
): ClusterSpec {
  return {
    groups: [
      {
        name: "hosts",
        kind: "host",
        nodes: hosts,
        acceleratorsPerNode: 0,
        nics: { count: 1, bandwidth: options.bandwidth ?? sw.portBandwidth },
        priceUsdPerHour: 0,
      },
    ],
    scaleOut: {
      topology: "fat-tree",
      tiers,
      switch: sw,
      oversubscription: options.oversubscription ?? { leaf: 1, spine: 1 },
      linkLatency: options.linkLatency ?? 500e-9,
      planes: 1,
    },
    transport: { loadBalancing: "ecmp", congestionControl: "none", mtu: 4096, trimming: false, pfc: false },
  };
}

/**
 * Catalog accelerators, `accelerator` with its `scaleUp` domain, eight 400 Gb/s NICs per server, on a
 * rail-optimized fabric of QM9700 switches (the DGX SuperPOD layout), DCQCN.
 */
export function catalogRailOptimized(
  servers: number,
  accelerator: string,
  scaleUp: string,
  tiers?: 1 | 2 | 3,
): ClusterSpec {
  const catalog = builtinCatalog();
  const spec = catalog.accelerators[accelerator];
  return railOptimizedCluster(servers, {
    accelerator: spec,
    scaleUp: catalog.scaleUp[scaleUp],
    switch: catalog.switches.QM9700,
    nicBandwidth: 400e9 / 8,
    priceUsdPerHour: spec.priceUsdPerHour,
    congestionControl: "dcqcn",
    tiers,
  });
}
