// Estimates before a run: the fabric size they assume matches what gets built, every example fits the
// limits at its own fidelity, and a run over them stops at once with the estimate, unless forced.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { WeftError } from "../../src/errors.js";
import { fabricSize } from "../../src/estimate/size.js";
import { estimateRun, RUN_LIMITS } from "../../src/estimate/work.js";
import { run } from "../../src/run.js";
import { loadScenario, parseScenario } from "../../src/scenario/load.js";
import { buildScenarioFabric } from "../../src/topology/build.js";
import { REPO_ROOT } from "../helpers/data.js";

const EXAMPLES = readdirSync(path.join(REPO_ROOT, "examples"))
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => path.join(REPO_ROOT, "examples", f));

/** One million H100 on a 3-tier fat-tree of radix-256 switches. */
const MILLION = `name: one million accelerators
cluster:
  groups:
    - name: gpu
      nodes: 125000
      accelerator: H100-SXM
      acceleratorsPerNode: 8
      scaleUp: nvlink4
      nics: { count: 8, bandwidth: 400Gbps }
  scaleOut:
    topology: fat-tree
    tiers: 3
    switch: { radix: 256, portBandwidth: 400Gbps, latency: 600ns }
workload:
  collective: { op: all-reduce, sizes: [1MiB, 1GiB], factor: 32 }
simulation: { fidelity: analytical, seed: 1 }
`;

describe("the fabric an estimate assumes", () => {
  it.each([
    "quickstart.yaml",
    "multiplane-3tier-h200.yaml",
    "b200-superpod-rail-optimized.yaml",
    "htsim-default-perm128.yaml",
    "training-llama3-405b-16k-h100.yaml",
  ])("%s: links within 15% of the built fabric's, accelerators exact", (name) => {
    const scenario = loadScenario(path.join(REPO_ROOT, "examples", name));
    const size = fabricSize(scenario);
    const fabric = buildScenarioFabric(scenario);
    expect(size.links / fabric.links.count).toBeGreaterThan(0.85);
    expect(size.links / fabric.links.count).toBeLessThan(1.15);
    expect(size.accelerators).toBe(
      fabric.groups.reduce((s, g) => s + (g.kind === "accelerator" ? g.endpoints.length : 0), 0),
    );
  });
});

describe("limits", () => {
  it("every example fits them at its own fidelity", () => {
    for (const file of EXAMPLES) {
      const e = estimateRun(loadScenario(file));
      expect(e.seconds, file).toBeLessThan(RUN_LIMITS.seconds);
      expect(e.bytes, file).toBeLessThan(RUN_LIMITS.bytes);
    }
  });

  it("1,000,000 accelerators: analytical fits; flow and packet stop at once with the estimate", async () => {
    const scenario = parseScenario(MILLION, "million.yaml");
    expect(estimateRun(scenario).seconds).toBeLessThan(RUN_LIMITS.seconds);
    for (const fidelity of ["flow", "packet"] as const) {
      const started = performance.now();
      const err = await run(scenario, { fidelity }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WeftError);
      expect((err as WeftError).message).toMatch(
        new RegExp(
          `^million\\.yaml:\\d+:\\d+: this run is too large to start at ${fidelity} fidelity: 1,000,000 accelerators, 8,000,000 links, .* over the limits of 5\\.00 min and 3 GiB\\. .*, or add --force to run it anyway$`,
        ),
      );
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it("names the largest group when the fabric drives the estimate, the workload when the work does", async () => {
    const million = parseScenario(MILLION, "million.yaml");
    million.simulation.fidelity = "packet";
    expect(estimateRun(million).driver).toBe("workload.collective.sizes");
    const packetHeavy = readFileSync(path.join(REPO_ROOT, "examples/dgx-h100-allreduce.yaml"), "utf8");
    const e = estimateRun({
      ...parseScenario(packetHeavy, "d.yaml"),
      simulation: { fidelity: "packet", sharing: "max-min", seed: 1, failureDetection: 0 },
    });
    expect(e.driver).toBe("workload.collective.sizes");
    expect(e.packets).toBeGreaterThan(1e7);
  });

  it("a caller may tighten them, and --force lifts them", async () => {
    const scenario = loadScenario(path.join(REPO_ROOT, "examples/quickstart.yaml"));
    await expect(run(scenario, { limits: { seconds: 1e-6 } })).rejects.toThrow(
      /over the limits of 1\.00 us and 3 GiB/,
    );
    await expect(
      run(scenario, { limits: { seconds: 1e-6 }, force: true, fidelity: "analytical" }),
    ).resolves.toMatchObject({
      kind: "collective",
    });
  });
});
