import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatBandwidth,
  formatBytes,
  formatCount,
  formatLineRate,
  formatPower,
  formatTime,
  formatUsd,
  parseBandwidth,
  parsePercent,
  parseRate,
  parseSize,
  parseTime,
  UnitError,
} from "../../src/units/index.js";

describe("parse", () => {
  it("sizes: decimal and binary steps", () => {
    expect(parseSize("4096B")).toBe(4096);
    expect(parseSize("2MB")).toBe(2e6);
    expect(parseSize("2MiB")).toBe(2 * 2 ** 20);
    expect(parseSize("16GiB")).toBe(16 * 2 ** 30);
    expect(parseSize("1.5TB")).toBe(1.5e12);
    expect(parseSize(178450)).toBe(178450);
    expect(parseSize("178450")).toBe(178450);
  });

  it("bandwidth: bits vs bytes, per direction", () => {
    expect(parseBandwidth("400Gbps")).toBe(50e9);
    expect(parseBandwidth("450GB/s")).toBe(450e9);
    expect(parseBandwidth("100Gbps")).toBe(12.5e9);
    expect(parseBandwidth("1.6Tbps")).toBe(200e9);
    expect(parseBandwidth("800Mbps")).toBe(100e6);
    // The documented upper bound of every bandwidth can be written.
    expect(parseBandwidth("1PB/s")).toBe(1e15);
    expect(parseBandwidth("8Pbps")).toBe(1e15);
  });

  it("time, rate and percent", () => {
    expect(parseTime("500ns")).toBeCloseTo(5e-7, 20);
    expect(parseTime("1.5us")).toBeCloseTo(1.5e-6, 20);
    expect(parseTime("2ms")).toBe(2e-3);
    expect(parseTime("2s")).toBe(2);
    expect(parseTime("3min")).toBe(180);
    expect(parseTime("1h")).toBe(3600);
    expect(parseTime("10ps")).toBeCloseTo(1e-11, 25);
    expect(parseRate("20/s")).toBe(20);
    expect(parsePercent("50%")).toBe(0.5);
  });

  it("units are case-sensitive: Gbps is bits, GB/s bytes, gbps nothing", () => {
    expect(() => parseBandwidth("400gbps")).toThrow(/did you mean "Gbps"/);
    expect(() => parseSize("4gib")).toThrow(/did you mean "GiB"/);
  });

  it("errors name the bad string and what was expected", () => {
    expect(() => parseBandwidth("400GB")).toThrow(UnitError);
    expect(() => parseBandwidth("400GB")).toThrow(/"400GB".*did you mean "GB\/s".*bandwidth such as 400Gbps/);
    expect(() => parseTime("fast")).toThrow(/"fast" is not a time; expected a time such as/);
    expect(() => parseSize("12XB")).toThrow(/"12XB" has unit "XB", which is not a size unit/);
    expect(() => parseSize(Number.NaN)).toThrow(/not a finite number/);
  });

  it("property: a number printed with a unit parses back to the same SI value", () => {
    const units: [string, number][] = [
      ["KiB", 1024],
      ["MB", 1e6],
      ["GiB", 2 ** 30],
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(...units), (n, [u, f]) => {
        expect(parseSize(`${n}${u}`)).toBe(n * f);
      }),
    );
  });
});

describe("format", () => {
  it("prints human units with three significant digits", () => {
    expect(formatTime(1.234e-3)).toBe("1.23 ms");
    expect(formatTime(176.2e-6)).toBe("176 us");
    expect(formatTime(0)).toBe("0 s");
    expect(formatTime(5400)).toBe("1.50 h");
    expect(formatBandwidth(412e9)).toBe("412 GB/s");
    expect(formatLineRate(50e9)).toBe("400 Gbps");
    expect(formatBytes(16 * 2 ** 30)).toBe("16 GiB");
    expect(formatBytes(2e6)).toBe("2.00 MB");
    expect(formatBytes(8)).toBe("8 B");
    // A short binary figure stays binary; a long count of a small unit does not.
    expect(formatBytes(1.5 * 2 ** 30)).toBe("1.5 GiB");
    expect(formatBytes(598528 * 1024)).toBe("584.5 MiB");
    expect(formatBytes(3e9)).toBe("3.00 GB");
    expect(formatUsd(1234567)).toBe("$1,234,567");
    expect(formatUsd(2.5)).toBe("$2.50");
    // Under a dollar, three significant digits: a step's cost is not $0.00.
    expect(formatUsd(0.004123)).toBe("$0.00412");
    expect(formatUsd(0.5)).toBe("$0.500");
    expect(formatUsd(0)).toBe("$0.00");
    // Floating-point residue is not a price.
    expect(formatUsd(7.9e-15)).toBe("$0.00");
    expect(formatUsd(-7.9e-15)).toBe("$0.00");
    expect(formatUsd(-1500)).toBe("-$1,500");
    expect(formatCount(16384)).toBe("16,384");
    expect(formatCount(-1234567.5)).toBe("-1,234,567.5");
    expect(formatCount(999)).toBe("999");
  });

  it("property: formatTime picks the unit whose value lies in [1, 1000)", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-11, max: 59, noNaN: true }), (s) => {
        const [value] = formatTime(s).split(" ");
        const v = Number(value);
        expect(v).toBeGreaterThanOrEqual(1);
        expect(v).toBeLessThan(1000);
      }),
    );
  });

  // Just below each unit step the value rounds up to the next unit: round first, then choose the unit.
  const justBelow = (x: number) => x * (1 - 1e-5);
  it.each([
    [1e-9, "1.00 ns"],
    [1e-6, "1.00 us"],
    [1e-3, "1.00 ms"],
    [1, "1.00 s"],
    [60, "1.00 min"],
    [3600, "1.00 h"],
  ])("time just below %s s prints as %s", (step, text) => {
    expect(formatTime(justBelow(step))).toBe(text);
    expect(formatTime(step)).toBe(text);
    expect(formatTime(-justBelow(step))).toBe(`-${text}`);
  });

  it.each([
    [formatBytes, 1e3, "1.00 KB"],
    [formatBytes, 1e6, "1.00 MB"],
    [formatBytes, 1e9, "1.00 GB"],
    [formatBytes, 1e12, "1.00 TB"],
    [formatBandwidth, 1e3, "1.00 KB/s"],
    [formatBandwidth, 1e9, "1.00 GB/s"],
    [formatBandwidth, 1e12, "1.00 TB/s"],
    [formatLineRate, 1e9 / 8, "1.00 Gbps"],
    [formatLineRate, 1e12 / 8, "1.00 Tbps"],
    [formatPower, 1e3, "1.00 kW"],
    [formatPower, 1e6, "1.00 MW"],
  ] as const)("%o just below %s prints the next unit (%s)", (format, step, text) => {
    expect(format(justBelow(step))).toBe(text);
  });

  it("property: no printed time, size, bandwidth or power reaches 1000 of its unit", () => {
    const formats = [formatTime, formatBytes, formatBandwidth, formatLineRate, formatPower];
    fc.assert(
      fc.property(
        fc.double({ min: 1e-11, max: 1e15, noNaN: true }),
        fc.integer({ min: 0, max: formats.length - 1 }),
        (x, i) => {
          const [value, unit] = formats[i](x).split(" ");
          // The smallest and largest units have nothing beyond them.
          if (["h", "PB", "TB/s", "Tbps", "MW", "B"].includes(unit)) return;
          expect(Number(value)).toBeLessThan(1000);
        },
      ),
    );
  });
});
