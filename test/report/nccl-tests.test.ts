// `--format nccl-tests`: the table as nccl-tests' *_perf prints it, so parsers written for it read it.
import { describe, expect, it } from "vitest";
import { cG, formatNcclTests, ncclTime } from "../../src/report/nccl-tests.js";
import type { CollectiveResults } from "../../src/results/types.js";
import { run } from "../../src/run.js";
import { loadScenario } from "../../src/scenario/load.js";

// nccl-tests' header lines (common.cu), as all_reduce_perf prints them.
const HEADER = [
  "#                                                              out-of-place                       in-place          ",
  "#       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong",
  "#        (B)    (elements)                               (us)  (GB/s)  (GB/s)            (us)  (GB/s)  (GB/s)       ",
];

async function quickstart(): Promise<CollectiveResults> {
  const results = await run(loadScenario("examples/quickstart.yaml"), { fidelity: "analytical" });
  if (results.kind !== "collective") throw new Error("expected a collective");
  return results;
}

describe("nccl-tests format", () => {
  it("prints nccl-tests' header, one row per size with its columns, and the average bus bandwidth", async () => {
    const results = await quickstart();
    const lines = formatNcclTests(results).split("\n");
    const start = lines.indexOf(HEADER[0]);
    expect(lines.slice(start, start + 3)).toEqual(HEADER);
    const rows = lines.filter((l) => /^\s+\d/.test(l));
    expect(rows).toHaveLength(results.rows.length);
    rows.forEach((line, i) => {
      const r = results.rows[i];
      // The fixed widths of %12li  %12li  %8s  %6s  %6i and twice   %7s  %6.2f  %6.2f  %5s.
      expect(line.length).toBe(12 + 2 + 12 + 2 + 8 + 2 + 6 + 2 + 6 + 2 * (2 + 7 + 2 + 6 + 2 + 6 + 2 + 5));
      const f = line.trim().split(/\s+/);
      expect(f).toHaveLength(13);
      expect(Number(f[0])).toBe(r.sizeBytes);
      expect(Number(f[1])).toBe(r.count);
      expect(f.slice(2, 5)).toEqual(["float", "sum", "-1"]);
      expect(Number(f[5])).toBeCloseTo(r.timeUs, r.timeUs >= 10_000 ? -1 : 1);
      expect(f[7]).toBe(r.busbwGBps.toFixed(2));
      expect(f.slice(9, 12)).toEqual(f.slice(5, 8));
    });
    const avg = results.rows.reduce((s, r) => s + r.busbwGBps, 0) / results.rows.length;
    expect(lines).toContain(`# Avg bus bandwidth    : ${cG(avg)} `);
    expect(lines).toContain("# Out of bounds values : 0 OK");
  });

  it("prints times with nccl-tests' precision: 2 decimals below 100 us, 1 below 10,000 us, none above", () => {
    expect(ncclTime(35.804)).toBe("  35.80");
    expect(ncclTime(99.994)).toBe("  99.99");
    expect(ncclTime(1211.23)).toBe(" 1211.2");
    expect(ncclTime(12345.6)).toBe("  12346");
  });

  it("%g keeps six significant digits and drops trailing zeros", () => {
    expect(cG(12.345678)).toBe("12.3457");
    expect(cG(180.4)).toBe("180.4");
    expect(cG(0)).toBe("0");
  });
});
