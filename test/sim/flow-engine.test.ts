import { describe, expect, it } from "vitest";
import { WeftError } from "../../src/errors.js";
import { analyticalEngine } from "../../src/sim/engines/analytical.js";
import { runFlowEngine } from "../../src/sim/engines/flow/engine.js";
import { engineFor } from "../../src/sim/engines/index.js";
import type { EngineOptions } from "../../src/sim/engines/types.js";
import { type FlowSpec, flowSetOf } from "./helpers/flows.js";
import { leafSpine } from "./helpers/leaf-spine.js";

const ECMP: EngineOptions = { loadBalancing: "ecmp", seed: 1 };
const SPRAY: EngineOptions = { loadBalancing: "spray", seed: 1 };
const US = 1e-6;
const GB = 1e9;

// Hosts 0, 1 on leaf 0; hosts 2, 3 on leaf 1; every link 1 GB/s and 1 us unless a case says otherwise.
function small(uplink = GB, spines = 1) {
  return leafSpine({
    leaves: 2,
    hostsPerLeaf: 2,
    spines,
    hostBandwidth: GB,
    uplinkBandwidth: uplink,
    latency: US,
  });
}

function finishes(specs: FlowSpec[], options = ECMP, net = small()) {
  return Array.from(runFlowEngine(net.fabric, net.router, flowSetOf(specs), options).finish);
}

describe("flow engine, hand-computed cases", () => {
  it("one flow alone: latency + bytes / bandwidth", () => {
    const [t] = finishes([{ src: 0, dst: 2, bytes: 1e6 }]);
    expect(t).toBeCloseTo(1e-3 + 4 * US, 15);
  });

  it("two flows on one uplink share it, and the survivor speeds up", () => {
    // Both at 0.5 GB/s; the 1 MB flow ends at 2 ms, the 2 MB flow then has 1 MB left at 1 GB/s: 3 ms.
    const [a, b] = finishes([
      { src: 0, dst: 2, bytes: 1e6 },
      { src: 1, dst: 3, bytes: 2e6 },
    ]);
    expect(a).toBeCloseTo(2e-3 + 4 * US, 15);
    expect(b).toBeCloseTo(3e-3 + 4 * US, 15);
  });

  it("a later arrival takes its share from then on; equal remainders complete together", () => {
    // A alone for 1 ms (1 MB done), then both at 0.5 GB/s with 1 MB left each: both end at 3 ms.
    const net = small();
    const r = runFlowEngine(
      net.fabric,
      net.router,
      flowSetOf([
        { src: 0, dst: 2, bytes: 2e6 },
        { src: 1, dst: 3, bytes: 1e6, start: 1e-3 },
      ]),
      ECMP,
    );
    expect(r.finish[0]).toBeCloseTo(3e-3 + 4 * US, 15);
    expect(r.finish[1]).toBe(r.finish[0]);
    expect(r.stats).toEqual({ events: 4, recomputes: 2 });
  });

  it("max-min with unequal bottlenecks: the flow limited elsewhere leaves room to the other", () => {
    // Uplink 1.5 GB/s shared by A and B; host 2's downlink shared by A and C (C stays inside leaf 1).
    // The downlink saturates first at 0.5 each (A, C); B then gets the rest of the uplink, capped by
    // its own host links at 1 GB/s.
    const net = small(1.5 * GB);
    const r = runFlowEngine(
      net.fabric,
      net.router,
      flowSetOf([
        { src: 0, dst: 2, bytes: 1e6 },
        { src: 1, dst: 3, bytes: 1e6 },
        { src: 3, dst: 2, bytes: 1e6 },
      ]),
      { ...ECMP, trace: true },
    );
    const first = r.trace!;
    const rates = Array.from({ length: 3 }, (_, f) => first.rate[first.flow.indexOf(f)]);
    expect(rates[0]).toBeCloseTo(0.5 * GB, 3);
    expect(rates[1]).toBeCloseTo(1 * GB, 3);
    expect(rates[2]).toBeCloseTo(0.5 * GB, 3);
  });

  it("spraying splits a flow over the spines: weights 1/2 on two half-rate uplinks", () => {
    const net = small(0.5 * GB, 2);
    const spec = [{ src: 0, dst: 2, bytes: 1e6 }];
    // Sprayed: each uplink carries half the bytes at 0.5 GB/s, so the flow runs at 1 GB/s.
    expect(finishes(spec, SPRAY, net)[0]).toBeCloseTo(1e-3 + 4 * US, 15);
    // ECMP: one path, bottleneck 0.5 GB/s.
    expect(finishes(spec, ECMP, net)[0]).toBeCloseTo(2e-3 + 4 * US, 15);
  });

  it("empty flows and flows to themselves finish at once", () => {
    const [empty, self] = finishes([
      { src: 0, dst: 2, bytes: 0, start: 1e-3 },
      { src: 1, dst: 1, bytes: 1e6, start: 2e-3 },
    ]);
    expect(empty).toBeCloseTo(1e-3 + 4 * US, 15);
    expect(self).toBe(2e-3);
  });

  it("symmetry classes give the same finishes as computing every flow", () => {
    const net = leafSpine({
      leaves: 4,
      hostsPerLeaf: 4,
      spines: 2,
      hostBandwidth: GB,
      uplinkBandwidth: GB,
      latency: US,
    });
    // Every host sends to the same position on the next leaf: all flows symmetric under spraying.
    const specs = Array.from({ length: 16 }, (_, h) => ({ src: h, dst: (h + 4) % 16, bytes: 1e6 }));
    const plain = finishes(specs, SPRAY, net);
    const classed = finishes(
      specs.map((s) => ({ ...s, klass: 0 })),
      SPRAY,
      net,
    );
    expect(classed).toEqual(plain);
    // 4 hosts per leaf share 2 uplinks of 1 GB/s: 0.5 GB/s each.
    expect(plain[0]).toBeCloseTo(2e-3 + 4 * US, 15);
  });

  it("reports bytes per link on request", () => {
    const net = small(GB, 2);
    const r = runFlowEngine(net.fabric, net.router, flowSetOf([{ src: 0, dst: 2, bytes: 1e6 }]), {
      ...SPRAY,
      linkBytes: true,
    });
    expect(r.linkBytes![net.hostUp[0]]).toBe(1e6);
    expect(r.linkBytes![net.leafUp[0]]).toBe(5e5);
    expect(r.linkBytes![net.leafDown[2 + 1]]).toBe(5e5);
    expect(r.linkBytes!.reduce((a, b) => a + b, 0)).toBe(4e6);
  });
});

describe("engine inputs", () => {
  it("rejects endpoints outside the fabric and unreachable pairs with a message", () => {
    const net = small();
    expect(() => finishes([{ src: 0, dst: 99, bytes: 1 }])).toThrow(WeftError);
    expect(() => finishes([{ src: 0, dst: 99, bytes: 1 }])).toThrow(/not nodes of the fabric/);
    // Node 4 is leaf-0: the router has no path to a switch.
    expect(() =>
      analyticalEngine(net.fabric, net.router, flowSetOf([{ src: 0, dst: 4, bytes: 1 }]), ECMP),
    ).toThrow(/no route from host-0 to leaf-0/);
    expect(() => finishes([{ src: 0, dst: 2, bytes: -1 }])).toThrow(/bytes must be/);
  });

  it("engineFor picks the engine by fidelity", () => {
    expect(engineFor("analytical")).toBe(analyticalEngine);
    expect(engineFor("flow").name).toBe("flowEngine");
    expect(() => engineFor("packet" as "flow")).toThrow(/expected "analytical" or "flow"/);
  });
});
