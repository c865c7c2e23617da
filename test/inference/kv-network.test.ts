// The shared network as the serving simulation uses it for KV transfers: a layer-wise stream's rate cap
// (set at the start, lifted when prefill ends), analytical fidelity, and the bytes × links per tier each
// owner's flows were routed over. (That the network's finishes agree with the batch engines on random flow
// sets is test/sim/core/network.property.test.ts.)
import { describe, expect, it } from "vitest";
import { ecmpIndex } from "../../src/routing/ecmp.js";
import { callAt, makeClock, runClock } from "../../src/sim/clock.js";
import { makeFluidNetwork } from "../../src/sim/network/fluid.js";
import { makeFlowGroup } from "../../src/sim/network/types.js";
import { LINK_TIER_NAMES } from "../../src/topology/fabric.js";
import { servingScenario } from "./scenarios.js";
import { depsFor, load } from "./setup.js";

describe("KV transfers on the shared network", () => {
  const scenario = load(servingScenario({ nodes: 4, nic: "200Gbps" }));
  const { fabric, router } = depsFor(scenario);
  const accs = fabric.accelerators;
  const network = (fidelity: "flow" | "analytical", tags = 1) => {
    const clock = makeClock();
    return makeFluidNetwork(clock, fabric, router, { fidelity, loadBalancing: "ecmp", seed: 3, tags });
  };
  /** When the flow's last byte left: its delivery less its route latency. */
  const sent = (net: ReturnType<typeof network>, f: number, group: ReturnType<typeof makeFlowGroup>) =>
    net.finishOf(f) - group.lastLatency;

  it("holds a capped flow to its cap and lets others take the rest of the link", () => {
    const net = network("flow");
    // two flows out of the same accelerator's NIC (200 Gb/s = 25 GB/s), one capped at 5 GB/s
    const g0 = makeFlowGroup();
    const g1 = makeFlowGroup();
    const capped = net.startFlow(accs.node[0], accs.node[16], 1e9, 0, 0, g0);
    net.capRate(capped, 5e9);
    const free = net.startFlow(accs.node[0], accs.node[24], 1e9, 0, 1, g1);
    runClock(net.clock);
    expect(sent(net, capped, g0)).toBeCloseTo(0.2, 9);
    expect(sent(net, free, g1)).toBeCloseTo(1e9 / 20e9, 9);
  });

  it("a cap lifted mid-flight (prefill ended) lets the stream finish at the link's rate", () => {
    const net = network("flow");
    const g = makeFlowGroup();
    const f = net.startFlow(accs.node[0], accs.node[16], 1e9, 0, 0, g);
    net.capRate(f, 5e9);
    callAt(net.clock, 0.1, () => net.capRate(f, Number.POSITIVE_INFINITY));
    runClock(net.clock);
    // 0.5 GB in the first 0.1 s, the other 0.5 GB at 25 GB/s
    expect(sent(net, f, g)).toBeCloseTo(0.1 + 0.5e9 / 25e9, 9);
  });

  it("analytical fidelity: every flow runs alone at its own bottleneck", () => {
    const finish = (fidelity: "flow" | "analytical") => {
      const net = network(fidelity);
      const g = makeFlowGroup();
      // three flows out of accelerator 0's NIC to accelerators on its rail in three other nodes
      const ids = [1, 2, 3].map((k) => net.startFlow(accs.node[0], accs.node[8 * k], 1e9, 0, k, g));
      runClock(net.clock);
      return ids.map((f) => sent(net, f, g));
    };
    for (const t of finish("analytical")) expect(t).toBeCloseTo(0.04, 9);
    expect(Math.max(...finish("flow"))).toBeGreaterThan(2.9 * 0.04);
  });

  it("counts each owner's bytes × links by tier on the routes its flows start on", () => {
    const net = network("flow", 2);
    const g = makeFlowGroup();
    const tier = fabric.links.tier;
    const links = new Int32Array(Math.max(1, router.maxHops));
    const want = [new Float64Array(LINK_TIER_NAMES.length), new Float64Array(LINK_TIER_NAMES.length)];
    for (let k = 0; k < 12; k++) {
      // accelerators of node 0 to nodes 2 and 3 (across the fat-tree), tags alternating
      const src = accs.node[k % 8];
      const dst = accs.node[16 + ((k * 5) % 16)];
      const bytes = 1e6 * (k + 1);
      net.startFlow(src, dst, bytes, k % 2, k, g);
      // the ECMP path the network takes for key k
      const n = router.path(src, dst, ecmpIndex(src, dst, k, 3, router.pathCount(src, dst)), links);
      for (let i = 0; i < n; i++) want[k % 2][tier[links[i]]] += bytes;
    }
    runClock(net.clock);
    for (let t = 0; t < 2; t++) {
      for (let i = 0; i < LINK_TIER_NAMES.length; i++) expect(net.tierBytes(t, i)).toBe(want[t][i]);
    }
    expect(want[0].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
