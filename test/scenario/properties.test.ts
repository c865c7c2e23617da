// Invariants of normalization, over random inputs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maxEndpointPorts } from "../../src/scenario/clos-capacity.js";
import { expandSizes } from "../../src/scenario/collective.js";
import { parseScenario } from "../../src/scenario/load.js";

describe("expandSizes", () => {
  it("is increasing, starts at min and stays within [min, max]", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.double({ min: 1.1, max: 16, noNaN: true }),
        (min, extra, f) => {
          const max = min + extra;
          const sizes = expandSizes(min, max, f);
          expect(sizes[0]).toBe(min);
          for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeGreaterThan(sizes[i - 1]);
          expect(sizes[sizes.length - 1]).toBeLessThanOrEqual(max);
        },
      ),
    );
  });

  it("with a whole factor, has one size per multiplication up to max (counted in integers)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 2, max: 16 }),
        (min, extra, f) => {
          const max = min + extra;
          let count = 0;
          for (let s = min; s <= max; s *= f) count++;
          expect(expandSizes(min, max, f)).toHaveLength(count);
        },
      ),
    );
  });
});

describe("tiers: auto", () => {
  it("picks the fewest tiers whose capacity holds every NIC port", () => {
    const switches = [
      ["QM8700", 40],
      ["QM9700", 64],
      ["TH5-128x400G", 128],
    ] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 3000 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(...switches),
        fc.constantFrom(1, 2, 3),
        (nodes, nics, [sw, radix], leaf) => {
          const text = `name: p
cluster:
  groups:
    - { name: h, kind: host, nodes: ${nodes}, nics: { count: ${nics} } }
  scaleOut: { switch: ${sw}, oversubscription: ${leaf} }
workload:
  traffic: { pattern: permutation, size: 1MB }
`;
          const os = { leaf, spine: 1 };
          const ports = nodes * nics;
          if (ports > maxEndpointPorts(radix, 3, os)) {
            expect(() => parseScenario(text)).toThrow(/impossible topology/);
            return;
          }
          const tiers = parseScenario(text).cluster.scaleOut.tiers;
          expect(ports).toBeLessThanOrEqual(maxEndpointPorts(radix, tiers, os));
          if (tiers > 1) expect(ports).toBeGreaterThan(maxEndpointPorts(radix, (tiers - 1) as 1 | 2, os));
        },
      ),
      { numRuns: 60 },
    );
  });
});
