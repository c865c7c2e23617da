// The training tuner's space follows the scenario's own choices: sequence parallelism wherever tp > 1
// (unless the scenario turned it off at a tp above 1), and DualPipe's shape when the schedule is DualPipe.
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { layoutSpace } from "../../src/tune/space.js";

function scenario(parallelism: string, extra = ""): ReturnType<typeof parseScenario> {
  return parseScenario(`name: space
cluster:
  groups: [{ name: gpu, nodes: 4, accelerator: H100-SXM, scaleUp: nvlink4, nics: { count: 8, bandwidth: 400Gbps } }]
  scaleOut: { topology: fat-tree, switch: QM9700 }
workload:
  training:
    model: mixtral-8x7b
    parallelism: ${parallelism}
    microBatch: 1
    globalBatch: 128
${extra}`);
}

describe("the training tuner's space", () => {
  it("gives every tp > 1 layout sequence parallelism when the scenario is written at tp 1", () => {
    const { layouts } = layoutSpace(scenario("{ tp: 1, pp: 1, dp: 32, ep: 8 }"));
    const wide = layouts.filter((l) => l.tp > 1);
    expect(wide.length).toBeGreaterThan(0);
    expect(wide.every((l) => l.sequenceParallel)).toBe(true);
    expect(layouts.filter((l) => l.tp === 1).every((l) => !l.sequenceParallel)).toBe(true);
  });

  it("keeps sequence parallelism off where the scenario turned it off at tp > 1", () => {
    const { layouts } = layoutSpace(scenario("{ tp: 2, pp: 1, dp: 16, sequenceParallel: false }"));
    expect(layouts.every((l) => !l.sequenceParallel)).toBe(true);
  });

  it("with DualPipe: even pp, no interleaving, an even number of micro-batches of at least 2·pp", () => {
    const { layouts } = layoutSpace(scenario("{ tp: 1, pp: 2, dp: 16, ep: 8 }", "    schedule: dualpipe\n"));
    expect(layouts.length).toBeGreaterThan(0);
    for (const l of layouts) {
      const m = 128 / (l.microBatch * l.dp);
      expect(l.pp % 2).toBe(0);
      expect(l.vpp).toBe(1);
      expect(m % 2 === 0 && m >= 2 * l.pp).toBe(true);
    }
  });
});
