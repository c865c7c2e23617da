// Throughput per node counts the nodes the pools' accelerators are on: whole nodes, each once, as
// placement put the instances (pools.ts), not accelerators / accelerators per node.
import { describe, expect, it } from "vitest";
import { simulateInference } from "../../src/workload/inference/run.js";
import { depsFor, load } from "./setup.js";

function serve(nodes: number, pools: string) {
  const s = load(`name: pool nodes
cluster:
  groups:
    - { name: gpu, nodes: ${nodes}, accelerator: H100-SXM }
  scaleOut: { topology: fat-tree, switch: QM9700 }
workload:
  inference:
    model: llama3-8b
${pools}    requests: { rate: 5/s, count: 30, promptTokens: 1024, outputTokens: 16, seed: 3 }
simulation: { fidelity: analytical }
`);
  return simulateInference(s, depsFor(s));
}

describe("nodes in the serving summary", () => {
  it("a tp-2 pool on one 8-GPU node is one node: per node = the whole throughput", () => {
    const { results } = serve(1, "    prefill: { group: gpu, tp: 2, instances: 1 }\n");
    expect(results.pools?.[0].nodes).toBe(1);
    expect(results.throughputPerNodeTokensPerS).toBe(results.throughputTokensPerS);
  });

  it("prefill and decode sharing one node count it once", () => {
    const { results } = serve(
      1,
      "    prefill: { group: gpu, tp: 1, instances: 4 }\n    decode: { group: gpu, tp: 1, instances: 4 }\n",
    );
    expect(results.pools?.map((p) => p.nodes)).toEqual([1, 1]);
    expect(results.throughputPerNodeTokensPerS).toBe(results.throughputTokensPerS);
  });

  it("counts the nodes placement uses: three 5-GPU instances take three 8-GPU nodes, not 15 / 8", () => {
    // an instance that would straddle two NVLink domains starts at the next one: ranks 0, 8, 16
    const run = serve(3, "    prefill: { group: gpu, tp: 1, dp: 5, instances: 3 }\n");
    expect([...run.pools[0].instanceFirst]).toEqual([0, 8, 16]);
    expect(run.results.pools?.[0].nodes).toBe(3);
    expect(run.results.throughputPerNodeTokensPerS).toBeCloseTo(run.results.throughputTokensPerS / 3, 9);
  });
});
