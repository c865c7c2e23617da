// Window transports sharing by path (`simulation.sharing: by-path`, sharing.ts, flow/window.ts shareByPath):
// a flow crossing k saturated shared links gets 1 / k of the fill, which on a line of links is proportional
// fairness exactly; flows of one bottleneck share it in inverse proportion to their window times (equal
// windows), drift apart, and cede to those whose bursts wait on the way.
import { describe, expect, it } from "vitest";
import { spreadNormal } from "../../src/prng.js";
import { type FlowEngineResult, runFlowEngine } from "../../src/sim/engines/flow/engine.js";
import {
  burstWait,
  driftShare,
  NSCC_CUT_EXCESS,
  NSCC_DRIFT,
  pathDelayShare,
} from "../../src/sim/engines/sharing.js";
import { type WireTransport, windowTime, wireModelFor } from "../../src/sim/engines/wire.js";
import { flowSetOf } from "./helpers/flows.js";
import { leafSpine } from "./helpers/leaf-spine.js";

const NSCC: WireTransport = { mtu: 4150, congestionControl: "nscc", trimming: true };
const DCQCN: WireTransport = { mtu: 4150, congestionControl: "dcqcn", trimming: false };

/**
 * Three leaves, one spine, two hosts per leaf. Flow 0 (host 0 → host 4) crosses leaf 0's uplink and the
 * spine's link down to leaf 2; flow 1 (host 1 → host 2) shares the first, flow 2 (host 3 → host 5) the
 * second. Max-min gives all three half an uplink.
 */
function line(uplink: number) {
  const ls = leafSpine({
    leaves: 3,
    hostsPerLeaf: 2,
    spines: 1,
    hostBandwidth: 2 * uplink,
    uplinkBandwidth: uplink,
    latency: 1e-6,
  });
  const flows = flowSetOf([
    { src: 0, dst: 4, bytes: 1e7 },
    { src: 1, dst: 2, bytes: 1e7 },
    { src: 3, dst: 5, bytes: 1e7 },
  ]);
  return { ls, flows };
}

/**
 * The wire model without NSCC's drift and delay on the way: the tests of the path and RTT factors expect
 * exact ratios.
 */
function steady(transport: WireTransport, ls: ReturnType<typeof leafSpine>, sharing: "max-min" | "by-path") {
  return { ...wireModelFor(transport, ls.fabric, ls.router, true, sharing), drift: 0, cutExcess: 0 };
}

/** Three leaves of two hosts under one spine, hosts at 40 Gb/s, uplinks at 160 Gb/s: incasts into host 0. */
function incastFabric() {
  return leafSpine({
    leaves: 3,
    hostsPerLeaf: 2,
    spines: 1,
    hostBandwidth: 5e9,
    uplinkBandwidth: 20e9,
    latency: 1e-6,
  });
}

/** Each flow's rate in the first refill of a traced run. */
function firstStepRates(r: FlowEngineResult, flows: number): number[] {
  const trace = r.trace;
  if (!trace) throw new Error("no trace");
  const rates = new Array<number>(flows).fill(0);
  for (let i = 0; i < trace.count; i++) if (trace.step[i] === 0) rates[trace.flow[i]] = trace.rate[i];
  return rates;
}

function firstRates(uplink: number, transport: WireTransport, sharing: "max-min" | "by-path" = "by-path") {
  const { ls, flows } = line(uplink);
  const wire = steady(transport, ls, sharing);
  const r = runFlowEngine(ls.fabric, ls.router, flows, { loadBalancing: "ecmp", seed: 1, wire, trace: true });
  return firstStepRates(r, flows.count);
}

describe("sharing by path (window transports)", () => {
  it("a flow across two saturated links gets a third of a link, its rivals two thirds (proportional fairness)", () => {
    const uplink = 5e9; // 40 Gb/s: a fair window of ~13 packets
    const [a, b, c] = firstRates(uplink, NSCC);
    expect(a / uplink).toBeCloseTo(1 / 3, 12);
    expect(b / uplink).toBeCloseTo(2 / 3, 12);
    expect(c / uplink).toBeCloseTo(2 / 3, 12);
  });

  it("a rate-based transport keeps max-min, and so does a window transport under the default sharing", () => {
    const uplink = 5e9;
    for (const r of firstRates(uplink, DCQCN)) expect(r / uplink).toBeCloseTo(1 / 2, 12);
    for (const r of firstRates(uplink, NSCC, "max-min")) expect(r / uplink).toBeCloseTo(1 / 2, 12);
  });

  it("a fair window under two packets keeps max-min: the sender's round-robin shares, not the congestion control", () => {
    // The same line with 15 rivals on each link: a sixteenth of 40 Gb/s over a ~20 us window time is
    // ~6 kB, under two 4,150-byte packets.
    const uplink = 5e9;
    const ls = leafSpine({
      leaves: 3,
      hostsPerLeaf: 16,
      spines: 1,
      hostBandwidth: 2 * uplink,
      uplinkBandwidth: uplink,
      latency: 1e-6,
    });
    const specs = [{ src: 0, dst: 32, bytes: 1e7 }];
    for (let i = 1; i < 16; i++)
      specs.push({ src: i, dst: 15 + i, bytes: 1e7 }, { src: 15 + i, dst: 32 + i, bytes: 1e7 });
    const flows = flowSetOf(specs);
    const wire = wireModelFor(NSCC, ls.fabric, ls.router, true, "by-path");
    const r = runFlowEngine(ls.fabric, ls.router, flows, {
      loadBalancing: "ecmp",
      seed: 1,
      wire,
      trace: true,
    });
    const trace = r.trace;
    if (!trace) throw new Error("no trace");
    let rows = 0;
    for (let i = 0; i < trace.count; i++) {
      if (trace.step[i] !== 0) continue;
      rows++;
      expect(trace.rate[i] / uplink).toBeCloseTo(1 / 16, 12);
    }
    expect(rows).toBe(flows.count);
  });

  it("two flows into one host, one from its own leaf: rates in inverse proportion to their window times", () => {
    // Host 0 receives from host 1 (same leaf: two links) and host 2 (across the spine: four links).
    const ls = leafSpine({
      leaves: 2,
      hostsPerLeaf: 2,
      spines: 1,
      hostBandwidth: 5e9,
      uplinkBandwidth: 5e9,
      latency: 1e-6,
    });
    const flows = flowSetOf([
      { src: 1, dst: 0, bytes: 1e7 },
      { src: 2, dst: 0, bytes: 1e7 },
    ]);
    for (const sharing of ["by-path", "max-min"] as const) {
      const wire = steady(NSCC, ls, sharing);
      const r = runFlowEngine(ls.fabric, ls.router, flows, {
        loadBalancing: "ecmp",
        seed: 1,
        wire,
        trace: true,
      });
      const { latency, perByte } = r.routes;
      const [near, far] = [0, 1].map((f) => windowTime(wire, latency[f], perByte[f]));
      expect(near).toBeLessThan(0.8 * far); // the test means something only if the round trips differ
      const rates = firstStepRates(r, 2);
      expect((rates[0] + rates[1]) / 5e9).toBeCloseTo(1, 12);
      if (sharing === "by-path") expect(rates[0] / rates[1]).toBeCloseTo(far / near, 9);
      else expect(rates[0] / rates[1]).toBeCloseTo(1, 12);
      // The near flow finishes first by path, and the far one then moves alone: the last finish is unchanged.
      if (sharing === "by-path") expect(r.finish[0]).toBeLessThan(r.finish[1]);
    }
  });

  it("drift: flows of one network bottleneck move at their drift factors; the last finishes where max-min says", () => {
    // Four senders on leaves 1 and 2 into host 0 (leaf 0): equal round trips, one bottleneck (host 0's
    // link; the uplinks have room), fair windows of ~13 packets.
    const ls = incastFabric();
    const bytes = 1e7;
    const flows = flowSetOf([2, 3, 4, 5].map((src) => ({ src, dst: 0, bytes })));
    const run = (transport: WireTransport, sharing: "max-min" | "by-path", seed = 1) =>
      runFlowEngine(ls.fabric, ls.router, flows, {
        loadBalancing: "ecmp",
        seed,
        wire: wireModelFor(transport, ls.fabric, ls.router, true, sharing),
        trace: true,
      });
    const firstStep = (r: FlowEngineResult) => firstStepRates(r, 4);
    const wire = wireModelFor(NSCC, ls.fabric, ls.router, true, "by-path");
    expect(wire.drift).toBe(NSCC_DRIFT);
    const drifting = run(NSCC, "by-path");
    const rates = firstStep(drifting);
    const wt = windowTime(wire, drifting.routes.latency[0], drifting.routes.perByte[0]);
    const factors = rates.map((_, f) => driftShare(wire, spreadNormal(f, 1), 5e9 / 4, wt));
    expect(rates.reduce((a, b) => a + b, 0) / 5e9).toBeCloseTo(1, 12);
    for (let f = 1; f < 4; f++) expect(rates[f] / rates[0]).toBeCloseTo(factors[f] / factors[0], 9);
    expect(Math.max(...factors) / Math.min(...factors)).toBeGreaterThan(1.02); // the test means something
    // Work is conserved at the bottleneck: the drift spreads the finishes, not the last one.
    const fair = run(NSCC, "max-min");
    const last = (r: ReturnType<typeof run>) => Math.max(...r.finish);
    const mean = (r: ReturnType<typeof run>) => r.finish.reduce((a, b) => a + b, 0) / 4;
    expect(last(drifting) / last(fair)).toBeCloseTo(1, 9);
    expect(mean(drifting)).toBeLessThan(mean(fair));
    // Another seed draws other deviates: another order of finishes, the same last one.
    const other = run(NSCC, "by-path", 7);
    expect(Array.from(other.finish)).not.toEqual(Array.from(drifting.finish));
    expect(last(other) / last(fair)).toBeCloseTo(1, 9);
    // Receiver credits pace the incast: no drift.
    const credits: WireTransport = { ...NSCC, congestionControl: "nscc+rccc" };
    expect(wireModelFor(credits, ls.fabric, ls.router, true, "by-path").drift).toBe(0);
    for (const r of firstStep(run(credits, "by-path"))) expect(r / 5e9).toBeCloseTo(1 / 4, 12);
  });

  it("delay on the way: flows whose bursts meet others' on unsaturated links move less, by NSCC's harder cuts", () => {
    // Host 0 (leaf 0) receives from hosts 2 and 3 (leaf 1) and host 4 (leaf 2). Host 0's link is the one
    // bottleneck; the spine's link down to leaf 0 carries all three flows and leaf 1's uplink two, both
    // far from saturated (the uplinks carry 20 GB/s).
    const ls = incastFabric();
    const flows = flowSetOf([2, 3, 4].map((src) => ({ src, dst: 0, bytes: 1e7 })));
    const base = wireModelFor(NSCC, ls.fabric, ls.router, true, "by-path");
    expect(base.cutExcess).toBe(NSCC_CUT_EXCESS);
    const wire = { ...base, drift: 0 };
    const r = runFlowEngine(ls.fabric, ls.router, flows, {
      loadBalancing: "ecmp",
      seed: 1,
      wire,
      trace: true,
    });
    const rates = firstStepRates(r, 3);
    expect(rates.reduce((a, b) => a + b, 0) / 5e9).toBeCloseTo(1, 12);
    // Waits from the max-min fill (5/3 GB/s each): the others' load on each shared link on the way.
    const fair = 5e9 / 3;
    const down = burstWait(wire, (2 * fair) / 20e9, 1, 20e9); // spine → leaf 0: two others
    const up = burstWait(wire, fair / 20e9, 1, 20e9); // leaf 1 → spine: one other
    const [pair, alone] = [pathDelayShare(wire, down + up), pathDelayShare(wire, down)];
    expect(pair).toBeLessThan(alone);
    expect(rates[0] / rates[2]).toBeCloseTo(pair / alone, 9);
    expect(rates[1] / rates[0]).toBeCloseTo(1, 12);
    // Without the excess (or with receiver credits) no delay counts.
    const flat = runFlowEngine(ls.fabric, ls.router, flows, {
      loadBalancing: "ecmp",
      seed: 1,
      wire: { ...wire, cutExcess: 0 },
    });
    expect(flat.finish[0]).toBeCloseTo(flat.finish[2], 12);
    const credits: WireTransport = { ...NSCC, congestionControl: "nscc+rccc" };
    expect(wireModelFor(credits, ls.fabric, ls.router, true, "by-path").cutExcess).toBe(0);
  });
});
