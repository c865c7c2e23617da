// `--format nccl-tests`: the table as nccl-tests' *_perf prints it, so parsers written for it read it.
import { describe, expect, it } from "vitest";
import { ncclTestsBuffer } from "../../src/collectives/run.js";
import { cG, formatNcclTests, ncclTime } from "../../src/report/nccl-tests.js";
import type { CollectiveResults } from "../../src/results/types.js";
import { run } from "../../src/run.js";
import { loadScenario, parseScenario } from "../../src/scenario/load.js";
import { weft } from "../cli/run-cli.js";

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

/** The sweep of `op` on 16 H100 (2 servers), analytical. */
async function sweep16(op: string, sizes: string, factor?: number): Promise<CollectiveResults> {
  const scenario = parseScenario(
    `name: ${op} on 16
cluster:
  groups:
    - { name: gpu, nodes: 2, accelerator: H100-SXM, acceleratorsPerNode: 8, nics: { count: 8, bandwidth: 400Gbps } }
  scaleOut: { topology: fat-tree, tiers: 1, switch: QM9700 }
workload:
  collective: { op: ${op}, sizes: ${sizes}${factor ? `, factor: ${factor}` : ""} }
simulation: { fidelity: analytical, seed: 1 }
`,
    "sweep16.yaml",
  );
  const results = await run(scenario);
  if (results.kind !== "collective") throw new Error("expected a collective");
  return results;
}

/** The size and count columns of the table's rows. */
function sizeAndCount(results: CollectiveResults): [number, number][] {
  return formatNcclTests(results)
    .split("\n")
    .filter((l) => /^\s+\d/.test(l))
    .map((l) => l.trim().split(/\s+/).slice(0, 2).map(Number) as [number, number]);
}

describe("nccl-tests' size and count", () => {
  it("per rank for all-gather, reduce-scatter and all-to-all; the whole buffer for the others", () => {
    // nccl-tests' setupArgs and GetCollByteCount: count = size/4; per rank ⌊count/n⌋, a multiple of 4 floats.
    expect(ncclTestsBuffer("all-gather", 1024, 16)).toEqual({ sizeBytes: 1024, count: 16 });
    expect(ncclTestsBuffer("reduce-scatter", 2 ** 20, 24)).toEqual({ sizeBytes: 1048320, count: 10920 });
    expect(ncclTestsBuffer("all-to-all", 8, 16)).toEqual({ sizeBytes: 0, count: 0 });
    expect(ncclTestsBuffer("all-gather", 16 * 2 ** 20, 288)).toEqual({ sizeBytes: 16773120, count: 14560 });
    expect(ncclTestsBuffer("all-reduce", 1024, 16)).toEqual({ sizeBytes: 1024, count: 256 });
    expect(ncclTestsBuffer("broadcast", 6, 16)).toEqual({ sizeBytes: 4, count: 1 });
  });

  it("prints each op's rows as its *_perf does, and times the buffer it prints", async () => {
    const perRank: [number, number][] = [
      [1024, 16],
      [65536, 1024],
      [4194304, 65536],
    ];
    for (const op of ["all-gather", "reduce-scatter", "all-to-all"]) {
      const results = await sweep16(op, "[1KiB, 4MiB]", 64);
      expect(sizeAndCount(results), op).toEqual(perRank);
      for (const r of results.rows) expect(r.algbwGBps).toBeCloseTo(r.sizeBytes / r.timeUs / 1e3, 9);
    }
    const whole = await sweep16("all-reduce", "[1KiB, 4MiB]", 64);
    expect(sizeAndCount(whole)).toEqual([
      [1024, 256],
      [65536, 16384],
      [4194304, 1048576],
    ]);
  });

  it("prints a size that leaves each rank less than 16 bytes as 0, with no time", async () => {
    const results = await sweep16("all-gather", "[8B, 512B]", 4);
    expect(sizeAndCount(results)).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [512, 8],
    ]);
    expect(results.rows.map((r) => r.timeUs > 0)).toEqual([false, false, false, true]);
  });

  it("a collective job of a jobs: scenario runs and reports its sizes alike", async () => {
    const scenario = parseScenario(
      `name: a gather job
cluster:
  groups:
    - { name: gpu, nodes: 4, accelerator: H100-SXM, acceleratorsPerNode: 8, nics: { count: 8, bandwidth: 400Gbps } }
  scaleOut: { topology: fat-tree, tiers: 1, switch: QM9700 }
jobs:
  - { name: g, placement: auto, accelerators: 16, steps: 1, collective: { op: all-gather, sizes: [8B, 1KiB], factor: 4 } }
simulation: { fidelity: flow, seed: 1 }
`,
      "jobs.yaml",
    );
    const results = await run(scenario);
    if (results.kind !== "jobs") throw new Error("expected jobs");
    const rows = (results.jobs[0] as { rows: CollectiveResults["rows"] }).rows;
    expect(rows.map((r) => [r.sizeBytes, r.count])).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [512, 8],
    ]);
  });

  it("weft collective --format nccl-tests prints them so", () => {
    const r = weft([
      "collective",
      "all-gather",
      "--gpus",
      "16",
      "-b",
      "1KiB",
      "-e",
      "4MiB",
      "-f",
      "64",
      "--format",
      "nccl-tests",
    ]);
    expect(r.status).toBe(0);
    const rows = r.stdout.split("\n").filter((l) => /^\s+\d/.test(l));
    expect(rows.map((l) => l.trim().split(/\s+/).slice(0, 5))).toEqual([
      ["1024", "16", "float", "none", "-1"],
      ["65536", "1024", "float", "none", "-1"],
      ["4194304", "65536", "float", "none", "-1"],
    ]);
  });
});
