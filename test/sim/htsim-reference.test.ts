/**
 * The flow engine against htsim's published baselines (data/htsim/README table in data/README.md:
 * `htsim_uec -tm FILE -sender_cc_only`, NSCC, trimming, 3-tier fat-tree, 100 Gb/s links, 1 us per link,
 * 0 switch latency). htsim sprays packets, so the fluid model runs with spraying on the same k-ary
 * fat-tree (k = 4 for 16 hosts: 8 ToR, 8 agg, 4 core; k = 8 for 128: 32, 32, 16), built by buildFabric.
 * The ideal fluid model has no headers, queueing or ack, so it must come out *below* htsim's tail, within
 * 20%; with htsim's transport as the wire model (4,150-byte packets with 64-byte headers, NSCC's window and
 * target delay, the last ack; src/sim/engines/wire.ts) it must be within 5% either way.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { makeRouter } from "../../src/routing/index.js";
import { runFlowEngine } from "../../src/sim/engines/flow/engine.js";
import { wireModelFor } from "../../src/sim/engines/wire.js";
import { buildFabric } from "../../src/topology/build.js";
import { dataPath } from "../helpers/data.js";
import { hostFatTree } from "./helpers/clusters.js";
import { flowSetOf } from "./helpers/flows.js";

const TOLERANCE = 0.2;
const WIRE_TOLERANCE = 0.05;
const HTSIM_TRANSPORT = { mtu: 4150, congestionControl: "nscc" as const, trimming: true };

/** htsim connection matrix: "a->b [id k] start t size s" lines after the Nodes / Connections header. */
function readConnectionMatrix(file: string) {
  const lines = readFileSync(dataPath(`htsim/${file}`), "utf8").split(/\r?\n/);
  const nodes = Number(/^Nodes (\d+)/.exec(lines[0])?.[1]);
  const flows = lines
    .map((l) => /^(\d+)->(\d+)(?: id \d+)? start (\S+) size (\d+)/.exec(l))
    .filter((m) => m !== null)
    .map((m) => ({ src: Number(m[1]), dst: Number(m[2]), start: Number(m[3]), bytes: Number(m[4]) }));
  return { nodes, flows };
}

const cases = [
  { file: "one.cm", htsimTailUs: 176.2 },
  { file: "incast.cm", htsimTailUs: 2478.5 },
  { file: "perm_128n_128c_2MB.cm", htsimTailUs: 202.0 },
];

describe("flow engine vs htsim baselines (spraying, 3-tier fat-tree, 100 Gb/s, 1 us links)", () => {
  it(`tail completion within ${TOLERANCE * 100}% below htsim; with htsim's transport, within ${WIRE_TOLERANCE * 100}%`, () => {
    const rows = cases.map(({ file, htsimTailUs }) => {
      const cm = readConnectionMatrix(file);
      // Every baseline starts all flows together, so htsim's start-time unit does not enter.
      expect(cm.flows.every((f) => f.start === 0)).toBe(true);
      const k = cm.nodes === 16 ? 4 : 8;
      const fabric = buildFabric(
        hostFatTree(cm.nodes, k, 3, { bandwidth: 100e9 / 8, linkLatency: 1e-6, switchLatency: 0 }),
      );
      expect(fabric.bom.switches).toMatchObject({
        leaf: k * (k / 2),
        spine: k * (k / 2),
        core: (k / 2) ** 2,
      });
      const hosts = fabric.groups[0].endpoints;
      const flows = flowSetOf(cm.flows.map((f) => ({ ...f, src: hosts[f.src], dst: hosts[f.dst] })));
      const router = makeRouter(fabric, { loadBalancing: "spray", railAware: false, seed: 1 });
      const r = runFlowEngine(fabric, router, flows, { loadBalancing: "spray", seed: 1 });
      const wire = wireModelFor(HTSIM_TRANSPORT, fabric, router, true);
      const w = runFlowEngine(fabric, router, flows, { loadBalancing: "spray", seed: 1, wire });
      const modelUs = r.makespan * 1e6;
      const wireUs = w.makespan * 1e6;
      return {
        file,
        htsimTailUs,
        modelUs: Number(modelUs.toFixed(1)),
        error: (modelUs - htsimTailUs) / htsimTailUs,
        wireUs: Number(wireUs.toFixed(1)),
        wireError: (wireUs - htsimTailUs) / htsimTailUs,
      };
    });
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    console.table(rows.map((r) => ({ ...r, error: pct(r.error), wireError: pct(r.wireError) })));
    for (const r of rows) {
      expect(r.error).toBeLessThanOrEqual(0);
      expect(-r.error).toBeLessThanOrEqual(TOLERANCE);
      expect(Math.abs(r.wireError), r.file).toBeLessThanOrEqual(WIRE_TOLERANCE);
    }
  });
});
