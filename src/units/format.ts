/** Human-readable quantities for tables: `1.23 ms`, `412 GB/s`, `16 GiB`. Three significant digits. */

function sig3(x: number): string {
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/**
 * Rounded to three significant digits first, so that the unit is chosen for the printed value: 999.96 us
 * is `1.00 ms`, never `1000 us`.
 */
function round3(x: number): number {
  return x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(3));
}

function scaled(x: number, steps: ReadonlyArray<readonly [number, string]>, fallback: string): string {
  const rounded = round3(x);
  const a = Math.abs(rounded);
  for (const [factor, unit] of steps) {
    if (a >= factor) return `${sig3(round3(rounded / factor))} ${unit}`;
  }
  return `${sig3(rounded)} ${fallback}`;
}

/** Seconds → `ps`…`h`. */
export function formatTime(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds === 0) return "0 s";
  const a = Math.abs(round3(seconds));
  if (a >= 3600) return `${sig3(round3(seconds / 3600))} h`;
  if (a >= 60) return `${sig3(round3(seconds / 60))} min`;
  return scaledTime(seconds);
}

function scaledTime(seconds: number): string {
  return scaled(
    seconds,
    [
      [1, "s"],
      [1e-3, "ms"],
      [1e-6, "us"],
      [1e-9, "ns"],
      [1e-12, "ps"],
    ],
    "s",
  );
}

/**
 * Bytes → binary units when the value is a short binary figure, else decimal (`16 GiB`, `1.5 GiB`,
 * `584.5 MiB`, `2 MB`): the largest binary unit whose count is below 1,024 and exact in two decimals.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  if (Math.abs(bytes) < 1e3 && Number.isInteger(bytes)) return `${bytes} B`;
  // A power-of-two multiple prints exactly in binary units (`16 GiB`); anything else in decimal ones.
  const binary: ReadonlyArray<readonly [number, string]> = [
    [2 ** 50, "PiB"],
    [2 ** 40, "TiB"],
    [2 ** 30, "GiB"],
    [2 ** 20, "MiB"],
    [2 ** 10, "KiB"],
  ];
  for (const [f, u] of binary) {
    const q = bytes / f;
    if (Math.abs(q) >= 1 && (Math.abs(q) < 1024 || u === "PiB") && Number.isInteger(q * 100))
      return `${q} ${u}`;
  }
  return scaled(
    bytes,
    [
      [1e15, "PB"],
      [1e12, "TB"],
      [1e9, "GB"],
      [1e6, "MB"],
      [1e3, "KB"],
    ],
    "B",
  );
}

/** Bytes per second → `GB/s` style (decimal, as nccl-tests and datasheets print). */
export function formatBandwidth(bytesPerS: number): string {
  return scaled(
    bytesPerS,
    [
      [1e12, "TB/s"],
      [1e9, "GB/s"],
      [1e6, "MB/s"],
      [1e3, "KB/s"],
    ],
    "B/s",
  );
}

/** Bytes per second → line-rate style bits (`400 Gbps`). */
export function formatLineRate(bytesPerS: number): string {
  return scaled(
    bytesPerS * 8,
    [
      [1e12, "Tbps"],
      [1e9, "Gbps"],
      [1e6, "Mbps"],
      [1e3, "Kbps"],
    ],
    "bps",
  );
}

/**
 * Thousands separators without Intl: `toLocaleString` costs ~15 ms the first time (ICU start-up), which a
 * short CLI run or benchmark should not pay for commas.
 */
function groupThousands(fixed: string): string {
  const [whole, fraction] = fixed.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/**
 * US dollars with thousands separators: `$1,234,567`, `$2.50`; under a dollar, three significant digits
 * (`$0.00412` a step), which cents would round to nothing.
 */
export function formatUsd(usd: number): string {
  // Below a hundredth of a cent is rounding residue, not a price: $0.00.
  const abs = Math.abs(usd) < 1e-4 ? 0 : Math.abs(usd);
  const digits = abs >= 100 ? 0 : abs >= 1 || abs === 0 ? 2 : 2 - Math.floor(Math.log10(abs));
  const text = groupThousands(abs.toFixed(digits));
  return usd < 0 && abs > 0 ? `-$${text}` : `$${text}`;
}

/** Watts → `W`, `kW`, `MW`. */
export function formatPower(watts: number): string {
  return scaled(
    watts,
    [
      [1e6, "MW"],
      [1e3, "kW"],
    ],
    "W",
  );
}

export function formatPercent(fraction: number): string {
  return `${sig3(fraction * 100)}%`;
}

/** `1,536`; fractions keep up to three decimals, as `toLocaleString` would. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const text = Number.isInteger(n) ? String(Math.abs(n)) : String(Number(Math.abs(n).toFixed(3)));
  return `${n < 0 ? "-" : ""}${groupThousands(text)}`;
}
