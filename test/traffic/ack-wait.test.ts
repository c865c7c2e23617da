// Where the flow engine is optimistic for a packet transport: flows that its NIC's round-robin spaces so
// far apart that the receiver's ack coalescing holds their acks past the retransmission timer
// (src/workload/traffic/ack-wait.ts). Checked against the packet engine, which has the timer.
import { describe, expect, it } from "vitest";
import { makeRouter } from "../../src/routing/index.js";
import { parseScenario } from "../../src/scenario/load.js";
import type { AckTimer } from "../../src/sim/engines/packet/scenario-options.js";
import { buildScenarioFabric } from "../../src/topology/build.js";
import { ackWaitPastTimer } from "../../src/workload/traffic/ack-wait.js";
import { runTraffic } from "../../src/workload/traffic/run.js";
import { flowsOf, htsimNet } from "../packet/helpers.js";

/** htsim's default fat-tree (100 Gb/s, 1 us links, NSCC with trimming), an all-to-all of 64 KB. */
function allToAll(hosts: number, fidelity: "flow" | "packet") {
  const scenario = parseScenario(`
name: all-to-all of ${hosts}
cluster:
  groups: [{ name: host, kind: host, nodes: ${hosts}, nics: { count: 1, bandwidth: 100Gbps } }]
  scaleOut:
    topology: fat-tree
    tiers: 3
    switch: { radix: 8, portBandwidth: 100Gbps, latency: 0ns, buffer: 178450B }
    linkLatency: 1us
  transport: { loadBalancing: ecmp, congestionControl: nscc, mtu: 4150B, trimming: true }
workload: { traffic: { pattern: all-to-all, size: 64KB } }
simulation: { fidelity: ${fidelity}, seed: 1 }
`);
  const fabric = buildScenarioFabric(scenario);
  const router = makeRouter(fabric, { loadBalancing: "ecmp", railAware: false, seed: 1 });
  return runTraffic(scenario, fabric, router);
}

const timerWarning = (warnings: string[]) => warnings.find((w) => w.includes("retransmission timer"));

describe("acks held past the retransmission timer", () => {
  it("counts each sender's flows at once and spaces their packets at the NIC's share", () => {
    const n = htsimNet(16, "ecmp");
    // Sender 0: three 64 kB flows at once, then one after they end; sender 1: one flow; sender 2: 40 flows
    // of one packet (an ack's worth or less: its last packet asks for the ack), which do not count.
    const list: [number, number, number, number][] = [
      [0, 5, 64e3, 0],
      [0, 6, 64e3, 0],
      [0, 7, 64e3, 1e-6],
      [0, 8, 64e3, 20e-6],
      [1, 5, 64e3, 0],
    ];
    for (let i = 0; i < 40; i++) list.push([2, 3 + (i % 10), 4e3, 0]);
    const flows = flowsOf(n, list);
    const finish = Float64Array.from(list, ([, , , start]) => start + 10e-6);
    const timer: AckTimer = { rtoS: 100e-6, rttS: 10e-6, ackPackets: 4, mtu: 4150 };
    const rate = 100e9 / 8;
    // Sender 0 runs 3 at once: a packet every 3 × 4,150 B at 12.5 GB/s, ~1 us; a wait of ~13 us.
    expect(ackWaitPastTimer(n.fabric, flows, finish, timer)).toBeUndefined();
    const tight = { ...timer, rtoS: 12.5e-6 };
    const w = ackWaitPastTimer(n.fabric, flows, finish, tight);
    expect(w?.senders).toBe(1);
    expect(w?.flows).toBe(3);
    expect(w?.gapS).toBeCloseTo((3 * 4150) / rate, 15);
    expect(w?.waitS).toBeCloseTo(3 * w!.gapS + 10e-6, 15);
  });

  it("warns where the packet engine resends for nothing, and not where it does not", () => {
    // 128 hosts: 127 flows per NIC, a packet every 42 us, acks after ~141 us against the 101 us timer.
    const wide = allToAll(128, "flow");
    expect(timerWarning(wide.warnings)).toMatch(/127 flows at once/);
    const widePackets = allToAll(128, "packet").packets;
    if (!widePackets) throw new Error("no packet statistics");
    expect(widePackets.retransmissions).toBeGreaterThan(0.05 * widePackets.dataPackets);
    // 32 hosts: 31 flows per NIC, acks after ~45 us.
    const narrow = allToAll(32, "flow");
    expect(timerWarning(narrow.warnings)).toBeUndefined();
    const narrowPackets = allToAll(32, "packet").packets;
    if (!narrowPackets) throw new Error("no packet statistics");
    expect(narrowPackets.retransmissions).toBeLessThan(0.01 * narrowPackets.dataPackets);
  });
});
