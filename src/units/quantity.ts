/**
 * Quantities in scenario files: a string with a unit, or a plain number already in SI base units.
 * Inside Weft everything is SI: bytes, seconds, bytes per second, per second.
 * Units are case-sensitive: `Gbps` is bits, `GB/s` is bytes; `KB` is 10^3, `KiB` is 2^10.
 */
export type QuantityKind = "size" | "bandwidth" | "time" | "rate" | "percent";

const SIZE_UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  PB: 1e15,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
  PiB: 2 ** 50,
};

// Bandwidth in bytes per second; bit units are divided by 8.
const BANDWIDTH_UNITS: Record<string, number> = {
  bps: 1 / 8,
  Kbps: 1e3 / 8,
  Mbps: 1e6 / 8,
  Gbps: 1e9 / 8,
  Tbps: 1e12 / 8,
  Pbps: 1e15 / 8,
  "B/s": 1,
  "KB/s": 1e3,
  "MB/s": 1e6,
  "GB/s": 1e9,
  "TB/s": 1e12,
  "PB/s": 1e15,
};

const TIME_UNITS: Record<string, number> = {
  ps: 1e-12,
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  min: 60,
  h: 3600,
};

const RATE_UNITS: Record<string, number> = { "/s": 1, "/ms": 1e3, "/min": 1 / 60, "/h": 1 / 3600 };

const PERCENT_UNITS: Record<string, number> = { "%": 0.01 };

export const UNITS: Record<QuantityKind, Record<string, number>> = {
  size: SIZE_UNITS,
  bandwidth: BANDWIDTH_UNITS,
  time: TIME_UNITS,
  rate: RATE_UNITS,
  percent: PERCENT_UNITS,
};

const BASE_NAME: Record<QuantityKind, string> = {
  size: "bytes",
  bandwidth: "bytes/s",
  time: "seconds",
  rate: "per second",
  percent: "a fraction (0.5 = 50%)",
};

export class UnitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnitError";
  }
}

const NUMBER_THEN_UNIT = /^\s*([-+]?(?:\d[\d_,]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(\S*)\s*$/;

/** What a quantity of this kind looks like, for error messages: `a size such as 16GiB or 4096B`. */
export function expectedQuantity(kind: QuantityKind): string {
  const examples: Record<QuantityKind, string> = {
    size: "a size such as 4096B, 2MB or 16GiB (units B, KB, MB, GB, TB, PB, KiB, MiB, GiB, TiB, PiB)",
    bandwidth:
      "a bandwidth such as 400Gbps or 450GB/s (units bps, Kbps, Mbps, Gbps, Tbps, Pbps, B/s, KB/s, MB/s, GB/s, TB/s, PB/s)",
    time: "a time such as 500ns, 1.5us, 2ms or 2s (units ps, ns, us, ms, s, min, h)",
    rate: "a rate such as 20/s",
    percent: "a percentage such as 50%",
  };
  return examples[kind];
}

/**
 * Parses a quantity into SI base units. Plain numbers are taken as already in base units.
 * Throws UnitError naming the bad string and what was expected.
 */
export function parseQuantity(kind: QuantityKind, value: string | number): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      throw new UnitError(`${value} is not a finite number; expected ${expectedQuantity(kind)}`);
    return value;
  }
  const m = NUMBER_THEN_UNIT.exec(value);
  if (!m) throw new UnitError(`"${value}" is not a ${kind}; expected ${expectedQuantity(kind)}`);
  // A comma is a decimal point in some locales and a thousands separator in others: refuse to guess.
  if (m[1].includes(","))
    throw new UnitError(
      `"${value}" has a comma in its number; write a decimal point (1.5Tbps) and no thousands separator; expected ${expectedQuantity(kind)}`,
    );
  const num = Number(m[1].replace(/_/g, ""));
  const unit = m[2];
  if (unit === "") return finite(kind, value, num); // a bare number in a string: base units
  const factor = UNITS[kind][unit];
  if (factor === undefined) {
    const hint = suggestUnit(kind, unit);
    throw new UnitError(
      `"${value}" has unit "${unit}", which is not a ${kind} unit${hint ? ` (did you mean "${hint}"?)` : ""}; expected ${expectedQuantity(kind)}`,
    );
  }
  return finite(kind, value, num * factor);
}

/** `1e400B` overflows to Infinity: an error, never a number. */
function finite(kind: QuantityKind, value: string, x: number): number {
  if (!Number.isFinite(x))
    throw new UnitError(`"${value}" is too large to be a ${kind}; expected ${expectedQuantity(kind)}`);
  return x;
}

/** A unit of the right kind that differs only in case, or a known unit of another kind, as a hint. */
function suggestUnit(kind: QuantityKind, unit: string): string | undefined {
  const units = Object.keys(UNITS[kind]);
  const sameLetters = units.find((u) => u.toLowerCase() === unit.toLowerCase());
  if (sameLetters) return sameLetters;
  if (kind === "bandwidth" && SIZE_UNITS[unit] !== undefined) return `${unit}/s`;
  return undefined;
}

export const parseSize = (v: string | number): number => parseQuantity("size", v);
export const parseBandwidth = (v: string | number): number => parseQuantity("bandwidth", v);
export const parseTime = (v: string | number): number => parseQuantity("time", v);
export const parseRate = (v: string | number): number => parseQuantity("rate", v);
/** `50%` → 0.5; a plain number is a fraction already. */
export const parsePercent = (v: string | number): number => parseQuantity("percent", v);

export function baseUnitName(kind: QuantityKind): string {
  return BASE_NAME[kind];
}
