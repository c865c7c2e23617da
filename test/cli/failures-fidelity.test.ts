// Failures reach every engine, and collectives run at packet fidelity too (small scale).
import { describe, expect, it } from "vitest";
import type { CollectiveResults, TrafficResults } from "../../src/index.js";
import { parseScenario, run } from "../../src/index.js";

const traffic = (failures: string, fidelity = "flow") => `name: failures
cluster:
  groups:
    - { name: host, kind: host, nodes: 16, nics: { count: 1, bandwidth: 100Gbps } }
  scaleOut: { topology: fat-tree, tiers: 3, switch: { radix: 4, portBandwidth: 100Gbps, latency: 0ns }, linkLatency: 1us }
workload:
  traffic: { pattern: all-to-all, size: 1MB }
simulation: { fidelity: ${fidelity}, seed: 3 }
${failures}`;

describe("failures in the fluid engines", () => {
  it("dead core links and a degraded spine link slow an all-to-all but every flow completes", async () => {
    const healthy = (await run(parseScenario(traffic("")))) as TrafficResults;
    const failed = (await run(
      parseScenario(
        traffic(
          "failures:\n  - { at: 0s, link: { tier: core, count: 3 } }\n  - { at: 0s, link: { tier: spine, count: 2 }, degrade: 50% }\n",
        ),
      ),
    )) as TrafficResults;
    expect(failed.flows.length).toBe(healthy.flows.length);
    expect(failed.fctUs.max).toBeGreaterThan(healthy.fctUs.max * 1.05);
    expect(failed.warnings).toEqual([]);
  });

  it("a failure after time 0 is applied from the start, with a warning", async () => {
    const r = (await run(
      parseScenario(traffic("failures:\n  - { at: 1ms, link: { tier: core, count: 1 } }\n")),
    )) as TrafficResults;
    expect(r.warnings.join(" ")).toMatch(/from time 0/);
  });
});

describe("collectives at packet fidelity", () => {
  it("an all-reduce on 2 x 8 H100 runs packet by packet, no faster than the fluid model", async () => {
    const doc = (fidelity: string) => `name: ar
cluster:
  groups: [{ name: gpu, nodes: 2, accelerator: H100-SXM, nics: { count: 8, bandwidth: 400Gbps } }]
  scaleOut: { topology: single-switch, switch: QM9700 }
workload:
  collective: { op: all-reduce, sizes: [4MiB, 16MiB], algorithm: ring }
simulation: { fidelity: ${fidelity} }
`;
    const packet = (await run(parseScenario(doc("packet")))) as CollectiveResults;
    const flow = (await run(parseScenario(doc("flow")))) as CollectiveResults;
    expect(packet.fidelity).toBe("packet");
    for (let i = 0; i < packet.rows.length; i++) {
      // Packets pay serialization, queueing and congestion control that the fluid model does not.
      expect(packet.rows[i].timeUs).toBeGreaterThanOrEqual(flow.rows[i].timeUs * 0.98);
      expect(packet.rows[i].timeUs).toBeLessThan(flow.rows[i].timeUs * 2);
    }
  });
});
