// Validation on traffic the matrices lack: flows of mixed sizes (10 kB – 2 MB) arriving at random over the
// first 200 us between random hosts of htsim's k = 8 fat-tree (the workload of bench/cases/
// flow-spray-random-2000.bench.ts, 300 flows), the flow engine with both sharings against the packet engine.
// Sprayed, the packet engine's figures are averaged over three seeds; with ECMP only seed 1 is compared,
// since the packet engine's seed also draws each flow's ECMP path, and another seed collides other flows.
import { describe, expect, it } from "vitest";
import { randomFlows } from "../../bench/cases/flow-spray-random-2000.bench.js";
import { flowEngine } from "../../src/sim/engines/flow/engine.js";
import { wireModelFor } from "../../src/sim/engines/wire.js";
import type { FlowSet } from "../../src/sim/flows.js";
import { htsimNet, runOn } from "./helpers.js";

type Stats = { mean: number; p99: number; max: number };

function fctStats(flows: FlowSet, finish: Float64Array): Stats {
  const fct = Array.from(finish, (x, f) => x - flows.start[f]).sort((a, b) => a - b);
  return {
    mean: fct.reduce((a, b) => a + b, 0) / fct.length,
    p99: fct[Math.floor(0.99 * (fct.length - 1))],
    max: fct[fct.length - 1],
  };
}

const KEYS = ["mean", "p99", "max"] as const;

describe("flow engine vs packet engine on staggered random traffic (validation)", () => {
  for (const lb of ["spray", "ecmp"] as const) {
    it(`${lb}: mean and p99 within 5%, the largest within 7%, either sharing`, () => {
      const n = htsimNet(128, lb);
      const flows = randomFlows(n.endpoints, 300);
      const seeds = lb === "ecmp" ? [1] : [1, 2, 3];
      const packet: Stats = { mean: 0, p99: 0, max: 0 };
      for (const seed of seeds) {
        const p = runOn(n, flows, { loadBalancing: lb, seed });
        expect(p.packets.unfinished).toBe(0);
        const s = fctStats(flows, p.finish);
        for (const k of KEYS) packet[k] += s[k] / seeds.length;
      }
      const rows = (["max-min", "by-path"] as const).map((sharing) => {
        const wire = wireModelFor(n.cluster.transport, n.fabric, n.router, true, sharing);
        const s = fctStats(
          flows,
          flowEngine(n.fabric, n.router, flows, { loadBalancing: lb, seed: 1, wire }).finish,
        );
        const err = Object.fromEntries(KEYS.map((k) => [k, s[k] / packet[k] - 1])) as Stats;
        return { sharing, err };
      });
      console.table(
        rows.map((r) => ({
          lb,
          sharing: r.sharing,
          packetMeanUs: +(packet.mean * 1e6).toFixed(1),
          ...Object.fromEntries(KEYS.map((k) => [`${k}ErrPct`, +(r.err[k] * 100).toFixed(1)])),
        })),
      );
      for (const { sharing, err } of rows) {
        expect(Math.abs(err.mean), `${sharing} mean`).toBeLessThan(0.05);
        expect(Math.abs(err.p99), `${sharing} p99`).toBeLessThan(0.05);
        expect(Math.abs(err.max), `${sharing} max`).toBeLessThan(0.07);
      }
    });
  }
});
