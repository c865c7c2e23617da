// The flow engine with its transport's wire model (src/sim/engines/wire.ts: headers per packet, the last
// packet's store-and-forward, the ack's way back, NSCC's window under its target delay) against the packet
// engine, on htsim's default fat-trees (k = 8: 128 hosts, k = 16: 1,024 hosts; 100 Gb/s, 1 us links, NSCC,
// trimming), ECMP and spraying: tail (makespan) and mean flow completion time. Every row is printed with the
// ideal fluid model's errors beside the wire model's.
//
// The bounds are what the model reaches, row by row. Where they exceed 5% the packet engine carries
// transport dynamics a max-min fluid model has no state for:
// - NSCC does not share one bottleneck fairly (an incast: some flows finish early, so the packet engine's
//   mean is lower while its tail matches): a flow with a shorter round trip holds the same window and moves
//   more (the incast's sender on the receiver's own switch), and flows of equal round trips drift apart
//   (progress wanders around the fair share, a random walk). It shares several bottlenecks by path, not
//   max-min (ECMP permutations: a flow is held back by every saturated link it crosses).
//   `simulation.sharing: by-path` carries the round trips, the drift, the harder cuts of flows whose bursts
//   wait on the way (where ECMP makes an incast's flows meet before the bottleneck; both constants fitted
//   once on other incasts: test/calibration/nscc-by-path.test.ts) and the paths (docs/flow-model.md); its own
//   bounds are beside the default's. Which flows a queue favours changes with the packet engine's seed,
//   and so does its mean (k = 8 ECMP incast: 1,068–1,209 us over six seeds), so the incast rows, cheap to
//   run, compare with the mean over six seeds; the others with seed 1;
// - the k = 8 all-to-all runs 127 flows of 64 kB from every NIC at once: each flow's packets leave 42 us
//   apart (4,150 B at 1/127 of 100 Gb/s), the receiver acks every 16 kB (4 packets), so a group's first
//   packets wait ~127 us for their ack, past the 101 us timer (15 us + six 178 kB buffers at line rate):
//   spurious timeouts resend 11–12.5% of the packets and set the tail. htsim's UEC source and sink work the same
//   way (ack every 16 kB or on a mark or request; RTO from the oldest send). With 63 flows per NIC (k = 16)
//   the wait is 63 us, nothing times out, and the fluid model is within 1%; at k = 8 with the timer three
//   times as long (the last test) the means agree within 1% too.
import { describe, expect, it } from "vitest";
import { flowEngine } from "../../src/sim/engines/flow/engine.js";
import { wireModelFor } from "../../src/sim/engines/wire.js";
import type { FlowSet } from "../../src/sim/flows.js";
import { derangement } from "../../src/workload/traffic/patterns.js";
import { flowsOf, htsimNet, type Net, runOn } from "./helpers.js";

type Matrix = "permutation" | "incast" | "all-to-all";
type Balance = "ecmp" | "spray";

/**
 * Flows of a matrix: 2 MB permutation, k-to-1 incast of 2 MB, all-to-all of 64 kB among every `stride`-th
 * host, each sender's flows in shift order as the traffic pattern issues them (src/workload/traffic/patterns.ts).
 */
function matrix(n: Net, kind: Matrix, k: number, stride: number): FlowSet {
  const e = n.endpoints.length;
  const list: [number, number, number][] = [];
  if (kind === "permutation") {
    derangement(e, 5).forEach((d, s) => {
      list.push([s, d, 2e6]);
    });
  } else if (kind === "incast") {
    const step = Math.floor((e - 1) / k);
    for (let i = 0; i < k; i++) list.push([1 + i * step, 0, 2e6]);
  } else {
    const m = Math.ceil(e / stride);
    for (let i = 0; i < m; i++)
      for (let t = 1; t < m; t++) list.push([i * stride, ((i + t) % m) * stride, 64e3]);
  }
  return flowsOf(n, list);
}

function tailAndMean(flows: FlowSet, finish: Float64Array) {
  let tail = 0;
  let sum = 0;
  for (let f = 0; f < flows.count; f++) {
    const fct = finish[f] - flows.start[f];
    tail = Math.max(tail, fct);
    sum += fct;
  }
  return { tail, mean: sum / flows.count };
}

const pct = (x: number) => +(x * 100).toFixed(1);

/** Packet-engine seeds for the incasts: which flow a queue favours changes with the seed (see the header). */
const INCAST_SEEDS = [1, 2, 3, 4, 5, 6];

/** The packet engine's tail and mean, averaged over seeds, and the range of its per-seed means (us). */
function packetTailAndMean(n: Net, flows: FlowSet, lb: Balance, seeds: number[]) {
  let tail = 0;
  let mean = 0;
  const means: number[] = [];
  for (const seed of seeds) {
    const packet = runOn(n, flows, { loadBalancing: lb, seed });
    expect(packet.packets.unfinished).toBe(0);
    const r = tailAndMean(flows, packet.finish);
    tail += r.tail / seeds.length;
    mean += r.mean / seeds.length;
    means.push(r.mean * 1e6);
  }
  const range = `${Math.min(...means).toFixed(0)}–${Math.max(...means).toFixed(0)}`;
  return { tail, mean, range };
}

/**
 * Bounds on |flow / packet − 1|, tail and mean, per fabric, matrix and load balancing (see the header), with
 * the default sharing (max-min) and sharing by path (`byPath`, where it differs: tail and mean).
 */
const BOUNDS: Record<string, { tail: number; mean: number; byPath?: { tail: number; mean: number } }> = {
  "8 permutation ecmp": { tail: 0.05, mean: 0.12, byPath: { tail: 0.05, mean: 0.05 } },
  "8 permutation spray": { tail: 0.05, mean: 0.05 },
  "8 incast ecmp": { tail: 0.05, mean: 0.17, byPath: { tail: 0.05, mean: 0.05 } },
  "8 incast spray": { tail: 0.05, mean: 0.11, byPath: { tail: 0.05, mean: 0.05 } },
  "8 all-to-all ecmp": { tail: 0.15, mean: 0.09 },
  "8 all-to-all spray": { tail: 0.23, mean: 0.1 },
  "16 permutation ecmp": { tail: 0.05, mean: 0.13, byPath: { tail: 0.05, mean: 0.05 } },
  "16 permutation spray": { tail: 0.05, mean: 0.05 },
  "16 incast ecmp": { tail: 0.05, mean: 0.13, byPath: { tail: 0.05, mean: 0.05 } },
  "16 incast spray": { tail: 0.05, mean: 0.11, byPath: { tail: 0.05, mean: 0.05 } },
  "16 all-to-all ecmp": { tail: 0.05, mean: 0.05 },
  "16 all-to-all spray": { tail: 0.05, mean: 0.05 },
};

describe("flow engine with the wire model vs packet engine on htsim's fat-trees", () => {
  // k = 16: the all-to-all runs among 64 of the 1,024 hosts (one in 16, across every pod): 4,032 flows, a
  // few seconds of packet simulation, where all 1,047,552 pairs would take hours.
  const fabrics = [
    { k: 8, hosts: 128, stride: 1 },
    { k: 16, hosts: 1024, stride: 16 },
  ];
  for (const { k, hosts, stride } of fabrics) {
    for (const kind of ["permutation", "incast", "all-to-all"] as const) {
      it(`k = ${k}, ${kind}: tail and mean within the bounds, ECMP and spraying`, () => {
        const rows = [];
        for (const lb of ["ecmp", "spray"] as Balance[]) {
          const n = htsimNet(hosts, lb);
          const flows = matrix(n, kind, k, stride);
          const options = { loadBalancing: lb, seed: 1 };
          const ideal = flowEngine(n.fabric, n.router, flows, options);
          const wire = wireModelFor(n.cluster.transport, n.fabric, n.router, true);
          const fluid = flowEngine(n.fabric, n.router, flows, { ...options, wire });
          const byPathWire = wireModelFor(n.cluster.transport, n.fabric, n.router, true, "by-path");
          const byPath = flowEngine(n.fabric, n.router, flows, { ...options, wire: byPathWire });
          const p = packetTailAndMean(n, flows, lb, kind === "incast" ? INCAST_SEEDS : [1]);
          const f = tailAndMean(flows, fluid.finish);
          const i = tailAndMean(flows, ideal.finish);
          const b = tailAndMean(flows, byPath.finish);
          const bound = BOUNDS[`${k} ${kind} ${lb}`];
          rows.push({
            matrix: `k=${k} ${kind}`,
            lb,
            flows: flows.count,
            packetTailUs: +(p.tail * 1e6).toFixed(1),
            flowTailUs: +(f.tail * 1e6).toFixed(1),
            tailErrPct: pct(f.tail / p.tail - 1),
            idealTailErrPct: pct(i.tail / p.tail - 1),
            packetMeanUs: +(p.mean * 1e6).toFixed(1),
            packetMeanRangeUs: p.range,
            flowMeanUs: +(f.mean * 1e6).toFixed(1),
            meanErrPct: pct(f.mean / p.mean - 1),
            idealMeanErrPct: pct(i.mean / p.mean - 1),
            byPathTailErrPct: pct(b.tail / p.tail - 1),
            byPathMeanErrPct: pct(b.mean / p.mean - 1),
            byPathMoved: b.mean !== f.mean || b.tail !== f.tail,
            byPathTailErr: Math.abs(b.tail / p.tail - 1),
            byPathMeanErr: Math.abs(b.mean / p.mean - 1),
            tailErr: Math.abs(f.tail / p.tail - 1),
            meanErr: Math.abs(f.mean / p.mean - 1),
            bound,
          });
        }
        console.table(
          rows.map(
            ({ tailErr: _t, meanErr: _m, bound: _b, byPathTailErr: _bt, byPathMeanErr: _bm, ...row }) => row,
          ),
        );
        for (const r of rows) {
          expect(r.tailErr, `${r.matrix} ${r.lb} tail`).toBeLessThan(r.bound.tail);
          expect(r.meanErr, `${r.matrix} ${r.lb} mean`).toBeLessThan(r.bound.mean);
          // Rows without their own by-path bounds are ones sharing by path must leave as they are.
          expect(r.byPathMoved, `${r.matrix} ${r.lb} by path moved`).toBe(r.bound.byPath !== undefined);
          const byPath = r.bound.byPath ?? r.bound;
          expect(r.byPathTailErr, `${r.matrix} ${r.lb} by path tail`).toBeLessThan(byPath.tail);
          expect(r.byPathMeanErr, `${r.matrix} ${r.lb} by path mean`).toBeLessThan(byPath.mean);
        }
      });
    }
  }

  it("k = 8 all-to-all: with the timer three times as long nothing times out spuriously, and the means agree within 2%", () => {
    // The cause named in the header, isolated: htsim's timer (15 us + six buffers at line rate) tripled.
    const rows = [];
    for (const lb of ["ecmp", "spray"] as Balance[]) {
      const n = htsimNet(128, lb);
      const flows = matrix(n, "all-to-all", 8, 1);
      const rtoS = 3 * (15e-6 + (6 * n.cluster.scaleOut.switch.buffer) / (100e9 / 8));
      const wire = wireModelFor(n.cluster.transport, n.fabric, n.router, true);
      const fluid = flowEngine(n.fabric, n.router, flows, { loadBalancing: lb, seed: 1, wire });
      const packet = runOn(n, flows, { loadBalancing: lb, minRtoS: rtoS });
      expect(packet.packets.unfinished).toBe(0);
      const p = tailAndMean(flows, packet.finish);
      const f = tailAndMean(flows, fluid.finish);
      rows.push({
        lb,
        timeouts: packet.packets.timeouts,
        retransmissions: packet.packets.retransmissions,
        dataPackets: packet.packets.dataPackets,
        packetMeanUs: +(p.mean * 1e6).toFixed(1),
        flowMeanUs: +(f.mean * 1e6).toFixed(1),
        meanErrPct: pct(f.mean / p.mean - 1),
        meanErr: Math.abs(f.mean / p.mean - 1),
      });
    }
    console.table(rows.map(({ meanErr: _m, ...row }) => row));
    for (const r of rows) {
      expect(r.retransmissions, r.lb).toBeLessThan(0.02 * r.dataPackets);
      expect(r.meanErr, `${r.lb} mean`).toBeLessThan(0.02);
    }
  });

  it("senders whose own NIC their flows saturate do not drift: a 5-host all-to-all of 2 MB finishes together", () => {
    // Each sender's four flows share its NIC round-robin, so no flow falls behind another of its sender, and
    // every receiver's link takes one flow from each sender: the packet engine finishes them all within 1%
    // of each other. Sharing by path must leave them as max-min does (its drift is gated on the sender's
    // NIC: without the gate its mean is 2.9% early); fair windows are ~40 packets, so the window gate
    // alone would not hold them.
    const hosts = [0, 33, 66, 99, 120]; // in five of the k = 8 fat-tree's eight pods
    const rows = [];
    for (const lb of ["ecmp", "spray"] as Balance[]) {
      const n = htsimNet(128, lb);
      const list: [number, number, number][] = [];
      for (const a of hosts) for (const b of hosts) if (a !== b) list.push([a, b, 2e6]);
      const flows = flowsOf(n, list);
      const p = packetTailAndMean(n, flows, lb, [1, 2]);
      const share = (sharing: "max-min" | "by-path") =>
        tailAndMean(
          flows,
          flowEngine(n.fabric, n.router, flows, {
            loadBalancing: lb,
            seed: 1,
            wire: wireModelFor(n.cluster.transport, n.fabric, n.router, true, sharing),
          }).finish,
        );
      const byPath = share("by-path");
      const maxMin = share("max-min");
      rows.push({
        lb,
        packetMeanOverTail: p.mean / p.tail,
        byPathErr: byPath.mean / p.mean - 1,
        byPath,
        maxMin,
      });
    }
    console.table(
      rows.map((r) => ({
        lb: r.lb,
        packetMeanOverTail: r.packetMeanOverTail.toFixed(4),
        byPathMeanErrPct: pct(r.byPathErr),
      })),
    );
    for (const r of rows) {
      expect(r.packetMeanOverTail, r.lb).toBeGreaterThan(0.99);
      expect(Math.abs(r.byPathErr), r.lb).toBeLessThan(0.01);
      expect(r.byPath.mean, r.lb).toBe(r.maxMin.mean);
    }
  });
});
