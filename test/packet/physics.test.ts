// Physical invariants of the packet engine: serialization + propagation, link-rate bounds, lossless PFC,
// spraying vs ECMP collisions, failures and recovery, determinism.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ecmpIndex } from "../../src/routing/ecmp.js";
import type { CongestionControl } from "../../src/scenario/types.js";
import { derangement } from "../../src/workload/traffic/patterns.js";
import { fctsUs, flowsOf, htsimNet, runOn } from "./helpers.js";

const RATE = 12.5e9; // 100 Gb/s in bytes/s
const CCS: CongestionControl[] = ["nscc", "dcqcn", "rccc", "nscc+rccc", "none"];

describe("packet engine physics", () => {
  it("a one-packet flow under one leaf takes exactly 2 x (serialization + 1 us) out and back", () => {
    const n = htsimNet(16);
    const flows = flowsOf(n, [[0, 1, 1000]]);
    const r = runOn(n, flows);
    // 1,000 B + 64 B header at 100 Gb/s = 85.12 ns per hop; the ack (64 B) = 5.12 ns per hop.
    const expected = 2 * (1064 / RATE + 1e-6) + 2 * (64 / RATE + 1e-6);
    console.table([{ weftUs: r.finish[0] * 1e6, closedFormUs: expected * 1e6 }]);
    expect(r.finish[0]).toBeCloseTo(expected, 15);
    expect(r.packets.dataPackets).toBe(1);
    expect(r.packets.controlPackets).toBe(1);
  });

  it("an incast of N flows of S bytes into one 100G port finishes no sooner than N·S / 12.5 GB/s", () => {
    const n = htsimNet(16, "ecmp");
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 15 }),
        fc.integer({ min: 20_000, max: 300_000 }),
        fc.constantFrom(...CCS),
        fc.constantFrom("spray" as const, "ecmp" as const),
        (senders, bytes, cc, lb) => {
          const list: [number, number, number][] = [];
          for (let i = 0; i < senders; i++) list.push([i, 15, bytes]);
          const flows = flowsOf(n, list);
          const r = runOn(n, flows, { loadBalancing: lb, transport: { congestionControl: cc } });
          expect(r.packets.unfinished).toBe(0);
          expect(r.makespan).toBeGreaterThanOrEqual((senders * bytes) / RATE);
          for (const f of fctsUs(flows, r.finish)) expect(f).toBeGreaterThan(0);
        },
      ),
      { numRuns: 20, seed: 7 },
    );
  });

  it("PFC on a lossless class gives zero drops and zero trims, pausing instead", () => {
    const n = htsimNet(16, "ecmp");
    const list: [number, number, number][] = [];
    for (let i = 0; i < 12; i++) list.push([i, 15, 400_000]);
    const flows = flowsOf(n, list);
    const rows = [];
    for (const cc of CCS) {
      const r = runOn(n, flows, {
        loadBalancing: "ecmp",
        transport: { congestionControl: cc, pfc: true, trimming: false },
      });
      const p = r.packets;
      rows.push({
        cc,
        maxUs: r.makespan * 1e6,
        drops: p.drops,
        trims: p.trims,
        pauses: p.pfcPauses,
        rtx: p.retransmissions,
      });
      expect(p.unfinished).toBe(0);
      expect(p.drops + p.trims + p.failureDrops).toBe(0);
      expect(p.pfcPauses).toBeGreaterThan(0);
    }
    console.table(rows);
    // The same incast without PFC and without trimming does drop.
    const lossy = runOn(n, flows, {
      loadBalancing: "ecmp",
      transport: { congestionControl: "none", trimming: false },
    });
    expect(lossy.packets.drops).toBeGreaterThan(0);
    expect(lossy.packets.unfinished).toBe(0);
  });

  it("spraying beats per-flow ECMP on a permutation whose ECMP hashes collide", () => {
    const n = htsimNet(128, "ecmp");
    const perm = derangement(128, 3);
    const flows = flowsOf(
      n,
      Array.from(perm, (d, s) => [s, d, 2_000_000] as [number, number, number]),
    );
    // Count flows per link under the engine's ECMP choice: a collision puts two flows on one link.
    const load = new Int32Array(n.fabric.links.count);
    const buf = new Int32Array(n.router.maxHops);
    let worst = 0;
    for (let f = 0; f < flows.count; f++) {
      const a = flows.src[f];
      const b = flows.dst[f];
      const k = ecmpIndex(a, b, f, 1, n.router.pathCount(a, b));
      const hops = n.router.path(a, b, k, buf);
      for (let i = 0; i < hops; i++) worst = Math.max(worst, ++load[buf[i]]);
    }
    expect(worst).toBeGreaterThanOrEqual(2);
    const ecmp = runOn(n, flows, { loadBalancing: "ecmp" });
    const spray = runOn(n, flows, { loadBalancing: "spray" });
    const adaptive = runOn(n, flows, { loadBalancing: "adaptive" });
    console.table([
      { lb: "ecmp", flowsOnWorstLink: worst, maxUs: ecmp.makespan * 1e6 },
      { lb: "spray", maxUs: spray.makespan * 1e6 },
      { lb: "adaptive", maxUs: adaptive.makespan * 1e6 },
    ]);
    expect(spray.makespan).toBeLessThan(0.8 * ecmp.makespan);
    expect(adaptive.makespan).toBeLessThan(0.8 * ecmp.makespan);
  });

  it("a failed link with traffic on it: packets are lost, every flow completes after recovery", () => {
    for (const lb of ["spray", "ecmp"] as const) {
      const n = htsimNet(16, lb);
      const flows = flowsOf(n, [
        [0, 13, 1_000_000],
        [1, 12, 1_000_000],
        [4, 9, 1_000_000],
      ]);
      const base = runOn(n, flows, { loadBalancing: lb });
      // Fail the first spine-to-core cable flow 0 uses (a core link: the flows cross pods).
      const path = new Int32Array(n.router.maxHops);
      const k =
        lb === "ecmp"
          ? ecmpIndex(flows.src[0], flows.dst[0], 0, 1, n.router.pathCount(flows.src[0], flows.dst[0]))
          : 0;
      const hops = n.router.path(flows.src[0], flows.dst[0], k, path);
      const cable = path[Math.floor(hops / 2) - 1];
      const links = [cable, n.fabric.links.reverse[cable]];
      const r = runOn(n, flows, {
        loadBalancing: lb,
        failures: [{ atS: 30e-6, links, degrade: 1 }],
        failureDetectionS: 50e-6,
      });
      const p = r.packets;
      console.table([
        {
          lb,
          baseMaxUs: base.makespan * 1e6,
          failedMaxUs: r.makespan * 1e6,
          lost: p.failureDrops,
          timeouts: p.timeouts,
          rtx: p.retransmissions,
        },
      ]);
      expect(p.unfinished).toBe(0);
      expect(p.failureDrops).toBeGreaterThan(0);
      expect(p.retransmissions).toBeGreaterThan(0);
      expect(r.makespan).toBeGreaterThan(base.makespan);
    }
  });

  it("a degraded link slows the flows on it", () => {
    const n = htsimNet(16, "ecmp");
    const flows = flowsOf(n, [[0, 2, 1_000_000]]);
    const base = runOn(n, flows, { loadBalancing: "ecmp" });
    const path = new Int32Array(n.router.maxHops);
    n.router.path(
      flows.src[0],
      flows.dst[0],
      ecmpIndex(flows.src[0], flows.dst[0], 0, 1, n.router.pathCount(flows.src[0], flows.dst[0])),
      path,
    );
    const r = runOn(n, flows, {
      loadBalancing: "ecmp",
      failures: [{ atS: 0, links: [path[1]], degrade: 0.5 }],
    });
    // Half rate on the bottleneck: the transfer takes about twice as long.
    expect(r.makespan / base.makespan).toBeGreaterThan(1.8);
    expect(r.packets.unfinished).toBe(0);
  });

  it("ECN marks only above the marking threshold; no marks with thresholds above the buffer", () => {
    const n = htsimNet(16);
    const list: [number, number, number][] = [];
    for (let i = 0; i < 6; i++) list.push([i, 15, 300_000]);
    const flows = flowsOf(n, list);
    const marked = runOn(n, flows);
    const unmarked = runOn(n, flows, { transport: { ecn: { min: 10e6, max: 20e6 } } });
    expect(marked.packets.ecnMarks).toBeGreaterThan(0);
    expect(unmarked.packets.ecnMarks).toBe(0);
  });

  it("is deterministic: the same inputs give identical results", () => {
    const n = htsimNet(16);
    const list: [number, number, number][] = [];
    for (let i = 0; i < 15; i++) list.push([i, 15, 200_000]);
    const flows = flowsOf(n, list);
    const a = runOn(n, flows);
    const b = runOn(n, flows);
    expect(Array.from(b.finish)).toEqual(Array.from(a.finish));
    expect(b.packets.events).toBe(a.packets.events);
  });

  it("samples queue occupancy when asked", () => {
    const n = htsimNet(16);
    const flows = flowsOf(n, [
      [0, 15, 200_000],
      [1, 15, 200_000],
    ]);
    const r = runOn(n, flows, { traceIntervalS: 1e-6 });
    expect(r.trace).toBeDefined();
    const tr = r.trace!;
    expect(tr.timeS.length).toBeGreaterThan(10);
    let peak = 0;
    for (let i = 0; i < tr.bytes.length; i++) peak = Math.max(peak, tr.bytes[i]);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(Math.max(...r.packets.queueMaxBytes));
  });
});
