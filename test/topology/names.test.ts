// Port names: unique on every device, stable, and in SONiC's `Ethernet<first lane>` form on scale-out switches.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildFabric } from "../../src/topology/build.js";
import { deviceNames } from "../../src/topology/device-names.js";
import { lanesPerPort, portMap } from "../../src/topology/names.js";
import { b200SuperPod, cluster, endpointGroup, gpuGroup, switchSpec } from "./fixtures.js";

describe("port names", () => {
  it("gives each cabled port of every device one distinct name, for any fat-tree size", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom(8, 16),
        fc.constantFrom("fat-tree", "rail-optimized"),
        (servers, hosts, radix, topology) => {
          const spec = cluster(
            [
              gpuGroup("gpu", servers, 4, { count: 4, gbps: 400 }),
              ...(hosts ? [endpointGroup("mem", "memory", hosts, { count: 2, gbps: 400 })] : []),
            ],
            { topology, switch: switchSpec(radix, 400) },
          );
          const fabric = buildFabric(spec);
          for (const d of deviceNames(fabric, spec.scaleOut.switch)) {
            const ports = d.ports.map((p) => p.port);
            expect(new Set(ports).size).toBe(ports.length);
          }
        },
      ),
      { seed: 1, numRuns: 25 },
    );
  });

  it("numbers scale-out switch ports by their first lane, cabled ports first, up to the radix", () => {
    const cluster = b200SuperPod(2);
    const fabric = buildFabric(cluster);
    const map = portMap(fabric, cluster.scaleOut.switch);
    expect(map.lanes).toBe(4); // 400G ports: 4 lanes of 100G
    const leaf = deviceNames(fabric, cluster.scaleOut.switch).find((d) => d.name === "leaf-0")!;
    expect(leaf.ports[0]).toEqual({ port: "Ethernet0", peer: "gpu-n0-a0", peerPort: "eth0" });
    expect(leaf.ports.at(-1)?.port).toBe("Ethernet252"); // 32 down + 32 up ports of a 64-port leaf
    expect(leaf.ports.at(-1)?.peer).toMatch(/^spine-/);
  });

  it("uses 100G lanes up to 800G and 200G lanes above", () => {
    expect(lanesPerPort(200e9 / 8)).toBe(2);
    expect(lanesPerPort(400e9 / 8)).toBe(4);
    expect(lanesPerPort(800e9 / 8)).toBe(8);
    expect(lanesPerPort(1600e9 / 8)).toBe(8);
  });
});
