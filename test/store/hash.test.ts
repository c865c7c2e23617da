import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/index.js";
import { canonicalJson, fabricHash, scenarioHash } from "../../src/store/index.js";

const base = (nic: string, name = "a", extra = "") => `
name: ${name}
cluster:
  groups:
    - { name: gpu, nodes: 4, accelerator: H100-SXM, nics: { count: 8, bandwidth: ${nic} } }
  scaleOut: { topology: fat-tree, switch: QM9700 }
workload:
  collective: { op: all-reduce, sizes: [1MiB] }
${extra}`;

describe("canonicalJson", () => {
  it("does not depend on key order, and round-trips through JSON.parse", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.boolean())), (o) => {
        const reversed = Object.fromEntries(Object.entries(o).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(o));
        expect(JSON.parse(canonicalJson(o))).toEqual(o);
      }),
    );
  });

  it("drops undefined members and writes non-finite numbers as null", () => {
    expect(canonicalJson({ b: 1, a: undefined, c: [Number.NaN, 2] })).toBe('{"b":1,"c":[null,2]}');
  });
});

describe("scenarioHash", () => {
  it("is the same for the same design written differently (units, defaults, name)", () => {
    const a = parseScenario(base("400Gbps", "first"));
    const b = parseScenario(base("50GB/s", "second", "simulation: { fidelity: flow }"));
    expect(scenarioHash(a)).toBe(scenarioHash(b));
    expect(scenarioHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("differs when a value of the design changes, and the fabric hash ignores the workload", () => {
    const a = parseScenario(base("400Gbps"));
    const b = parseScenario(base("200Gbps"));
    const c = parseScenario(base("400Gbps", "a", "simulation: { fidelity: analytical }"));
    expect(scenarioHash(a)).not.toBe(scenarioHash(b));
    expect(scenarioHash(a)).not.toBe(scenarioHash(c));
    expect(fabricHash(a)).not.toBe(fabricHash(b));
    expect(fabricHash(a)).toBe(fabricHash(c));
  });
});
