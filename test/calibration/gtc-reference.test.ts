/**
 * CALIBRATION, not validation: the reference rows a collective constant was set from
 * (test/collectives/gtc-reference-tolerances.csv, role calibration: the scale-up and scale-out link
 * efficiencies and the direct efficiency, docs/collectives.md), and the nccl-tests#119 data point the
 * scale-out efficiency also rests on. Passing says the constants still reproduce their own sources.
 */
import { describe, expect, it } from "vitest";
import { busBandwidthFactor, collectiveTime } from "../../src/collectives/index.js";
import { A100, checkReferenceCases } from "../collectives/gtc-reference.js";
import { cluster, firstRanks, pct } from "../collectives/helpers.js";

describe("GTC reference rows the constants were set from", () => {
  it("each within its tolerance", () => {
    checkReferenceCases("calibration", 6);
  });
});

describe("maintainers' data points (nccl_github_issue_datapoints.csv)", () => {
  it("3 nodes × 8 A100 with 4 × 200G NICs peak ~96 GB/s at 128 MB (nccl-tests#119), within 15%", () => {
    const b = cluster({ nodes: 3, nics: 4, topology: "fat-tree", ...A100 });
    const size = 128 * 2 ** 20;
    const t = collectiveTime(b.ctx("analytical"), "all-reduce", firstRanks(24), size);
    const busbw = ((size / t.timeS) * busBandwidthFactor("all-reduce", 24)) / 1e9;
    console.log(`A100 3×8, 4×200G: model ${busbw.toFixed(1)} GB/s (${t.algorithm}/${t.protocol}) vs ~96`);
    expect(Math.abs(pct(busbw, 96))).toBeLessThanOrEqual(15);
  });
});
