// Validation of sharing by path's drift and delay on the way (src/sim/engines/sharing.ts) on incasts they
// were not fitted on (test/calibration/nscc-by-path.test.ts fits them on 2 MB flows at k = 8): incasts of 4,
// 8 and 16 senders outside the receiver's pod on htsim's k = 8 fat-tree with 0.5, 1, 4 and 8 MB each, and
// of 4, 8 and 32 senders of 2 MB on the k = 16 one, sprayed and ECMP, against the packet engine's mean
// completion over six seeds. The spread between the flows of an incast does not shrink with their length
// (max-min's error stays 3–17% from 0.5 to 8 MB), which is why the drift is a share held for a flow's life,
// not a walk that averages out.
import { describe, expect, it } from "vitest";
import { flowEngine } from "../../src/sim/engines/flow/engine.js";
import { wireModelFor } from "../../src/sim/engines/wire.js";
import { flowsOf, htsimNet, runOn } from "./helpers.js";

const SEEDS = [1, 2, 3, 4, 5, 6];
const pct = (x: number) => +(x * 100).toFixed(1);
const mean = (finish: Float64Array) => finish.reduce((a, b) => a + b, 0) / finish.length;

describe("sharing by path on incasts of other flow lengths (validation)", () => {
  for (const lb of ["spray", "ecmp"] as const) {
    it(`${lb}: mean completion within 5% of the packet engine's for 0.5–8 MB flows`, () => {
      const n = htsimNet(128, lb);
      const rows = [];
      for (const senders of [4, 8, 16]) {
        for (const bytes of [0.5e6, 1e6, 4e6, 8e6]) {
          const step = Math.floor((n.endpoints.length - 17) / senders);
          const flows = flowsOf(
            n,
            Array.from({ length: senders }, (_, i) => [17 + i * step, 0, bytes] as [number, number, number]),
          );
          let packet = 0;
          for (const seed of SEEDS)
            packet += mean(runOn(n, flows, { loadBalancing: lb, seed }).finish) / SEEDS.length;
          const fluid = (sharing: "max-min" | "by-path") =>
            mean(
              flowEngine(n.fabric, n.router, flows, {
                loadBalancing: lb,
                seed: 1,
                wire: wireModelFor(n.cluster.transport, n.fabric, n.router, true, sharing),
              }).finish,
            ) /
              packet -
            1;
          rows.push({
            senders,
            mb: bytes / 1e6,
            packetMeanUs: +(packet * 1e6).toFixed(1),
            maxMinErrPct: pct(fluid("max-min")),
            byPathErrPct: pct(fluid("by-path")),
          });
        }
      }
      console.table(rows);
      for (const r of rows) expect(Math.abs(r.byPathErrPct), `${r.senders} x ${r.mb} MB`).toBeLessThan(5);
      const rms = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length);
      expect(rms(rows.map((r) => r.byPathErrPct))).toBeLessThan(rms(rows.map((r) => r.maxMinErrPct)) / 2);
    });
  }

  for (const lb of ["spray", "ecmp"] as const) {
    it(`k = 16, ${lb}: 4, 8 and 32 senders of 2 MB outside the receiver's pod, mean within 5%`, () => {
      // Another fabric than the fit's (1,024 hosts, 64 per pod). At 64 senders the fair window is ~1.2
      // packets, under the two sharing by path needs, so it keeps max-min there (docs/flow-model.md).
      const n = htsimNet(1024, lb);
      const rows = [];
      for (const senders of [4, 8, 32]) {
        const step = Math.floor((n.endpoints.length - 65) / senders);
        const flows = flowsOf(
          n,
          Array.from({ length: senders }, (_, i) => [65 + i * step, 0, 2e6] as [number, number, number]),
        );
        let packet = 0;
        for (const seed of SEEDS)
          packet += mean(runOn(n, flows, { loadBalancing: lb, seed }).finish) / SEEDS.length;
        const wire = wireModelFor(n.cluster.transport, n.fabric, n.router, true, "by-path");
        const byPath = mean(
          flowEngine(n.fabric, n.router, flows, { loadBalancing: lb, seed: 1, wire }).finish,
        );
        rows.push({
          senders,
          packetMeanUs: +(packet * 1e6).toFixed(1),
          byPathErrPct: pct(byPath / packet - 1),
        });
      }
      console.table(rows);
      for (const r of rows) expect(Math.abs(r.byPathErrPct), `${r.senders} senders`).toBeLessThan(5);
    });
  }
});
