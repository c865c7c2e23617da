// Results are checked on the way out, and the packet engine's tick reports progress and can stop a run.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { statusLine } from "../../src/cli/packet-progress.js";
import { checkResults, ResultCheckError } from "../../src/report/check-results.js";
import type { Results, TrafficResults } from "../../src/results/types.js";
import { run } from "../../src/run.js";
import { loadScenario } from "../../src/scenario/load.js";
import { REPO_ROOT } from "../helpers/data.js";

const quick = () => loadScenario(path.join(REPO_ROOT, "examples/quickstart.yaml"));

describe("results checked on the way out", () => {
  it("a real result passes; NaN, a negative, a fraction over 1, a zero time or an impossible bandwidth is a bug report", async () => {
    const scenario = quick();
    const good = await run(scenario, { fidelity: "analytical" });
    expect(() => checkResults(good, scenario)).not.toThrow();
    const spoilt = (edit: (r: Record<string, unknown> & { rows: Record<string, number>[] }) => void) => {
      const r = structuredClone(good) as unknown as Record<string, unknown> & {
        rows: Record<string, number>[];
      };
      edit(r);
      return () => checkResults(r as unknown as Results, scenario);
    };
    expect(spoilt((r) => (r.rows[0].timeUs = Number.NaN))).toThrow(ResultCheckError);
    expect(spoilt((r) => (r.rows[0].timeUs = 0))).toThrow(
      /rows\[0\]\.timeUs = 0, expected a time greater than zero/,
    );
    expect(spoilt((r) => (r.rows[1].sizeBytes = -1))).toThrow(/rows\[1\]\.sizeBytes = -1, below zero/);
    expect(spoilt((r) => (r.rows[2].busbwGBps = 1e6))).toThrow(/busbwGBps = 1000000, more than twice the/);
    expect(spoilt((r) => (r.networkIdleFraction = 1.5))).toThrow(/expected a fraction between 0 and 1/);
    expect(spoilt((r) => (r.rows[0].timeUs = Number.POSITIVE_INFINITY))).toThrow(
      /^bug: the results of scenario "Quickstart - all-reduce on 256 H100, 2-tier fat-tree" \(.*quickstart\.yaml\) have rows\[0\]\.timeUs = Infinity, not a finite number\. This is a defect/,
    );
  });
});

describe("packet progress", () => {
  it("a traffic run stopped by its tick keeps what finished, marked partial", async () => {
    const scenario = loadScenario(path.join(REPO_ROOT, "examples/htsim-default-perm128.yaml"));
    const ticks: number[] = [];
    const results = (await run(scenario, {
      onPacketTick: (t) => {
        ticks.push(t.events);
        return ticks.length >= 2;
      },
    })) as TrafficResults;
    expect(ticks).toEqual([65_536, 131_072]);
    expect(results.partial).toBe(true);
    expect(results.warnings.some((w) => w.startsWith("partial: the run was stopped at"))).toBe(true);
    expect((results.unfinishedFlows as unknown[]).length + (results.flows as unknown[]).length).toBe(128);
  });

  it("says events/s, simulated time, flows done and the ETA", () => {
    expect(
      statusLine({ events: 2_000_000, simulatedS: 1.5e-3, doneFlows: 3, flows: 16 }, 2, 10_000_000),
    ).toBe("packet: 2,000,000 events (1,000 k/s), 1.50 ms simulated, 3/16 flows done, ETA ~8.00 s");
  });
});
