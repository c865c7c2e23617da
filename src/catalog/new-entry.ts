/**
 * Completing an entry that a scenario adds to the catalog: the fields it must give, and the defaults of
 * the others (the same assumptions the built-in entries state; see docs/catalog.md).
 */
import { powerPerFlopLikeH100, pricePerFlopLikeH100 } from "./accelerators.js";
import type { CatalogKind } from "./find.js";
import { ASSUMED_SWITCH_LATENCY, assumedSwitchFigures } from "./switches.js";
import type {
  AcceleratorSpec,
  CableKind,
  Catalog,
  NicSpec,
  OpticSpec,
  ScaleUpSpec,
  SwitchSpec,
} from "./types.js";

type Patch = Record<string, unknown>;

/** Fields a new entry of each kind must give (dotted for nested fields). */
export const REQUIRED_FIELDS: Record<CatalogKind, string[]> = {
  accelerators: ["peakFlops.bf16", "hbmBytes", "hbmBandwidth", "scaleUp"],
  scaleUp: ["bandwidth"],
  nics: ["bandwidth"],
  switches: ["radix", "portBandwidth"],
  optics: ["bandwidth", "powerW", "priceUsd", "reachM"],
};

const PCIE5_X16 = 63e9;
const NIC_400G = 50e9;
const SCALE_UP_LATENCY = 500e-9;

function sourced(id: string, p: Patch) {
  return {
    id,
    name: (p.name as string | undefined) ?? id,
    vendor: (p.vendor as string | undefined) ?? "custom",
    source: (p.source as string | undefined) ?? "scenario file",
    ...(p.notes !== undefined ? { notes: p.notes as string } : {}),
  };
}

function accelerator(id: string, p: Patch): AcceleratorSpec {
  const flops = p.peakFlops as AcceleratorSpec["peakFlops"];
  const tflops = flops.bf16 / 1e12;
  return {
    ...sourced(id, p),
    peakFlops: flops,
    hbmBytes: p.hbmBytes as number,
    hbmBandwidth: p.hbmBandwidth as number,
    scaleUp: p.scaleUp as string,
    perNode: (p.perNode as number | undefined) ?? 8,
    powerW: (p.powerW as number | undefined) ?? powerPerFlopLikeH100(tflops),
    priceUsdPerHour: (p.priceUsdPerHour as number | undefined) ?? pricePerFlopLikeH100(tflops),
    ...(p.efficiency !== undefined ? { efficiency: p.efficiency as AcceleratorSpec["efficiency"] } : {}),
    ...(p.fp4Formats !== undefined ? { fp4Formats: p.fp4Formats as AcceleratorSpec["fp4Formats"] } : {}),
  };
}

function scaleUp(id: string, p: Patch): ScaleUpSpec {
  const domain = (p.domain as number | undefined) ?? 8;
  return {
    ...p,
    ...sourced(id, p),
    bandwidth: p.bandwidth as number,
    latency: (p.latency as number | undefined) ?? SCALE_UP_LATENCY,
    topology: (p.topology as ScaleUpSpec["topology"] | undefined) ?? "switch",
    domain,
    maxDomain: (p.maxDomain as number | undefined) ?? domain,
    inNetworkReduction: (p.inNetworkReduction as boolean | undefined) ?? false,
  };
}

function nic(id: string, p: Patch): NicSpec {
  const bandwidth = p.bandwidth as number;
  const per400g = bandwidth / NIC_400G;
  return {
    ...sourced(id, p),
    bandwidth,
    hostBandwidth: (p.hostBandwidth as number | undefined) ?? Math.max(PCIE5_X16, bandwidth),
    powerW: (p.powerW as number | undefined) ?? 25 * per400g,
    priceUsd: (p.priceUsd as number | undefined) ?? 2000 * per400g,
  };
}

function switchSpec(id: string, p: Patch): SwitchSpec {
  const radix = p.radix as number;
  const portBandwidth = p.portBandwidth as number;
  const assumed = assumedSwitchFigures(radix, portBandwidth);
  return {
    ...sourced(id, p),
    radix,
    portBandwidth,
    latency: (p.latency as number | undefined) ?? ASSUMED_SWITCH_LATENCY,
    buffer: (p.buffer as number | undefined) ?? assumed.buffer,
    powerW: (p.powerW as number | undefined) ?? assumed.powerW,
    priceUsd: (p.priceUsd as number | undefined) ?? assumed.priceUsd,
    // The calibrated constants (weft calibrate) of a switch the scenario defines itself.
    ...(p.linkEfficiency !== undefined ? { linkEfficiency: p.linkEfficiency as number } : {}),
    ...(p.stepLatency !== undefined ? { stepLatency: p.stepLatency as number } : {}),
  };
}

function optic(id: string, p: Patch): OpticSpec {
  const copper = (p.copper as boolean | undefined) ?? false;
  // Copper is always a cable assembly; passive (a DAC) unless the entry says otherwise.
  const cable = (p.cable as CableKind | undefined) ?? (copper ? "DAC" : undefined);
  return {
    ...sourced(id, p),
    bandwidth: p.bandwidth as number,
    powerW: p.powerW as number,
    priceUsd: p.priceUsd as number,
    reachM: p.reachM as number,
    copper,
    ...(cable ? { cable } : {}),
  };
}

const BUILDERS: { [K in CatalogKind]: (id: string, p: Patch) => Catalog[K][string] } = {
  accelerators: accelerator,
  scaleUp,
  nics: nic,
  switches: switchSpec,
  optics: optic,
};

/** A full entry from a parsed patch whose required fields are present (the caller checks them). */
export function completeEntry<K extends CatalogKind>(kind: K, id: string, patch: Patch): Catalog[K][string] {
  return BUILDERS[kind](id, patch) as Catalog[K][string];
}

/** The required fields a patch lacks. */
export function missingFields(kind: CatalogKind, patch: Patch): string[] {
  return REQUIRED_FIELDS[kind].filter((dotted) => {
    let v: unknown = patch;
    for (const part of dotted.split(".")) v = (v as Patch | undefined)?.[part];
    return v === undefined;
  });
}
