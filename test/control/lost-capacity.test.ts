// Lost capacity reaches the analytical fidelity: a dead switch or a degraded cable takes its bandwidth
// out of the closed form's shared bundles, as it does in the flow engine.
import { describe, expect, it } from "vitest";
import type { CollectiveResults } from "../../src/index.js";
import { parseScenario, run } from "../../src/index.js";

const doc = (fidelity: string, failures: string) => `name: lost capacity
cluster:
  groups: [{ name: gpu, nodes: 8, accelerator: H100-SXM, nics: { count: 8, bandwidth: 400Gbps } }]
  scaleOut: { topology: fat-tree, tiers: 2, switch: { radix: 16, portBandwidth: 400Gbps } }
workload:
  collective: { op: all-reduce, sizes: [256MiB], algorithm: ring }
simulation: { fidelity: ${fidelity}, seed: 1 }
${failures}`;

async function timeUs(fidelity: string, failures = ""): Promise<number> {
  const r = (await run(parseScenario(doc(fidelity, failures)))) as CollectiveResults;
  return r.rows[0].timeUs;
}

describe("failures at analytical fidelity", () => {
  it("a dead spine switch slows the all-reduce, as it does in the flow engine", async () => {
    const dead = "failures:\n  - { at: 0s, switch: spine-0 }\n";
    expect(await timeUs("analytical", dead)).toBeGreaterThan((await timeUs("analytical")) * 1.05);
    expect(await timeUs("flow", dead)).toBeGreaterThan((await timeUs("flow")) * 1.05);
  });

  it("a degraded cable changes the analytical result", async () => {
    const degraded = "failures:\n  - { at: 0s, link: { tier: spine, count: 32 }, degrade: 90% }\n";
    expect(await timeUs("analytical", degraded)).toBeGreaterThan((await timeUs("analytical")) * 1.5);
  });
});
