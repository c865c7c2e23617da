// Flow fidelity refills only the flows an event can move: the flows it leaves out must keep max-min
// rates. Each case here is one where a flow outside the first guess must join, with its times by hand.
import { describe, expect, it } from "vitest";
import { callAt, makeClock, runClock } from "../../../src/sim/clock.js";
import { makeFluidNetwork } from "../../../src/sim/network/fluid.js";
import { makeFlowGroup } from "../../../src/sim/network/types.js";
import { leafSpine } from "../helpers/leaf-spine.js";

/** Two leaves of two hosts (1 GB/s) and one spine (0.5 GB/s uplinks), no latency. */
function setup() {
  const ls = leafSpine({
    leaves: 2,
    hostsPerLeaf: 2,
    spines: 1,
    latency: 0,
    hostBandwidth: 1e9,
    uplinkBandwidth: 5e8,
  });
  const clock = makeClock();
  const net = makeFluidNetwork(clock, ls.fabric, ls.router, {
    fidelity: "flow",
    loadBalancing: "ecmp",
    seed: 1,
  });
  return { ...ls, clock, net, group: makeFlowGroup() };
}

describe("flow fidelity refills what an event moves", () => {
  it("a flow completing within the tolerance of another frees the link it shared with a third", () => {
    const { hosts: h, clock, net, group } = setup();
    // k and m share the uplink at 0.25 GB/s and end together (m within 1e-13); m shares host 1's uplink
    // with g, which has the other 0.75 GB/s until then and all of it after: 3 MB by 4 ms, 7 MB in 7 ms.
    const k = net.startFlow(h[0], h[2], 1e6, 0, 0, group);
    const m = net.startFlow(h[1], h[3], 1e6 * (1 + 1e-13), 0, 1, group);
    const g = net.startFlow(h[1], h[0], 1e7, 0, 2, group);
    runClock(clock);
    expect(net.finishOf(k)).toBeCloseTo(4e-3, 12);
    expect(net.finishOf(m)).toBeCloseTo(4e-3, 12);
    expect(net.finishOf(g)).toBeCloseTo(11e-3, 12);
  });

  it("a new flow slows a running flow on a link where the running flow was not limited", () => {
    const { hosts: h, clock, net, group } = setup();
    // a is limited by the uplink (0.5 GB/s), not by host 0's link, where b joins it at 1 ms and gets the
    // other 0.5 GB/s. At 2 ms c joins a on the uplink: both at 0.25 GB/s, and b rises to 0.75 GB/s.
    const a = net.startFlow(h[0], h[2], 2e6, 0, 0, group);
    let b = -1;
    let c = -1;
    callAt(clock, 1e-3, () => {
      b = net.startFlow(h[0], h[1], 3e6, 0, 1, group);
    });
    callAt(clock, 2e-3, () => {
      c = net.startFlow(h[1], h[3], 0.25e6, 0, 2, group);
    });
    runClock(clock);
    // a: 1 MB by 2 ms, then 0.25 MB/ms for 1 ms (c ends at 3 ms), then 0.75 MB at 0.5 GB/s: 4.5 ms.
    expect(net.finishOf(c)).toBeCloseTo(3e-3, 12);
    expect(net.finishOf(a)).toBeCloseTo(4.5e-3, 12);
    // b: 0.5 MB by 2 ms, 0.75 MB by 3 ms, 0.75 MB more by 4.5 ms, then 1 GB/s: 1 MB in 1 ms.
    expect(net.finishOf(b)).toBeCloseTo(5.5e-3, 12);
  });

  it("lifting a cap takes bandwidth back from a flow that was held outside", () => {
    const { hosts: h, clock, net, group } = setup();
    // a capped at 0.1 GB/s and b share the uplink: b has 0.4 GB/s. At 1 ms the cap goes: 0.25 each.
    const a = net.startFlow(h[0], h[2], 1e6, 0, 0, group);
    net.capRate(a, 1e8);
    const b = net.startFlow(h[1], h[3], 1e6, 0, 1, group);
    callAt(clock, 1e-3, () => net.capRate(a, Number.POSITIVE_INFINITY));
    runClock(clock);
    // b: 0.4 MB by 1 ms, 0.6 MB at 0.25 GB/s: 3.4 ms. a: 0.1 MB, then 0.6 MB by 3.4 ms, 0.3 MB at 0.5 GB/s.
    expect(net.finishOf(b)).toBeCloseTo(3.4e-3, 12);
    expect(net.finishOf(a)).toBeCloseTo(4e-3, 12);
  });

  it("a link restored after a failure gives its flows their rates back", () => {
    const { hosts: h, leafUp, clock, net, group } = setup();
    const a = net.startFlow(h[0], h[2], 1e6, 0, 0, group);
    const b = net.startFlow(h[0], h[1], 1e6, 0, 1, group);
    callAt(clock, 1e-3, () => net.setLinkScale(leafUp[0], 0));
    callAt(clock, 2e-3, () => net.setLinkScale(leafUp[0], 1));
    runClock(clock);
    // Host 0's link: a 0.5 (uplink), b 0.5 GB/s. a stalls from 1 to 2 ms (b gets 1 GB/s: done at 1.5 ms),
    // then 0.5 MB at 0.5 GB/s.
    expect(net.finishOf(b)).toBeCloseTo(1.5e-3, 12);
    expect(net.finishOf(a)).toBeCloseTo(3e-3, 12);
  });
});
