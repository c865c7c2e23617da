// Reading nccl-tests results: the binaries' stdout (a golden sample of the format) and the CSVs of
// data/calibration/.
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
  });

  it("says where a bad row is and what was expected", () => {
    const bad =
      "        8            2     float     sum      -1    abc    0.00    0.00      0    13.03    0.00    0.00      0\n";
    expect(() => parseNcclTests(bad, "x.txt")).toThrow(
      /^x\.txt:1:1: "abc" is not a time in microseconds; expected/,
    );
    expect(() => parseNcclTests("# nothing\n", "y.txt")).toThrow(/y\.txt:1:1: no result rows/);
  });
});
