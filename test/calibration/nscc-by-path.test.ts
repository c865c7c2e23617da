// Fits sharing by path's two NSCC constants (src/sim/engines/wire.ts) once, in-sample, on incasts of N = 2, 3,
// 4, 8 and 16 senders of 2 MB into host 0 of htsim's k = 8 fat-tree, every sender outside host 0's pod (equal
// round trips, so the round-trip factor is 1). The target is the packet engine's mean flow completion time
// over six seeds (which flows a queue favours changes with the seed); each constant is the least-squares value
// over the five relative errors, by golden-section search:
// - NSCC_DRIFT on the sprayed incasts (spraying spreads every burst, so no flow waits on the way);
// - NSCC_CUT_EXCESS on the ECMP incasts, the drift held at its constant (where the incast's flows meet on
//   their way in, their bursts wait, and NSCC cuts them harder).
// The fits are checked on other matrices (k = 8 and 16 incasts with a sender on the receiver's leaf,
// permutations) in test/packet/flow-vs-packet-matrices.test.ts: that is the validation, this the calibration.
import { describe, expect, it } from "vitest";
import { goldenSection } from "../../src/calibrate/golden-section.js";
import { flowEngine } from "../../src/sim/engines/flow/engine.js";
import { NSCC_CUT_EXCESS, NSCC_DRIFT } from "../../src/sim/engines/sharing.js";
import { type WireModel, wireModelFor } from "../../src/sim/engines/wire.js";
import type { FlowSet } from "../../src/sim/flows.js";
import { flowsOf, htsimNet, type Net, runOn } from "../packet/helpers.js";

const SENDERS = [2, 3, 4, 8, 16];
const SEEDS = [1, 2, 3, 4, 5, 6];

/** N senders spread over the hosts outside host 0's pod (k = 8: a pod is 16 hosts), 2 MB each. */
function incast(n: Net, senders: number): FlowSet {
  const step = Math.floor((n.endpoints.length - 17) / senders);
  return flowsOf(
    n,
    Array.from({ length: senders }, (_, i) => [17 + i * step, 0, 2e6] as [number, number, number]),
  );
}

function meanFct(flows: FlowSet, finish: Float64Array): number {
  let sum = 0;
  for (let f = 0; f < flows.count; f++) sum += finish[f] - flows.start[f];
  return sum / flows.count;
}

type Balance = "ecmp" | "spray";

/** The incasts and the packet engine's mean completion of each, over SEEDS. */
function calibrationSet(lb: Balance) {
  const n = htsimNet(128, lb);
  const cases = SENDERS.map((senders) => {
    const flows = incast(n, senders);
    let packet = 0;
    for (const seed of SEEDS) {
      const p = runOn(n, flows, { loadBalancing: lb, seed });
      expect(p.packets.unfinished).toBe(0);
      packet += meanFct(flows, p.finish) / SEEDS.length;
    }
    return { senders, flows, packet };
  });
  const base = wireModelFor(n.cluster.transport, n.fabric, n.router, true, "by-path");
  const errors = (wire: WireModel) =>
    cases.map((c) => {
      const r = flowEngine(n.fabric, n.router, c.flows, { loadBalancing: lb, seed: 1, wire });
      return meanFct(c.flows, r.finish) / c.packet - 1;
    });
  return { cases, base, errors };
}

const sumOfSquares = (errors: number[]) => errors.reduce((s, e) => s + e * e, 0);

function residualTable(
  cases: { senders: number; packet: number }[],
  columns: Record<string, number[]>,
): Record<string, number>[] {
  return cases.map((c, i) => {
    const row: Record<string, number> = { senders: c.senders, packetMeanUs: +(c.packet * 1e6).toFixed(1) };
    for (const [name, errs] of Object.entries(columns)) row[name] = +(errs[i] * 100).toFixed(1);
    return row;
  });
}

describe("NSCC sharing by path (calibration: k = 8 incasts, senders outside the receiver's pod)", () => {
  it("drift: the least-squares value over the sprayed incasts is NSCC_DRIFT; residuals printed", () => {
    const { cases, base, errors } = calibrationSet("spray");
    const at = (drift: number) => errors({ ...base, drift });
    const fit = goldenSection((d) => sumOfSquares(at(d)), 0, 2);
    const inUse = at(NSCC_DRIFT);
    const without = at(0);
    console.log(
      `NSCC drift: least squares ${fit.toFixed(3)} (relative share deviation × √window), in use ${NSCC_DRIFT}`,
    );
    console.table(residualTable(cases, { errNoDriftPct: without, errFitPct: at(fit), errInUsePct: inUse }));
    expect(Math.abs(fit / NSCC_DRIFT - 1)).toBeLessThan(0.05);
    for (const e of inUse) expect(Math.abs(e)).toBeLessThan(0.04);
    // The drift is what closes the gap: without it the large incasts are off by far more.
    expect(Math.max(...without.map(Math.abs))).toBeGreaterThan(2 * Math.max(...inUse.map(Math.abs)));
  });

  it("cut excess: the least-squares value over the ECMP incasts is NSCC_CUT_EXCESS; residuals printed", () => {
    const { cases, base, errors } = calibrationSet("ecmp");
    const at = (cutExcess: number) => errors({ ...base, cutExcess });
    const fit = goldenSection((x) => sumOfSquares(at(x)), 0.01, 0.5);
    const inUse = at(NSCC_CUT_EXCESS);
    const without = at(0);
    console.log(
      `NSCC cut excess: least squares ${fit.toFixed(3)} of the target delay, in use ${NSCC_CUT_EXCESS}`,
    );
    console.table(residualTable(cases, { errNoDelayPct: without, errFitPct: at(fit), errInUsePct: inUse }));
    expect(Math.abs(fit / NSCC_CUT_EXCESS - 1)).toBeLessThan(0.1);
    for (const e of inUse) expect(Math.abs(e)).toBeLessThan(0.04);
    expect(Math.max(...without.map(Math.abs))).toBeGreaterThan(2 * Math.max(...inUse.map(Math.abs)));
  });
});
