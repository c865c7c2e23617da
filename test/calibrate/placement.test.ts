// Which tier a measured run calibrates follows from its own hosts and ranks per host, placed on the
// scenario's cluster: 2 hosts with 1 GPU each measure the scale-out fabric, not NVLink.
import { describe, expect, it } from "vitest";
import { type CalibrationRun, tierOf } from "../../src/calibrate/fit-links.js";
import { formatNcclTests, parseNcclTests } from "../../src/calibrate/nccl-tests.js";
import { placeRanks } from "../../src/calibrate/placement.js";
import { builtFile, cluster } from "../collectives/helpers.js";

const AR_2HOST = `# Collective test starting: all_reduce_perf
# nThread 1 nGpus 1 minBytes 1048576 maxBytes 1073741824 step: 4(factor) warmup iters: 5 iters: 20 agg iters: 1 validation: 1 graph: 0
#
# Using devices
#  Rank  0 Group  0 Pid  11111 on    node01 device  0 [0x18] NVIDIA H100 80GB HBM3
#  Rank  1 Group  0 Pid  22222 on    node02 device  0 [0x18] NVIDIA H100 80GB HBM3
#
#                                                              out-of-place                       in-place
#       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong
#        (B)    (elements)                               (us)  (GB/s)  (GB/s)            (us)  (GB/s)  (GB/s)
     1048576        262144     float     sum      -1    60.00   17.48   17.48      0    60.00   17.48   17.48      0
     4194304       1048576     float     sum      -1   120.0   34.95   34.95      0   120.0   34.95   34.95      0
    16777216       4194304     float     sum      -1   400.0   41.94   41.94      0   400.0   41.94   41.94      0
    67108864      16777216     float     sum      -1  1500.0   44.74   44.74      0  1500.0   44.74   44.74      0
   268435456      67108864     float     sum      -1  5800.0   46.28   46.28      0  5800.0   46.28   46.28      0
  1073741824     268435456     float     sum      -1    23000   46.68   46.68      0    23000   46.68   46.68      0
# Out of bounds values : 0 OK
`;

/** A parsed run with `perHost` ranks on each of `hosts`. */
function synthetic(hosts: string[], perHost: number): CalibrationRun {
  const rows = [1048576, 1073741824].map((bytes) => ({ bytes, timeS: bytes / 40e9 + 2e-5, busbw: 40e9 }));
  const run = parseNcclTests(formatNcclTests("all_reduce_perf", hosts, perHost, rows), "ar.txt");
  return { ...run, op: "all-reduce", ranks: run.ranks ?? 0 };
}

describe("the tier a run measures comes from its hosts", () => {
  const quickstart = builtFile("examples/quickstart.yaml");
  const ctx = quickstart.ctx("analytical");

  it("2 hosts with 1 GPU each: scale-out, one rank on each of two nodes", () => {
    const parsed = parseNcclTests(AR_2HOST, "ar_2host.txt");
    const run: CalibrationRun = { ...parsed, op: "all-reduce", ranks: parsed.ranks ?? 0 };
    expect(Array.from(placeRanks(quickstart.fabric, run))).toEqual([0, 8]);
    expect(tierOf(ctx, run)).toBe("scaleOut");
  });

  it("one host: its scale-up domain; several hosts: scale-out (ranks per host as the file ran them)", () => {
    const b = cluster({ nodes: 4, scaleUp: { id: "nvlink4", inNetworkReduction: false } });
    const c = b.ctx("analytical");
    expect(tierOf(c, synthetic(["a"], 4))).toBe("scaleUp");
    expect(tierOf(c, synthetic(["a"], 8))).toBe("scaleUp");
    const two = synthetic(["a", "b"], 2);
    expect(Array.from(placeRanks(b.fabric, two))).toEqual([0, 1, 8, 9]);
    expect(tierOf(c, two)).toBe("scaleOut");
  });

  it("hosts inside one multi-node scale-up domain (an NVL72 rack) measure scale-up", () => {
    const nvl = builtFile("examples/gb200-nvl72-allgather.yaml");
    expect(tierOf(nvl.ctx("analytical"), synthetic(["t1", "t2"], 4))).toBe("scaleUp");
  });

  it("a file without rank lines runs on the first N accelerators", () => {
    const run: CalibrationRun = { file: "x.csv", op: "all-reduce", ranks: 16, rows: [], notes: [] };
    expect(Array.from(placeRanks(quickstart.fabric, run))).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });

  it("a layout the cluster cannot hold is a clear error", () => {
    const b = cluster({ nodes: 2 });
    expect(() => placeRanks(b.fabric, synthetic(["a", "b", "c"], 1))).toThrow(
      /^ar\.txt:7:1: the run spans 3 hosts \(a, b, c\), but group "gpu" has 2 nodes; the run cannot be placed/,
    );
    expect(() => placeRanks(b.fabric, synthetic(["a"], 16))).toThrow(
      /^ar\.txt:5:1: 16 ranks ran on host a, but a node of group "gpu" has 8 accelerators; .*Expected a scenario of the cluster the run was measured on/,
    );
  });
});
