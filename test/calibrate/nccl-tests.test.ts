// Reading nccl-tests results: the binaries' stdout (a golden sample of the format, and the layouts of older
// versions) and the CSVs of data/calibration/; what is not a measurement is a located error, never a fit.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { opOfName, parseNcclTests } from "../../src/calibrate/nccl-tests.js";
import { dataPath } from "../helpers/data.js";

const STDOUT = `# Collective test starting: all_gather_perf
# nThread 1 nGpus 1 minBytes 1024 maxBytes 4096 step: 2(factor) warmup iters: 5 iters: 20 agg iters: 1 validation: 1 graph: 0
#
# Using devices
#  Rank  0 Group  0 Pid  41001 on     node-a device  0 [0x18] NVIDIA H100 80GB HBM3
#  Rank  1 Group  0 Pid  41002 on     node-a device  1 [0x2a] NVIDIA H100 80GB HBM3
#  Rank  2 Group  0 Pid  52001 on     node-b device  0 [0x18] NVIDIA H100 80GB HBM3
#  Rank  3 Group  0 Pid  52002 on     node-b device  1 [0x2a] NVIDIA H100 80GB HBM3
#
#                                                              out-of-place                       in-place
#       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong
#        (B)    (elements)                               (us)  (GB/s)  (GB/s)            (us)  (GB/s)  (GB/s)
        1024            64     float    none      -1    21.50    0.05    0.04      0    20.90    0.05    0.04      0
        2048           128     float    none      -1    22.10    0.09    0.07      0    21.80    0.09    0.07      0
        4096           256     float    none      -1    23.40    0.18    0.13      0    23.00    0.18    0.13      0
# Out of bounds values : 0 OK
# Avg bus bandwidth    : 0.08
`;

describe("nccl-tests output", () => {
  it("reads the collective, the ranks and hosts, and the out-of-place time of every size", () => {
    const run = parseNcclTests(STDOUT, "ag.txt");
    expect(run.op).toBe("all-gather");
    expect(run.ranks).toBe(4);
    expect(run.hosts).toBe(2);
    expect(run.rows.map((r) => r.bytes)).toEqual([1024, 2048, 4096]);
    expect(run.rows[0].timeS).toBeCloseTo(21.5e-6, 12);
    expect(run.rows[2].line).toBe(15);
  });

  it("reads rows without the root column (older nccl-tests)", () => {
    const old =
      "# nThread 1\n        8            2     float     sum    13.67    0.00    0.00  0e+00    13.03    0.00    0.00  0e+00\n";
    const run = parseNcclTests(old, "all_reduce_perf.log");
    expect(run.op).toBe("all-reduce");
    expect(run.rows[0].timeS).toBeCloseTo(13.67e-6, 12);
  });

  it("reads the CSVs in data/calibration (size_bytes, oop_time_us)", () => {
    const file = dataPath("calibration/nccl_allreduce_gcp_a3mega_2node.csv");
    const run = parseNcclTests(readFileSync(file, "utf8"), file);
    expect(run.op).toBe("all-reduce");
    expect(run.rows.length).toBeGreaterThan(20);
    expect(run.rows[0]).toMatchObject({ bytes: 8 });
    expect(run.rows[0].timeS).toBeCloseTo(135.8e-6, 12);
  });

  it("names the op of binaries and files", () => {
    expect(opOfName("alltoall_perf")).toBe("all-to-all");
    expect(opOfName("reduce_scatter_perf")).toBe("reduce-scatter");
    expect(opOfName("sendrecv_perf")).toBe("send-recv");
    expect(opOfName("results.txt")).toBeUndefined();
    // Hyphenated names, as weft's own output and a renamed file write them, are not "reduce".
    expect(opOfName("all-reduce on 16 ranks")).toBe("all-reduce");
    expect(opOfName("a3mega-all-reduce.csv")).toBe("all-reduce");
    expect(opOfName("reduce-scatter")).toBe("reduce-scatter");
    expect(opOfName("all-gather")).toBe("all-gather");
    expect(opOfName("all-to-all")).toBe("all-to-all");
    expect(opOfName("send-recv")).toBe("send-recv");
  });

  it("says where a bad row is and what was expected", () => {
    const bad =
      "        8            2     float     sum      -1    abc    0.00    0.00      0    13.03    0.00    0.00      0\n";
    expect(() => parseNcclTests(bad, "x.txt")).toThrow(
      /^x\.txt:1:53: "abc" is not a time in microseconds; expected/,
    );
    expect(() => parseNcclTests("# nothing\n", "y.txt")).toThrow(/y\.txt:1:1: no result rows/);
  });
});

// nccl-tests 2.10: no root column, and times of 10 ms and more print without decimals (%7.0f).
const OLD_NO_ROOT = `#       size         count      type   redop     time   algbw   busbw  error     time   algbw   busbw  error
     8388608       2097152     float     sum    83.04  101.02  176.79  2e-06    82.00  102.30  179.03  2e-06
  1073741824     268435456     float     sum    79531   13.50   26.58  2e-06    79371   13.53   26.63  2e-06
`;

// Older all_gather_perf: neither redop nor root.
const OLD_ALL_GATHER = `# Collective test starting: all_gather_perf
#       size         count      type     time   algbw   busbw  error     time   algbw   busbw  error
#        (B)    (elements)               (us)  (GB/s)  (GB/s)            (us)  (GB/s)  (GB/s)
     1048576         32768     float    110.5    9.49    8.30  0e+00    110.0    9.53    8.34  0e+00
   134217728       4194304     float    12345   10.87    9.51  0e+00    12300   10.91    9.55  0e+00
`;

// Rank lines without Group: older nccl-tests, and rccl-tests.
const NO_GROUP = `# nThread 1 nGpus 8 minBytes 1048576 maxBytes 4294967296 step: 4(factor) warmup iters: 5 iters: 20 validation: 1
#
# Using devices
#   Rank  0 Pid  11111 on     node01 device  0 [0x18] NVIDIA H100 80GB HBM3
#   Rank  1 Pid  11111 on     node01 device  1 [0x2a] NVIDIA H100 80GB HBM3
#   Rank  2 Pid  22222 on     node02 device  0 [0x18] NVIDIA H100 80GB HBM3
#   Rank  3 Pid  22222 on     node02 device  1 [0x2a] NVIDIA H100 80GB HBM3
#   Rank  4 Pid  22222 on     node02 device  2 [0x3a] NVIDIA H100 80GB HBM3
#
#       size         count    type   redop     time   algbw   busbw  error     time   algbw   busbw  error
     1048576        262144   float     sum    27.37   38.31   67.04  5e-07    27.00   38.84   67.96  5e-07
`;

const RCCL = `# Collective test starting: all_reduce_perf
#   Rank  0 Pid   4711 on mi300-a device  0 [0000:05:00.0] AMD Instinct MI300X
#   Rank  1 Pid   4712 on mi300-a device  1 [0000:26:00.0] AMD Instinct MI300X
#       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong
     1048576        262144     float     sum      -1    30.10   34.84   34.84      0    29.90   35.07   35.07      0
`;

describe("nccl-tests column layouts", () => {
  it("takes the columns from the header: no root column, times without decimals (2.10)", () => {
    const run = parseNcclTests(OLD_NO_ROOT, "old_all_reduce_perf.txt");
    expect(run.rows.map((r) => r.bytes)).toEqual([8388608, 1073741824]);
    expect(run.rows[0].timeS).toBeCloseTo(83.04e-6, 12);
    expect(run.rows[1].timeS).toBeCloseTo(79531e-6, 12);
  });

  it("takes the columns from the header: no redop and no root (older all_gather_perf)", () => {
    const run = parseNcclTests(OLD_ALL_GATHER, "ag.txt");
    expect(run.op).toBe("all-gather");
    expect(run.rows[0].timeS).toBeCloseTo(110.5e-6, 12);
    expect(run.rows[1].timeS).toBeCloseTo(12345e-6, 12);
  });

  it("without a header, reads the time counting from the row's end, whatever its number format", () => {
    const rows =
      "  1073741824     268435456     float     sum    79531   13.50   26.58  2e-06    79371   13.53   26.63  2e-06\n" +
      "  1073741824     268435456     float     sum       -1    79531   13.50   26.58      0    79371   13.53   26.63      0\n";
    const run = parseNcclTests(rows, "all_reduce_perf.txt");
    for (const r of run.rows) expect(r.timeS).toBeCloseTo(79531e-6, 12);
  });

  it("says so when the layout cannot be told (no header, an unknown column count)", () => {
    expect(() => parseNcclTests("   1048576   262144   float   sum   27.37   38.31\n", "x.txt")).toThrow(
      /^x\.txt:1:1: cannot tell which column is the time: no header line .* expected nccl-tests' output with its header lines/,
    );
  });

  it("says where a row does not have the header's columns", () => {
    const cut = `${OLD_NO_ROOT}     4194304       1048576     float     sum    54.19   77.40\n`;
    expect(() => parseNcclTests(cut, "x.txt")).toThrow(
      /^x\.txt:4:62: 6 values, but the header on line 1 names 12 columns \(size count type redop time algbw busbw error time algbw busbw error\); expected one value per column/,
    );
  });

  it("reads rank lines without Group (older nccl-tests, rccl-tests): ranks per host in order", () => {
    const old = parseNcclTests(NO_GROUP, "all_reduce_perf.txt");
    expect(old).toMatchObject({ ranks: 5, hosts: 2 });
    expect(old.hostRanks).toEqual([
      { host: "node01", ranks: 2, line: 4 },
      { host: "node02", ranks: 3, line: 6 },
    ]);
    expect(parseNcclTests(RCCL, "r.txt")).toMatchObject({ ranks: 2, hosts: 1, op: "all-reduce" });
  });
});

describe("nccl-tests output as launchers and runs leave it", () => {
  it("reads lines labelled by mpirun --tag-output or srun --label", () => {
    const tagged = STDOUT.split("\n")
      .map((l) => (l ? `[1,0]<stdout>:${l}` : l))
      .join("\n");
    const run = parseNcclTests(tagged, "ag.txt");
    expect(run.op).toBe("all-gather");
    expect(run.ranks).toBe(4);
    expect(run.rows.map((r) => r.bytes)).toEqual([1024, 2048, 4096]);
    const labelled = STDOUT.split("\n")
      .map((l) => (l ? `0: ${l}` : l))
      .join("\n");
    expect(parseNcclTests(labelled, "ag.txt").rows).toEqual(run.rows);
  });

  it("refuses two collectives' runs in one file, at the second", () => {
    const two = `${STDOUT}${STDOUT.replace("all_gather_perf", "all_reduce_perf")}`;
    expect(() => parseNcclTests(two, "two.txt")).toThrow(
      /^two\.txt:18:29: a second run \(all_reduce_perf\) after rows of line 1 .*expected one collective per file/,
    );
    // The same collective twice (a repeated run) is more rows of it.
    expect(parseNcclTests(`${STDOUT}${STDOUT}`, "ag.txt").rows).toHaveLength(6);
  });

  it("notes rows whose data nccl-tests found wrong (#wrong)", () => {
    const wrong = STDOUT.replace("21.50    0.05    0.04      0", "21.50    0.05    0.04     12");
    const run = parseNcclTests(wrong, "ag.txt");
    expect(run.rows).toHaveLength(3);
    expect(run.notes).toEqual([expect.stringMatching(/^ag\.txt:13: 12 wrong values at 1024 B/)]);
    expect(parseNcclTests(STDOUT, "ag.txt").notes).toEqual([]);
  });
});

describe("degenerate measurements are located errors, never a fit", () => {
  const csv = (rows: string) => `size_bytes,oop_time_us\n${rows}`;

  it("a CSV with a header and no rows", () => {
    expect(() => parseNcclTests(csv(""), "x.csv")).toThrow(/^x\.csv:1:1: no result rows; expected/);
  });

  it("0-byte rows are skipped with a note", () => {
    const run = parseNcclTests(csv("0,12\n8388608,83\n"), "x.csv");
    expect(run.rows.map((r) => r.bytes)).toEqual([8388608]);
    expect(run.notes).toEqual([expect.stringMatching(/^x\.csv:2: 0-byte row skipped/)]);
    const out = parseNcclTests(
      "        0             0     float     sum      -1     5.10    0.00    0.00      0     5.00    0.00    0.00      0\n" +
        "        8             2     float     sum      -1    13.67    0.00    0.00      0    13.03    0.00    0.00      0\n",
      "all_reduce_perf.txt",
    );
    expect(out.rows.map((r) => r.bytes)).toEqual([8]);
    expect(out.notes[0]).toMatch(/^all_reduce_perf\.txt:1: 0-byte row skipped/);
    expect(() => parseNcclTests(csv("0,12\n"), "z.csv")).toThrow(/no result rows/);
  });

  it.each([
    ["8,Infinity", 3, "Infinity"],
    ["8,-4.5", 3, "-4.5"],
    ["8,NaN", 3, "NaN"],
    ["8,0", 3, "0"],
    ["8, 12 us", 4, "12 us"],
  ])("the time %s", (row, col, text) => {
    expect(() => parseNcclTests(csv(`${row}\n`), "x.csv")).toThrow(
      `x.csv:2:${col}: "${text}" is not a time in microseconds; expected a positive number (oop_time_us)`,
    );
  });

  it.each(["abc", "-5", "1e400", "1.5"])("the size %s", (size) => {
    expect(() => parseNcclTests(csv(`${size},12\n`), "x.csv")).toThrow(
      `x.csv:2:1: "${size}" is not a size in bytes; expected a whole number of bytes`,
    );
  });

  it("sizes and times in stdout rows, and CSV rows that miss a value or a column", () => {
    const row = (size: string, time: string) =>
      `${size.padStart(12)}  2  float  sum  -1  ${time}  0.00  0.00  0  13.03  0.00  0.00  0\n`;
    expect(() => parseNcclTests(row("1e400", "13.67"), "a.txt")).toThrow(
      /^a\.txt:1:8: "1e400" is not a size/,
    );
    expect(() => parseNcclTests(row("8", "inf"), "a.txt")).toThrow(/^a\.txt:1:34: "inf" is not a time/);
    expect(() => parseNcclTests(row("8", "-nan"), "a.txt")).toThrow(/^a\.txt:1:34: "-nan" is not a time/);
    expect(() => parseNcclTests(csv("8388608\n"), "x.csv")).toThrow(
      /^x\.csv:2:1: 1 values, but the header on line 1 names 2 columns/,
    );
    expect(() => parseNcclTests("size_bytes,time\n8,12\n", "y.csv")).toThrow(
      /^y\.csv:1:1: no oop_time_us column/,
    );
    expect(() => parseNcclTests("oop_time_us,bytes\n12,8\n", "y.csv")).toThrow(
      /^y\.csv:1:1: no size_bytes column/,
    );
  });
});
