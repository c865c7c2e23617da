// Every number of virtual stages up to 8 that leaves each model chunk a layer is tried: the pipeline
// partition balances layers that do not divide evenly, so vpp 5 and 7 are as valid as 4 and 8.
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { layoutSpace } from "../../src/tune/space.js";

// A 40-layer model on 16 A100, written with two pipeline stages of five virtual stages each.
const scenario = parseScenario(`name: 13B, interleaved pipeline
cluster:
  groups:
    - name: gpu
      nodes: 2
      accelerator: A100-SXM4-80GB
      acceleratorsPerNode: 8
      scaleUp: nvlink3
      nics: { count: 8, bandwidth: 200Gbps }
  scaleOut: { topology: fat-tree, tiers: auto, switch: QM8700 }
workload:
  training:
    model: { name: gpt-13b, layers: 40, hidden: 5120, heads: 40, vocab: 51200, seqLength: 2048 }
    parallelism: { tp: 8, pp: 2, dp: 1, vpp: 5, zero: 1 }
    microBatch: 1
    globalBatch: 128
    recompute: selective
`);

describe("the training tuner's virtual stages", () => {
  const { layouts } = layoutSpace(scenario);
  const vpps = (pp: number) =>
    [...new Set(layouts.filter((l) => l.pp === pp).map((l) => l.vpp))].sort((a, b) => a - b);

  it("tries every vpp from 1 to 8 where the chunks have a layer each, the layout as written among them", () => {
    expect(vpps(2)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(vpps(8)).toEqual([1, 2, 3, 4, 5]); // 8 × 5 = 40 chunks of a layer
    expect(vpps(1)).toEqual([1]);
    for (const l of layouts) expect(l.pp * l.vpp).toBeLessThanOrEqual(40);
    expect(
      layouts.some((l) => l.tp === 8 && l.pp === 2 && l.dp === 1 && l.vpp === 5 && l.microBatch === 1),
    ).toBe(true);
  });
});
