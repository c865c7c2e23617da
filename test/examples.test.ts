// Every scenario users start from runs, end to end, through the library API, and gives sane numbers.
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario, run } from "../src/index.js";
import { REPO_ROOT } from "./helpers/data.js";

const dir = path.join(REPO_ROOT, "examples");
const files = [
  ...readdirSync(dir).filter((f) => f.endsWith(".yaml")),
  ...readdirSync(path.join(dir, "validation")).map((f) => `validation/${f}`),
].sort();

/** Every number in the results is finite: no NaN or Infinity leaks into a report. */
function finiteNumbers(value: unknown, where = "results"): string[] {
  if (typeof value === "number") return Number.isFinite(value) ? [] : [where];
  if (Array.isArray(value)) return value.flatMap((v, i) => finiteNumbers(v, `${where}[${i}]`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => finiteNumbers(v, `${where}.${k}`));
  }
  return [];
}

describe("examples", () => {
  it("there is a quickstart and at least five more", () => {
    expect(files).toContain("quickstart.yaml");
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  for (const file of files) {
    it(`${file} runs`, async () => {
      const scenario = loadScenario(path.join(dir, file));
      const results = await run(scenario);
      expect(results.scenario).toBe(scenario.name);
      expect(finiteNumbers(results)).toEqual([]);
      switch (results.kind) {
        case "collective":
          expect(results.rows.length).toBe(
            scenario.workload.kind === "collective" ? scenario.workload.sizes.length : -1,
          );
          for (const r of results.rows) expect(r.timeUs).toBeGreaterThan(0);
          break;
        case "training":
          expect(results.stepTimeS).toBeGreaterThan(0);
          expect(results.mfu).toBeGreaterThan(0);
          expect(results.mfu).toBeLessThan(1);
          break;
        case "inference":
          expect(results.throughputTokensPerS).toBeGreaterThan(0);
          break;
        case "traffic":
          expect(results.flows.length).toBeGreaterThan(0);
          break;
        case "jobs":
          expect(results.jobs.length).toBe(scenario.jobs?.length);
          for (const j of results.jobs) {
            expect(j.stepTimeS).toBeGreaterThan(0);
            expect(j.slowdown).toBeGreaterThanOrEqual(1 - 1e-9);
          }
          break;
      }
    });
  }
});
