/**
 * The fields a catalog entry may set in a scenario's `hardware:` section, with the kind of value each
 * takes. Quantities accept unit strings ("450GB/s", "500ns", "80GB", "989TFLOP/s") or SI numbers.
 */
import { COUNT_LIMITS, type Limit, NUMBER_LIMITS, QUANTITY_LIMITS } from "../limits.js";
import { expectedQuantity, parseQuantity } from "../units/index.js";
import type { CatalogKind } from "./find.js";
import { CABLE_KINDS, type CableKind } from "./types.js";

export type FieldType =
  | "text"
  | "number"
  | "fraction"
  | "count"
  | "radix"
  | "flag"
  | "size"
  | "capacity"
  | "bandwidth"
  | "time"
  | "flops"
  | "scaleUpTopology"
  | "cableKind"
  | "fp4Formats";
export interface FieldTable {
  [field: string]: FieldType | FieldTable;
}

const SOURCED: FieldTable = { id: "text", name: "text", vendor: "text", source: "text", notes: "text" };

const CURVE: FieldTable = {
  gemmMax: "fraction",
  gemmHalfDim: "number",
  flash: "fraction",
  memory: "fraction",
  launchS: "time",
  decodeStepS: "time",
  source: "text",
};

export const FIELDS: Record<CatalogKind, FieldTable> = {
  accelerators: {
    ...SOURCED,
    peakFlops: { bf16: "flops", fp8: "flops", fp4: "flops" },
    fp4Formats: "fp4Formats",
    hbmBytes: "capacity",
    hbmExposedBytes: "capacity",
    hbmBandwidth: "bandwidth",
    scaleUp: "text",
    perNode: "count",
    powerW: "number",
    priceUsdPerHour: "number",
    priceUsd: "number",
    efficiency: { bf16: CURVE, fp8: CURVE },
  },
  scaleUp: {
    ...SOURCED,
    bandwidth: "bandwidth",
    latency: "time",
    topology: "scaleUpTopology",
    domain: "count",
    maxDomain: "count",
    multiNode: "flag",
    inNetworkReduction: "flag",
    linkEfficiency: "fraction",
    stepLatency: "time",
    inNetworkLinkEfficiency: "fraction",
    inNetworkStepLatency: "time",
    switchRadix: "radix",
    switchPortBandwidth: "bandwidth",
    switchPowerW: "number",
    switchPriceUsd: "number",
  },
  nics: {
    ...SOURCED,
    bandwidth: "bandwidth",
    hostBandwidth: "bandwidth",
    powerW: "number",
    priceUsd: "number",
  },
  switches: {
    ...SOURCED,
    radix: "radix",
    portBandwidth: "bandwidth",
    latency: "time",
    buffer: "size",
    powerW: "number",
    priceUsd: "number",
    inNetworkReduction: "flag",
    linkEfficiency: "fraction",
    stepLatency: "time",
  },
  optics: {
    ...SOURCED,
    bandwidth: "bandwidth",
    powerW: "number",
    priceUsd: "number",
    reachM: "number",
    copper: "flag",
    cable: "cableKind",
  },
};

const FLOPS_UNITS: Record<string, number> = { "": 1, K: 1e3, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const FLOPS_PATTERN = /^\s*([-+]?\d[\d_,]*\.?\d*(?:[eE][-+]?\d+)?)\s*([KGTPE]?)FLOP(?:\/s|S)\s*$/;

/** `989TFLOP/s`, `989 TFLOPS` or a plain number of FLOP/s. */
export function parseFlops(value: string | number): number {
  if (typeof value === "number") return value;
  const m = FLOPS_PATTERN.exec(value);
  if (!m || m[1].includes(","))
    throw new Error(`"${value}" is not a compute rate (no commas); expected ${EXPECTED.flops}`);
  return Number(m[1].replace(/_/g, "")) * FLOPS_UNITS[m[2]];
}

const EXPECTED: Record<FieldType, string> = {
  text: "a string",
  number: "a number ≥ 0",
  fraction: "a fraction above 0 and at most 1 (of line rate or of peak)",
  count: "a whole number ≥ 1",
  radix: "a whole number of ports ≥ 2",
  flag: "true or false",
  size: expectedQuantity("size"),
  capacity: `${expectedQuantity("size")}, above zero`,
  bandwidth: expectedQuantity("bandwidth"),
  time: expectedQuantity("time"),
  flops: "a compute rate such as 989TFLOP/s or 989e12 (units FLOP/s, GFLOP/s, TFLOP/s, PFLOP/s)",
  scaleUpTopology: "one of: switch, mesh, ring",
  cableKind: `one of: ${CABLE_KINDS.join(", ")} (a cable assembly; leave it out for a transceiver module)`,
  fp4Formats: "a list of 4-bit formats the tensor cores run at the fp4 rate: [nvfp4, mxfp4], [mxfp4], …",
};

export function expectedField(type: FieldType): string {
  return EXPECTED[type];
}

/** What a catalog number may be: the scenario's own limits, one range per kind of field. */
const RANGES: Partial<Record<FieldType, Limit>> = {
  count: { min: 1, max: COUNT_LIMITS.domain.max, why: "radices, domains and per-node counts up to 4,096" },
  radix: { min: 2, max: COUNT_LIMITS.domain.max, why: "from 2 to 4,096 ports" },
  number: { min: 0, max: NUMBER_LIMITS.priceUsd.max, why: "prices and powers up to 10^9" },
  flops: { min: 1e6, max: 1e18, why: "from 1 MFLOP/s to 1 EFLOP/s per accelerator" },
  size: { ...QUANTITY_LIMITS.capacity, min: 0 },
  capacity: QUANTITY_LIMITS.capacity,
  bandwidth: QUANTITY_LIMITS.bandwidth,
  time: QUANTITY_LIMITS.latency,
};

/** The SI value of one field, within its range; throws an Error saying what was expected. */
export function parseField(type: FieldType, value: unknown): string | number | boolean | string[] {
  const x = parseUnranged(type, value);
  const r = RANGES[type];
  if (r && typeof x === "number" && !(x >= r.min && x <= r.max)) {
    throw new Error(`${JSON.stringify(value)} is out of range; expected ${r.why}`);
  }
  return x;
}

function parseUnranged(type: FieldType, value: unknown): string | number | boolean | string[] {
  const bad = (): never => {
    // JSON would print NaN and ±Infinity as null.
    const shown = typeof value === "number" ? String(value) : JSON.stringify(value);
    throw new Error(`${shown} is not valid here; expected ${EXPECTED[type]}`);
  };
  switch (type) {
    case "text":
      return typeof value === "string" ? value : bad();
    case "flag":
      return typeof value === "boolean" ? value : bad();
    case "scaleUpTopology":
      return value === "switch" || value === "mesh" || value === "ring" ? value : bad();
    case "cableKind":
      return CABLE_KINDS.includes(value as CableKind) ? (value as CableKind) : bad();
    case "fp4Formats":
      return Array.isArray(value) && value.length > 0 && value.every((f) => f === "nvfp4" || f === "mxfp4")
        ? [...new Set(value as string[])]
        : bad();
    case "number":
      return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : bad();
    case "fraction":
      // An efficiency: 0 would make every transfer or kernel endless, above 1 faster than the hardware.
      return typeof value === "number" && value > 0 && value <= 1 ? value : bad();
    case "count":
      return typeof value === "number" && Number.isInteger(value) && value >= 1 ? value : bad();
    case "radix":
      return typeof value === "number" && Number.isInteger(value) && value >= 2 ? value : bad();
    case "flops":
      return positive(
        typeof value === "string" || typeof value === "number" ? parseFlops(value) : bad(),
        type,
      );
    default: {
      if (typeof value !== "string" && typeof value !== "number") return bad();
      const x = parseQuantity(type === "capacity" ? "size" : type, value);
      // A latency or a buffer may be zero (htsim models zero switch latency); a bandwidth or memory may not.
      // Messages quote the value as written ("-5us"), not its SI float.
      return type === "bandwidth" || type === "capacity"
        ? positive(x, type, value)
        : nonNegative(x, type, value);
    }
  }
}

function positive(x: number, type: FieldType, written: unknown = x): number {
  if (!(x > 0)) throw new Error(`${JSON.stringify(written)} is not positive; expected ${EXPECTED[type]}`);
  return x;
}

function nonNegative(x: number, type: FieldType, written: unknown = x): number {
  if (!(x >= 0)) throw new Error(`${JSON.stringify(written)} is negative; expected ${EXPECTED[type]}`);
  return x;
}
