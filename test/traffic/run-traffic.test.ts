import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatResults } from "../../src/report/format.js";
import { writeQueueTrace } from "../../src/report/queue-trace.js";
import { p50p99 } from "../../src/results/percentiles.js";
import { makeRouter } from "../../src/routing/index.js";
import { loadScenario, parseScenario } from "../../src/scenario/load.js";
import type { Scenario } from "../../src/scenario/types.js";
import { resolveFailures } from "../../src/sim/failures.js";
import { buildScenarioFabric } from "../../src/topology/build.js";
import type { Fabric } from "../../src/topology/fabric.js";
import { formatCount } from "../../src/units/index.js";
import { fctPercentiles, runTraffic, simulateTraffic } from "../../src/workload/traffic/run.js";
import { REPO_ROOT } from "../helpers/data.js";

function setup(scenario: Scenario) {
  const fabric = buildScenarioFabric(scenario);
  const router = makeRouter(fabric, {
    loadBalancing: scenario.cluster.transport.loadBalancing,
    railAware: false,
    seed: scenario.simulation.seed,
  });
  return { fabric, router };
}

const HOSTS_16 = `
name: t
cluster:
  groups: [{ name: host, kind: host, nodes: 16, nics: { count: 1, bandwidth: 100Gbps } }]
  scaleOut:
    topology: fat-tree
    tiers: 3
    switch: { radix: 4, portBandwidth: 100Gbps, latency: 0ns, buffer: 178450B }
    linkLatency: 1us
  transport: { loadBalancing: spray, congestionControl: nscc, mtu: 4150B, trimming: true }
simulation: { fidelity: packet, seed: 3, failureDetection: 20us }
`;

describe("simulation.sharing", () => {
  // A 16-host ECMP fat-tree permutation: collisions in the fabric, flows crossing one or more of them.
  const ecmp = (sharing: string) =>
    `${HOSTS_16.replace("loadBalancing: spray", "loadBalancing: ecmp").replace(
      "simulation: { fidelity: packet, seed: 3, failureDetection: 20us }",
      `simulation: { fidelity: flow, sharing: ${sharing}, seed: 3 }`,
    )}workload: { traffic: { pattern: permutation, size: 1MB } }\n`;

  it("by-path reaches the flow engine from the scenario: flows max-min finishes together finish apart", () => {
    const run = (sharing: string) => {
      const s = parseScenario(ecmp(sharing), "<t>");
      expect(s.simulation.sharing).toBe(sharing);
      const { fabric, router } = setup(s);
      return runTraffic(s, fabric, router, "flow");
    };
    const maxMin = run("max-min");
    const byPath = run("by-path");
    const distinct = (r: typeof maxMin) => new Set(r.flows.map((f) => f.fctUs.toFixed(3))).size;
    expect(distinct(byPath)).toBeGreaterThan(distinct(maxMin));
    const mean = (r: typeof maxMin) => r.flows.reduce((sum, f) => sum + f.fctUs, 0) / r.flows.length;
    expect(mean(byPath)).toBeLessThan(mean(maxMin));
    // The results say which: the two are not comparable.
    expect([maxMin.sharing, byPath.sharing]).toEqual(["max-min", "by-path"]);
    expect(formatResults(byPath)).toContain("(links shared by path)");
    expect(formatResults(maxMin)).not.toContain("shared by path");
  });

  it("an unknown sharing is refused with its position and the choices", () => {
    expect(() => parseScenario(ecmp("fair"), "t.yaml")).toThrow(/t\.yaml:\d+:\d+.*max-min.*by-path/s);
  });
});

describe("runTraffic", () => {
  it("reports per-flow records, percentiles and packet statistics", () => {
    const s = loadScenario(path.join(REPO_ROOT, "examples", "htsim-default-incast.yaml"));
    const { fabric, router } = setup(s);
    const r = runTraffic(s, fabric, router);
    expect(r.kind).toBe("traffic");
    expect(r.fidelity).toBe("packet");
    expect(r.flows).toHaveLength(15);
    expect(r.flows[0]).toMatchObject({ id: 1, src: 0, dst: 15, bytes: 2_000_000, startUs: 0 });
    for (const f of r.flows) expect(f.fctUs).toBeCloseTo(f.finishUs - f.startUs, 9);
    expect(r.fctUs.max).toBe(Math.max(...r.flows.map((f) => f.fctUs)));
    const p = r.packets as {
      trims: number;
      retransmissions: number;
      queueMaxBytes: { queue: string; maxBytes: number }[];
    };
    expect(p.trims).toBeGreaterThan(0);
    expect(p.retransmissions).toBe(p.trims);
    // The incast's bottleneck is the last leaf's port to host 15.
    expect(p.queueMaxBytes[0].queue).toBe("leaf-7->host-n15");
    expect(JSON.parse(JSON.stringify(r)).fctUs.p99).toBe(r.fctUs.p99);
    // The human report prints the same counters.
    const text = formatResults(r);
    expect(text).toContain(`trims ${formatCount(p.trims)}`);
    expect(text).toMatch(/drops \d[\d,]* \(full queues\) \+ \d+ \(failed links\)/);
    expect(text).toMatch(/ECN marks \d[\d,]*, PFC pauses \d[\d,]*/);
    expect(text).toContain("fullest queue leaf-7->host-n15 (");
  });

  it("runs the same flows on the flow engine, without packet statistics", () => {
    const s = loadScenario(path.join(REPO_ROOT, "examples", "htsim-default-incast.yaml"));
    const { fabric, router } = setup(s);
    const r = runTraffic(s, fabric, router, "flow");
    expect(r.fidelity).toBe("flow");
    expect(r.packets).toBeUndefined();
    // 15 x 2 MB through one 100 Gb/s port as 4,150-byte packets with 64-byte headers (490 per flow):
    // 15 x 2,031,360 B / 12.5 GB/s = 2,437.6 us, plus the path latency, the last packet's store-and-forward
    // and the ack's way back (about 14 us); htsim measures 2,478.5 us.
    expect(r.fctUs.max).toBeGreaterThanOrEqual(2437.6);
    expect(r.fctUs.max).toBeLessThan(2455);
  });

  it("writes the queue trace atomically as CSV", () => {
    const s = parseScenario(
      `${HOSTS_16}workload: { traffic: { pattern: incast, size: 200KB, senders: 4 } }\n`,
      "<t>",
    );
    const { fabric, router } = setup(s);
    const dir = mkdtempSync(path.join(os.tmpdir(), "weft-trace-"));
    const file = path.join(dir, "trace.csv");
    const { trace } = simulateTraffic(s, fabric, router, "packet", { trace: true });
    if (!trace) throw new Error("expected a queue trace");
    writeQueueTrace(file, fabric, trace);
    expect(existsSync(file)).toBe(true);
    expect(readdirSync(dir)).toEqual(["trace.csv"]);
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines[0]).toBe("time_us,queue,tier,bytes");
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.some((l) => /,leaf-7->host-n15,leaf,[1-9]/.test(l))).toBe(true);
    const warned = runTraffic(s, fabric, router, "flow", { trace: true });
    expect(warned.warnings.join(" ")).toMatch(/--trace needs the packet engine/);
  });

  it("scenario failures: a core cable down at 20 us, every flow still completes", () => {
    const text = `${HOSTS_16}workload: { traffic: { pattern: permutation, size: 1MB } }
failures:
  - { at: 20us, link: { tier: core, count: 2 } }
`;
    const s = parseScenario(text, "<t>");
    const { fabric, router } = setup(s);
    const healthy = runTraffic(s, fabric, router, "packet");
    const r = runTraffic(s, fabric, router, "packet", { failures: linkFailures(s, fabric) });
    const p = r.packets as { failureDrops: number; unfinished: number };
    expect(p.unfinished).toBe(0);
    expect(p.failureDrops).toBeGreaterThan(0);
    expect(r.fctUs.max).toBeGreaterThan(healthy.fctUs.max);
    expect(r.warnings).toEqual([]);
  });

  it("flows cut off by a failure are listed apart, never as infinite times", () => {
    const text = `${HOSTS_16}workload: { traffic: { pattern: incast, size: 100KB, senders: 3 } }
failures:
  - { at: 0s, link: "leaf-0:host-n1" }
`;
    const s = parseScenario(text, "<t>");
    const { fabric, router } = setup(s);
    const r = runTraffic(s, fabric, router, "packet", { failures: linkFailures(s, fabric) });
    // host-n1 (sender 1) loses its only cable before it sends: its flow can never finish.
    expect(r.flows.map((f) => f.src)).toEqual([0, 2]);
    expect(r.unfinishedFlows).toEqual([{ id: 2, src: 1, dst: 15, bytes: 100_000, startUs: 0 }]);
    expect(r.warnings.join(" ")).toMatch(/1 flow\(s\) never finished/);
    expect(JSON.stringify(r)).not.toMatch(/null|Infinity/);
  });

  it("percentiles interpolate linearly, as every report does (NumPy's default)", () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    const p = fctPercentiles(v);
    expect(p.p50).toBe(50.5);
    expect(p.p99).toBeCloseTo(99.01, 12);
    expect(p.max).toBe(100);
    expect(fctPercentiles([5])).toEqual({ p50: 5, p99: 5, max: 5 });
    expect(fctPercentiles([])).toEqual({ p50: 0, p99: 0, max: 0 });
  });

  it("property: traffic and inference reports share one percentile definition", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        (v) => {
          const traffic = fctPercentiles(v);
          const inference = p50p99(Float64Array.from(v));
          expect(traffic.p50).toBe(inference.p50);
          expect(traffic.p99).toBe(inference.p99);
        },
      ),
    );
  });
});

/** The scenario's failures resolved to links, as the run core does before a traffic run. */
function linkFailures(s: Scenario, fabric: Fabric) {
  return resolveFailures(fabric, s.failures, s.simulation.seed);
}
