import { describe, expect, it } from "vitest";
import { WeftError } from "../../src/errors.js";
import { parseConnectionMatrix, readConnectionMatrix } from "../../src/workload/traffic/connection-matrix.js";
import { dataPath } from "../helpers/data.js";

describe("htsim connection matrices", () => {
  it("reads the shared matrices", () => {
    const one = readConnectionMatrix(dataPath("htsim/one.cm"));
    expect(one.nodes).toBe(16);
    expect(one.connections).toEqual([{ src: 0, dst: 13, id: 1, startS: 0, bytes: 2_000_000, line: 3 }]);
    const incast = readConnectionMatrix(dataPath("htsim/incast.cm"));
    expect(incast.connections).toHaveLength(15);
    expect(new Set(incast.connections.map((c) => c.dst))).toEqual(new Set([15]));
    const perm = readConnectionMatrix(dataPath("htsim/perm_128n_128c_2MB.cm"));
    expect(perm.nodes).toBe(128);
    expect(perm.connections[0]).toMatchObject({ src: 103, dst: 32, id: 1, bytes: 2_000_000 });
    // A permutation: every node sends once and receives once.
    expect(new Set(perm.connections.map((c) => c.src)).size).toBe(128);
    expect(new Set(perm.connections.map((c) => c.dst)).size).toBe(128);
  });

  it("takes ids, fractional start times in microseconds, comments and blank lines", () => {
    const m = parseConnectionMatrix(
      "# test\nNodes 4\n\nConnections 2\n0->1 id 7 start 2.5 size 100\n3->2 size 5\n",
    );
    expect(m.connections).toEqual([
      { src: 0, dst: 1, id: 7, startS: 2.5e-6, bytes: 100, line: 5 },
      { src: 3, dst: 2, id: 2, startS: 0, bytes: 5, line: 6 },
    ]);
  });

  const bad: [string, string, number][] = [
    ["Nodes 4\nConnections 1\n0->1 start 0 size 10 trigger 3\n", 'unsupported connection field "trigger"', 3],
    ["Nodes 4\nTriggers 1\n", 'unsupported line "Triggers 1"', 2],
    ["Nodes 4\nConnections 1\ntrigger id 1 oneshot\n", "unsupported line", 3],
    ["Nodes 4\nConnections 1\n0->9 size 10\n", "node 9 is out of range", 3],
    ["Nodes 4\nConnections 1\n0->1 start 0\n", 'has no "size"', 3],
    ["Nodes 4\nConnections 1\n0->1 size 10 prio 3\n", 'unsupported connection field "prio"', 3],
    ["Nodes 4\nConnections 1\n1->1 size 10\n", "from a node to itself", 3],
    ["Nodes x\n", "Nodes needs one whole number", 1],
  ];
  for (const [text, message, line] of bad) {
    it(`rejects with file:line and what is supported: ${message}`, () => {
      let err: unknown;
      try {
        parseConnectionMatrix(text, "m.cm");
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(WeftError);
      const w = err as WeftError;
      expect(w.message).toContain(message);
      expect(w.position).toMatchObject({ file: "m.cm", line });
      expect(w.toString()).toMatch(new RegExp(`^m\\.cm:${line}:1: `));
      expect(w.message).toContain("supported lines");
    });
  }

  it("checks the declared connection count and the Nodes header", () => {
    expect(() => parseConnectionMatrix("Nodes 4\nConnections 2\n0->1 size 1\n")).toThrow(
      /Connections 2 but the file lists 1/,
    );
    expect(() => parseConnectionMatrix("Connections 0\n")).toThrow(/missing "Nodes N"/);
  });
});
