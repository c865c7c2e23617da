// Metric values for people: the unit follows the metric's name.
import { describe, expect, it } from "vitest";
import { formatMetric } from "../../src/sweep/format.js";

describe("formatMetric", () => {
  it("rates ending in PerS are per second, not seconds", () => {
    expect(formatMetric("throughputTokensPerS", 1297.4)).toBe("1,297/s");
    expect(formatMetric("stepTimeS", 1.5)).toBe("1.50 s");
  });

  it("a cost under a dollar keeps three significant digits", () => {
    expect(formatMetric("costPerStepUsd", 0.004123)).toBe("$0.00412");
  });

  it("memory in decimal GB as the run reports it; transfer sizes in binary units", () => {
    expect(formatMetric("memoryPerRankBytes.total", 2.1e9)).toBe("2.1 GB");
    expect(formatMetric("sizeBytes", 2 ** 30)).toBe("1 GiB");
  });
});
