// At packet fidelity a serving run's KV transfers are packets through the packet engine (its queues,
// transport and congestion control), not fluid flows: the results count them, and the transfer times
// agree with the fluid ones where nothing congests.
import { describe, expect, it } from "vitest";
import { runInference } from "../../src/workload/inference/run.js";
import { servingScenario } from "./scenarios.js";
import { depsFor, load } from "./setup.js";

describe("KV transfers at packet fidelity", () => {
  const knobs = { model: "llama3-8b", count: 4, rate: "20/s", prompt: 512, output: 8 } as const;
  const at = (fidelity: "flow" | "packet") => {
    const scenario = load(servingScenario({ ...knobs, fidelity }));
    return runInference(scenario, depsFor(scenario));
  };

  it("sends every KV byte as packets and times the transfers as the fluid network does, unloaded", () => {
    const packet = at("packet");
    const flow = at("flow");
    const p = packet.packets;
    expect(p).toBeDefined();
    const kvBytes = packet.kvBytesMoved ?? 0;
    expect(kvBytes).toBeGreaterThan(0);
    // At least one data packet per 4,086 payload bytes (4,150-byte packets less the 64-byte header).
    expect(p?.dataPackets ?? 0).toBeGreaterThanOrEqual(Math.ceil(kvBytes / 4086));
    expect(p?.unfinished).toBe(0);
    // One request at a time on an idle rail: packets add headers, acks and window ramp-up, a few percent.
    const ratio = packet.kvTransferS.p50 / flow.kvTransferS.p50;
    expect(ratio).toBeGreaterThan(0.98);
    expect(ratio).toBeLessThan(1.15);
    expect(packet.completed).toBe(4);
  });

  it("the same seed gives identical results", () => {
    const a = at("packet");
    const b = at("packet");
    expect({ ...a, wallS: 0 }).toEqual({ ...b, wallS: 0 });
  });
});
