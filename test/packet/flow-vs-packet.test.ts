// The fluid flow engine against the packet engine on bandwidth-bound patterns (large flows), on a
// non-blocking fat-tree and a 4:1 oversubscribed leaf-spine. With per-flow ECMP both engines put every flow
// on the same path (same hash), so the comparison isolates the models: the time to finish the whole pattern
// must agree within 10%. Spraying is printed too: there the packet engine also carries NSCC's reaction to
// the transient queues that random per-packet paths build (htsim shows the same 10-20% over the fluid ideal).
import { describe, expect, it } from "vitest";
import { makeRouter } from "../../src/routing/index.js";
import { parseScenario } from "../../src/scenario/load.js";
import { flowEngine } from "../../src/sim/engines/flow/engine.js";
import { buildScenarioFabric } from "../../src/topology/build.js";
import { derangement } from "../../src/workload/traffic/patterns.js";
import { runTraffic } from "../../src/workload/traffic/run.js";
import { flowsOf, htsimNet, leafSpine, type Net, runOn } from "./helpers.js";

const TOLERANCE = 0.1;

function pattern(n: Net, kind: "permutation" | "all-to-all", bytes: number) {
  const e = n.endpoints.length;
  const list: [number, number, number][] = [];
  if (kind === "permutation") {
    derangement(e, 5).forEach((d, s) => {
      list.push([s, d, bytes]);
    });
  } else {
    for (let i = 0; i < e; i++) for (let j = 0; j < e; j++) if (i !== j) list.push([i, j, bytes]);
  }
  return flowsOf(n, list);
}

const mean = (a: Float64Array) => a.reduce((s, x) => s + x, 0) / a.length;

describe("flow engine vs packet engine, bandwidth-bound patterns", () => {
  const cases = [
    { fabric: "fat-tree k=8, 1:1", net: () => htsimNet(128), kind: "permutation" as const, bytes: 4e6 },
    { fabric: "fat-tree k=4, 1:1", net: () => htsimNet(16), kind: "all-to-all" as const, bytes: 500e3 },
    { fabric: "leaf-spine 4:1", net: () => leafSpine(4, 8, 2), kind: "permutation" as const, bytes: 4e6 },
    { fabric: "leaf-spine 4:1", net: () => leafSpine(4, 8, 2), kind: "all-to-all" as const, bytes: 250e3 },
  ];
  for (const c of cases) {
    it(`${c.kind} of ${c.bytes / 1e3} kB flows on ${c.fabric}: makespans within 10% (ECMP)`, () => {
      const n = c.net();
      const flows = pattern(n, c.kind, c.bytes);
      const rows = [];
      let ecmpError = Number.NaN;
      for (const lb of ["ecmp", "spray"] as const) {
        const fluid = flowEngine(n.fabric, n.router, flows, { loadBalancing: lb, seed: 1 });
        const packet = runOn(n, flows, { loadBalancing: lb });
        expect(packet.packets.unfinished).toBe(0);
        const error = packet.makespan / fluid.makespan - 1;
        if (lb === "ecmp") ecmpError = error;
        rows.push({
          pattern: `${c.kind} ${c.fabric}`,
          lb,
          flowMakespanUs: +(fluid.makespan * 1e6).toFixed(1),
          packetMakespanUs: +(packet.makespan * 1e6).toFixed(1),
          errorPct: +(error * 100).toFixed(1),
          flowMeanUs: +(mean(fluid.finish) * 1e6).toFixed(1),
          packetMeanUs: +(mean(packet.finish) * 1e6).toFixed(1),
        });
      }
      console.table(rows);
      expect(Math.abs(ecmpError)).toBeLessThan(TOLERANCE);
    });
  }

  it("accelerators with NVLink and a 400G NIC each: every port paced at its own rate, within 10%", () => {
    // 2 servers of 8 H100 (NVLink 4 inside a server, one 400 Gb/s NIC per GPU), all-to-all of 256 KB.
    const s = parseScenario(
      `name: a2a
cluster:
  groups: [{ name: gpu, nodes: 2, accelerator: H100-SXM, acceleratorsPerNode: 8, scaleUp: nvlink4, nics: { count: 8, bandwidth: 400Gbps } }]
  scaleOut: { topology: fat-tree, tiers: 2, switch: QM9700 }
  transport: { loadBalancing: ecmp, congestionControl: nscc, mtu: 4096B }
workload: { traffic: { pattern: all-to-all, size: 256KB } }
simulation: { fidelity: packet, seed: 1 }
`,
      "<a2a>",
    );
    const fabric = buildScenarioFabric(s);
    const router = makeRouter(fabric, { loadBalancing: "ecmp", railAware: false, seed: 1 });
    const packet = runTraffic(s, fabric, router, "packet");
    const fluid = runTraffic(s, fabric, router, "flow");
    const error = packet.fctUs.max / fluid.fctUs.max - 1;
    console.table([
      {
        pattern: "all-to-all 16 x H100",
        flowMaxUs: fluid.fctUs.max,
        packetMaxUs: packet.fctUs.max,
        errorPct: +(error * 100).toFixed(1),
      },
    ]);
    expect((packet.packets as { retransmissions: number }).retransmissions).toBe(0);
    expect(Math.abs(error)).toBeLessThan(TOLERANCE);
  });

  it("rail-aware (PXN) relays: the relaying GPU's NIC paces every flow it sends, within 10% of the flow engine", () => {
    // 8 GPUs of one server into GPU 7 of another (DCQCN, no PFC): every flow crosses NVLink to the sender's
    // GPU 7 first and leaves by its NIC. Paced at their NVLink ports, the flows would pour 8 × 450 GB/s into
    // that one 50 GB/s link with nothing to stop them: a queue of tens of MB, timeouts, go-back-N resends.
    const s = parseScenario(
      `name: pxn incast
cluster:
  groups: [{ name: gpu, nodes: 4, accelerator: H100-SXM, acceleratorsPerNode: 8, scaleUp: nvlink4, nics: { count: 8, bandwidth: 400Gbps } }]
  scaleOut: { topology: fat-tree, tiers: 2, switch: { radix: 16, portBandwidth: 400Gbps }, oversubscription: 2 }
workload: { traffic: { pattern: incast, senders: 8, size: 2MB } }
simulation: { fidelity: packet, seed: 1 }
`,
      "<pxn>",
    );
    const fabric = buildScenarioFabric(s);
    const router = makeRouter(fabric, { loadBalancing: "ecmp", railAware: true, seed: 1 });
    const packet = runTraffic(s, fabric, router, "packet");
    const fluid = runTraffic(s, fabric, router, "flow");
    const counters = packet.packets as { retransmissions: number; timeouts: number; maxQueueBytes?: number };
    const error = packet.fctUs.max / fluid.fctUs.max - 1;
    console.table([
      { flowMaxUs: fluid.fctUs.max, packetMaxUs: packet.fctUs.max, errorPct: +(error * 100).toFixed(1) },
    ]);
    expect(counters.retransmissions).toBe(0);
    expect(counters.timeouts).toBe(0);
    // 16 MB through one 400 Gb/s NIC: 320 us and a little.
    expect(packet.fctUs.max).toBeGreaterThan(320);
    expect(Math.abs(error)).toBeLessThan(TOLERANCE);
  });
});
