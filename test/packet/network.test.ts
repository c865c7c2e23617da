// The packet network on the shared clock: the same flows started through it finish when the batch packet
// engine says, rate caps pace real packets, owners meeting on a link are accounted, a degraded link slows
// flows from its time, and a process can wait for a delivery and start more flows then.
import { describe, expect, it } from "vitest";
import { callAt, makeClock, runClock } from "../../src/sim/clock.js";
import type { PacketEngineOptions } from "../../src/sim/engines/packet/params.js";
import type { FlowSet } from "../../src/sim/flows.js";
import { makePacketNetwork, type PacketNetwork } from "../../src/sim/network/packet.js";
import { transfer } from "../../src/sim/network/transfer.js";
import { makeFlowGroup } from "../../src/sim/network/types.js";
import { spawn } from "../../src/sim/process.js";
import { LinkTier, NodeKind } from "../../src/topology/fabric.js";
import { flowsOf, htsimNet, leafSpine, type Net, runOn } from "./helpers.js";

function options(n: Net, extra: Partial<PacketEngineOptions> = {}): PacketEngineOptions {
  const t = n.cluster.transport;
  return {
    loadBalancing: t.loadBalancing,
    seed: 1,
    bufferBytes: n.cluster.scaleOut.switch.buffer,
    transport: { congestionControl: t.congestionControl, mtu: t.mtu, trimming: t.trimming, pfc: t.pfc },
    ...extra,
  };
}

function network(n: Net, tags = 1, extra: Partial<PacketEngineOptions> = {}): PacketNetwork {
  return makePacketNetwork(makeClock(), n.fabric, n.router, { ...options(n, extra), tags });
}

/** Every flow at its start time, hashed by its index (as the batch engine hashes); returns the ids. */
function startAll(net: PacketNetwork, flows: FlowSet, tagOf: (f: number) => number = () => 0): number[] {
  const ids: number[] = [];
  const group = makeFlowGroup();
  for (let f = 0; f < flows.count; f++) {
    callAt(net.clock, flows.start[f], () => {
      ids[f] = net.startFlow(flows.src[f], flows.dst[f], flows.bytes[f], tagOf(f), f, group);
    });
  }
  return ids;
}

/** The tier of the leaf ↔ spine links of a two-tier fabric. */
function uplinkTier(n: Net): number {
  const { links, nodes } = n.fabric;
  for (let l = 0; l < links.count; l++) {
    if (links.up[l] !== 0 && nodes.kind[links.from[l]] === NodeKind.switch) return links.tier[l];
  }
  throw new Error("no uplink");
}

describe("packet network on the shared clock", () => {
  it("a permutation started together finishes exactly as the batch engine runs it", () => {
    const n = htsimNet(16);
    const flows = flowsOf(
      n,
      Array.from({ length: 16 }, (_, i): [number, number, number] => [i, (i * 5 + 3) % 16, 2e6]),
    );
    const batch = runOn(n, flows);
    const net = network(n);
    const ids = startAll(net, flows);
    runClock(net.clock);
    for (let f = 0; f < flows.count; f++) expect(net.finishOf(ids[f])).toBe(batch.finish[f]);
    expect(net.packets().dataPackets).toBe(batch.packets.dataPackets);
    expect(net.deliveredBytes(0)).toBe(16 * 2e6);
  });

  it("staggered starts agree with the batch engine: mean FCT within 1%, each within 5% (flows draw their spray entropy as they start, not all up front, so paths collide differently)", () => {
    const n = htsimNet(16);
    const flows = flowsOf(
      n,
      Array.from({ length: 16 }, (_, i): [number, number, number, number] => [
        i,
        (i + 4) % 16,
        1e6,
        i * 7e-6,
      ]),
    );
    const batch = runOn(n, flows);
    const net = network(n);
    const ids = startAll(net, flows);
    runClock(net.clock);
    let sum = 0;
    for (let f = 0; f < flows.count; f++) {
      const ratio = (net.finishOf(ids[f]) - flows.start[f]) / (batch.finish[f] - flows.start[f]);
      expect(Math.abs(ratio - 1)).toBeLessThan(0.05);
      sum += ratio;
    }
    expect(Math.abs(sum / flows.count - 1)).toBeLessThan(0.01);
  });

  it("a rate cap paces the flow's packets: half the line rate takes twice as long", () => {
    const n = htsimNet(16);
    const net = network(n);
    const group = makeFlowGroup();
    const free = net.startFlow(n.endpoints[0], n.endpoints[15], 4e6, 0, 0, group);
    const capped = net.startFlow(n.endpoints[1], n.endpoints[14], 4e6, 0, 1, group);
    net.capRate(capped, 6.25e9);
    runClock(net.clock);
    // 100 Gb/s = 12.5 GB/s; capped at 6.25 GB/s the transfer takes twice as long (plus one RTT or so).
    const ratio = net.finishOf(capped) / net.finishOf(free);
    expect(ratio).toBeGreaterThan(1.9);
    expect(ratio).toBeLessThan(2.1);
  });

  it("lifting a cap mid-flow lets it run at line rate from then", () => {
    const n = htsimNet(16);
    const net = network(n);
    const group = makeFlowGroup();
    const f = net.startFlow(n.endpoints[0], n.endpoints[15], 4e6, 0, 0, group);
    net.capRate(f, 1.25e9);
    // 0.5 MB in the first 400 us at 1.25 GB/s, the other 3.5 MB at ~12.5 GB/s: ~680 us, not 3.2 ms.
    callAt(net.clock, 400e-6, () => net.capRate(f, Number.POSITIVE_INFINITY));
    runClock(net.clock);
    expect(net.finishOf(f)).toBeGreaterThan(650e-6);
    expect(net.finishOf(f)).toBeLessThan(720e-6);
  });

  it("two owners crossing the same spine links meet there, each way, and nowhere else", () => {
    const n = leafSpine(2, 2, 1);
    const net = network(n, 2);
    const group = makeFlowGroup();
    const a = net.startFlow(n.endpoints[0], n.endpoints[2], 4e6, 0, 0, group);
    const b = net.startFlow(n.endpoints[1], n.endpoints[3], 4e6, 1, 1, group);
    runClock(net.clock);
    // One 100 Gb/s uplink shared: both take about twice the time one alone would (320 us at 12.5 GB/s).
    expect(net.finishOf(a)).toBeGreaterThan(600e-6);
    expect(net.finishOf(b)).toBeGreaterThan(600e-6);
    const m = net.meetings;
    const tiers = m.met.length / 4;
    const spine = uplinkTier(n);
    // Each saw most of the other's 4 MB cross each of the two shared links while it was there.
    expect(m.met[(0 * 2 + 1) * tiers + spine]).toBeGreaterThan(0.8 * 8e6);
    expect(m.met[(1 * 2 + 0) * tiers + spine]).toBeGreaterThan(0.8 * 8e6);
    expect(m.met[(0 * 2 + 1) * tiers + LinkTier.host]).toBe(0);
    // Payload × links by tier: 4 MB over the two leaf-spine links.
    expect(net.tierBytes(0, spine)).toBeCloseTo(8e6, -3);
  });

  it("a link degraded at t slows the flow on it from t, not before", () => {
    const n = leafSpine(2, 1, 1);
    const run = (degradeAt?: number) => {
      const net = network(n);
      const f = net.startFlow(n.endpoints[0], n.endpoints[1], 8e6, 0, 0, makeFlowGroup());
      const spineLinks = Array.from({ length: n.fabric.links.count }, (_, l) => l).filter(
        (l) => n.fabric.links.tier[l] === uplinkTier(n),
      );
      if (degradeAt !== undefined) {
        callAt(net.clock, degradeAt, () => {
          for (const l of spineLinks) net.setLinkScale(l, 0.5);
        });
      }
      runClock(net.clock);
      return net.finishOf(f);
    };
    const healthy = run();
    const late = run(healthy * 2);
    const half = run(healthy / 2);
    expect(late).toBe(healthy);
    // Half the bytes at full rate, half at half rate: 1.5 × (within a few RTTs of the window adapting).
    expect(half / healthy).toBeGreaterThan(1.4);
    expect(half / healthy).toBeLessThan(1.6);
  });

  it("a process waits for a transfer and starts the next at its delivery", () => {
    const n = htsimNet(16);
    const net = network(n);
    const flows = flowsOf(n, [
      [0, 15, 1e6],
      [3, 12, 1e6],
    ]);
    const times: number[] = [];
    function* body() {
      const first = transfer(net, flows, 0);
      yield first.done;
      times.push(net.clock.now);
      const second = transfer(net, flows, 0);
      yield second.done;
      times.push(net.clock.now);
    }
    spawn(net.clock, body());
    runClock(net.clock);
    expect(times[0]).toBeGreaterThan(80e-6);
    // The second transfer repeats the first on an empty network: the same duration.
    expect((times[1] - times[0]) / times[0]).toBeCloseTo(1, 2);
    expect(net.deliveredBytes(0)).toBe(4e6);
  });
});
