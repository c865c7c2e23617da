// Every sweep file in the repository loads, and its points are valid scenarios.
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { preparePoints } from "../../src/sweep/run-sweep.js";
import { loadSweep } from "../../src/sweep/spec.js";
import { REPO_ROOT } from "../helpers/data.js";

const files = ["examples/sweeps", "bench/sweeps"].flatMap((d) =>
  readdirSync(path.join(REPO_ROOT, d))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => `${d}/${f}`),
);

describe("sweep files", () => {
  it("there are some", () => expect(files.length).toBeGreaterThanOrEqual(3));
  for (const f of files) {
    it(`${f} loads and every point is a valid scenario`, () => {
      const spec = loadSweep(path.join(REPO_ROOT, f));
      expect(spec.objectives.length).toBeGreaterThan(0);
      const points = preparePoints(spec);
      expect(points.length).toBeGreaterThan(0);
      const rejected = points.flatMap((p) => (p.status === "ready" ? [] : [`${p.label}: ${p.reason}`]));
      expect(rejected).toEqual([]);
    });
  }
});
