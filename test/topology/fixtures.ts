// Inline hardware for topology and routing tests (SI units), so tests do not depend on the catalog.
import type {
  AcceleratorSpec,
  NicSpec,
  OpticSpec,
  ScaleUpSpec,
  SwitchSpec,
} from "../../src/catalog/types.js";
import { fewestTiers } from "../../src/scenario/clos-capacity.js";
import type { ClusterSpec, GroupSpec, ScaleOutSpec } from "../../src/scenario/types.js";

const GBps = 1e9;
const gbps = (x: number) => (x * 1e9) / 8;

export function switchSpec(radix: number, portGbps: number, id = `sw-${radix}x${portGbps}G`): SwitchSpec {
  return {
    id,
    name: id,
    vendor: "test",
    source: "test fixture",
    radix,
    portBandwidth: gbps(portGbps),
    latency: 130e-9,
    buffer: 1e6,
    powerW: 750,
    priceUsd: 25_000,
  };
}

export const QM9700 = switchSpec(64, 400, "QM9700");

export function accelerator(id: string, perNode: number, powerW = 1000): AcceleratorSpec {
  return {
    id,
    name: id,
    vendor: "test",
    source: "test fixture",
    peakFlops: { bf16: 1e15 },
    hbmBytes: 80e9,
    hbmBandwidth: 3e12,
    scaleUp: "nvlink",
    perNode,
    powerW,
    priceUsdPerHour: 2,
  };
}

export function scaleUp(
  topology: ScaleUpSpec["topology"],
  bandwidthGBps: number,
  domain: number,
  extra: Partial<ScaleUpSpec> = {},
): ScaleUpSpec {
  return {
    id: `su-${topology}`,
    name: topology,
    vendor: "test",
    source: "test fixture",
    bandwidth: bandwidthGBps * GBps,
    latency: 500e-9,
    topology,
    domain,
    maxDomain: 1024,
    inNetworkReduction: topology === "switch",
    ...extra,
  };
}

export const NVLINK5 = scaleUp("switch", 900, 8, { switchRadix: 72, switchPortBandwidth: 50 * GBps });

export function gpuGroup(
  name: string,
  nodes: number,
  perNode: number,
  nics: { count: number; gbps: number },
  su: ScaleUpSpec = { ...NVLINK5, domain: perNode },
): GroupSpec {
  return {
    name,
    kind: "accelerator",
    nodes,
    acceleratorsPerNode: perNode,
    accelerator: accelerator(`${name}-acc`, perNode),
    scaleUp: su,
    nics: { count: nics.count, bandwidth: gbps(nics.gbps) },
    priceUsdPerHour: 2,
  };
}

export function endpointGroup(
  name: string,
  kind: "memory" | "storage" | "host",
  nodes: number,
  nics: { count: number; gbps: number },
): GroupSpec {
  return {
    name,
    kind,
    nodes,
    acceleratorsPerNode: 0,
    nics: { count: nics.count, bandwidth: gbps(nics.gbps) },
    priceUsdPerHour: 0,
  };
}

export function cluster(
  groups: GroupSpec[],
  scaleOut: Partial<ScaleOutSpec> & Pick<ScaleOutSpec, "topology" | "switch">,
): ClusterSpec {
  const oversubscription = scaleOut.oversubscription ?? { leaf: 1, spine: 1 };
  let ports = 0;
  for (const g of groups) ports += g.nodes * g.nics.count;
  const tiers = scaleOut.tiers ?? fewestTiers(ports, scaleOut.switch.radix, oversubscription) ?? 3;
  return {
    groups,
    scaleOut: { linkLatency: 500e-9, planes: 1, ...scaleOut, oversubscription, tiers },
    transport: { loadBalancing: "ecmp", congestionControl: "dcqcn", mtu: 4096, trimming: false, pfc: false },
  };
}

export const OPTICS: Record<string, OpticSpec> = {
  "400G-DR4": {
    id: "400G-DR4",
    name: "400G DR4",
    vendor: "test",
    source: "optics.csv MMS4X00-NS400",
    bandwidth: gbps(400),
    powerW: 9,
    priceUsd: 700,
    reachM: 100,
    copper: false,
  },
  "800G-DR8": {
    id: "800G-DR8",
    name: "800G twin-port DR8",
    vendor: "test",
    source: "optics.csv MMS4X00-NS",
    bandwidth: gbps(800),
    powerW: 17,
    priceUsd: 1000,
    reachM: 100,
    copper: false,
  },
  "800G-SR8": {
    id: "800G-SR8",
    name: "800G twin-port SR8",
    vendor: "test",
    source: "optics.csv MMA4Z00-NS",
    bandwidth: gbps(800),
    powerW: 15,
    priceUsd: 800,
    reachM: 50,
    copper: false,
  },
};

export const NICS: Record<string, NicSpec> = {
  "nic-400g": {
    id: "nic-400g",
    name: "400G NIC",
    vendor: "test",
    source: "test fixture",
    bandwidth: gbps(400),
    hostBandwidth: 63e9,
    powerW: 25,
    priceUsd: 2000,
  },
};

/** A DGX B200 SuperPOD compute fabric of `units` scalable units of 32 nodes. */
export function b200SuperPod(units: number): ClusterSpec {
  return cluster([gpuGroup("gpu", 32 * units, 8, { count: 8, gbps: 400 })], {
    topology: "rail-optimized",
    switch: QM9700,
  });
}
