// The scenario's `manager:` section: a trace file (relative to the scenario) or inline jobs, tenant and
// placement policies, checked by the scenario loader with file:line:col, and printed so it loads back.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { manage } from "../../src/control/placement/simulate.js";
import { scenarioDocument } from "../../src/scenario/document.js";
import { loadScenario, parseScenario } from "../../src/scenario/load.js";
import { describeScenario } from "../../src/scenario/print.js";
import type { Scenario } from "../../src/scenario/types.js";
import { buildScenarioFabric } from "../../src/topology/build.js";
import { REPO_ROOT } from "../helpers/data.js";

const CLUSTER = `name: managed
cluster:
  groups:
    - { name: gpu, nodes: 8, accelerator: H100-SXM, acceleratorsPerNode: 8, scaleUp: nvlink4, nics: { count: 8, bandwidth: 400Gbps } }
  scaleOut: { topology: fat-tree, tiers: 2, switch: QM9700 }
workload: { collective: { op: all-reduce, sizes: [1GiB] } }
`;

const INLINE = `${CLUSTER}manager:
  jobs:
    - { id: a, arrival: 0s, tenant: blue, gpus: 16, training: { model: llama3-8b, tp: 8, steps: 10 } }
    - { id: b, arrival: 1min, gpus: 8, priority: 2, inference: { model: llama3-8b, tp: 8, duration: 5min, rate: 3/s } }
  tenants: { blue: { isolate: leaf } }
  policies: [first-fit, topology]
`;

function errorOf(text: string, file = "cluster.yaml"): string {
  try {
    parseScenario(text, file);
  } catch (e) {
    return (e as Error).message;
  }
  return "(no error)";
}

/** The scenario without where it was read from. */
/** A scenario without where it was read from: file, source map, warnings, and each job's position. */
function content(s: Scenario): Partial<Scenario> {
  const { file: _file, sourceMap: _sourceMap, warnings: _warnings, ...rest } = s;
  if (!rest.manager) return rest;
  const jobs = rest.manager.trace.jobs.map(({ at: _at, ...job }) => job);
  return { ...rest, manager: { ...rest.manager, trace: { ...rest.manager.trace, jobs } } };
}

describe("manager section", () => {
  it("inline jobs, tenants and policies", () => {
    const m = parseScenario(INLINE, "cluster.yaml").manager;
    expect(m?.traceFile).toBeUndefined();
    expect(m?.policies).toEqual(["first-fit", "topology"]);
    expect(m?.trace.tenants).toEqual({ blue: { isolate: "leaf" } });
    expect(m?.trace.jobs.map((j) => [j.id, j.arrival, j.tenant, j.priority])).toEqual([
      ["a", 0, "blue", 0],
      ["b", 60, "default", 2],
    ]);
    expect(m?.trace.jobs[1].work).toEqual({
      kind: "inference",
      model: "llama3-8b",
      tp: 8,
      duration: 300,
      rate: 3,
    });
    expect(describeScenario(parseScenario(INLINE, "cluster.yaml")).manager).toEqual({
      jobs: "2 arriving over 1.00 min",
      tenants: { blue: "isolate leaf" },
      policies: ["first-fit", "topology"],
    });
  });

  it("is absent unless given; the policies default to all of them", () => {
    expect(parseScenario(CLUSTER, "c.yaml").manager).toBeUndefined();
    const m = parseScenario(INLINE.replace("  policies: [first-fit, topology]\n", ""), "c.yaml").manager;
    expect(m?.policies).toEqual(["topology", "first-fit", "random"]);
  });

  it("errors inside the inline list name the scenario's line and column", () => {
    expect(errorOf(INLINE.replace("gpus: 16", "gpus: 12"))).toBe(
      "cluster.yaml:9:49: 12 GPUs do not split into tp 8 × pp 1; expected a multiple of 8",
    );
    expect(errorOf(INLINE.replace("steps: 10", "step: 10"))).toMatch(
      /^cluster\.yaml:9:63: missing required key "steps" in manager\.jobs\[0\]\.training; expected a number\ncluster\.yaml:9:90: unknown key "step" in manager\.jobs\[0\]\.training; did you mean "steps"\?/,
    );
    expect(errorOf(INLINE.replace("[first-fit, topology]", "[first-fit, topolgy]"))).toBe(
      'cluster.yaml:12:25: manager.policies[1]: string "topolgy" is not allowed; did you mean "topology"? expected one of: topology, first-fit, random',
    );
    expect(errorOf(INLINE.replace("[first-fit, topology]", "[random, random]"))).toBe(
      "cluster.yaml:12:22: policy random is listed twice; expected each policy once",
    );
    expect(errorOf(INLINE.replace("isolate: leaf", "isolate: rack"))).toMatch(
      /^cluster\.yaml:11:31: manager\.tenants\.blue\.isolate: string "rack" is not allowed; .*expected one of: none, leaf$/,
    );
    expect(errorOf(`${CLUSTER}manager: { jobs: 3 }\n`)).toBe(
      "cluster.yaml:7:18: manager.jobs: expected a job trace file (such as jobs/trace.yaml) or a list of jobs, got number 3",
    );
  });

  it("runs under its policies, and a job larger than the cluster says what it expected", () => {
    const scenario = parseScenario(INLINE, "cluster.yaml");
    const fabric = buildScenarioFabric(scenario);
    const m = scenario.manager!;
    const results = m.policies.map((policy) => manage({ scenario, fabric, trace: m.trace, policy }));
    expect(results.map((r) => [r.policy, r.jobs.length])).toEqual([
      ["first-fit", 2],
      ["topology", 2],
    ]);
    const big = parseScenario(INLINE.replace("gpus: 16", "gpus: 128"), "cluster.yaml").manager!;
    expect(() => manage({ scenario, fabric, trace: big.trace, policy: "topology" })).toThrow(
      "job a: 128 GPUs asked, the cluster has 64; expected at most 64",
    );
  });

  it("a trace file: relative to the scenario, its own positions in errors, its tenants under the section's", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "weft-manager-"));
    writeFileSync(
      path.join(dir, "trace.yaml"),
      "tenants: { blue: { isolate: leaf }, red: { isolate: leaf } }\njobs:\n  - { id: x, arrival: 0s, gpus: 8, training: { model: llama3-8b, tp: 8, steps: 5 } }\n",
    );
    const file = path.join(dir, "cluster.yaml");
    writeFileSync(file, `${CLUSTER}manager:\n  jobs: trace.yaml\n  tenants: { red: { isolate: none } }\n`);
    const m = loadScenario(file).manager;
    expect(m?.traceFile).toBe(path.join(dir, "trace.yaml"));
    expect(m?.trace.tenants).toEqual({ blue: { isolate: "leaf" }, red: { isolate: "none" } });
    expect(m?.trace.jobs.map((j) => j.id)).toEqual(["x"]);

    writeFileSync(path.join(dir, "trace.yaml"), "jobs:\n  - { id: x, arrival: soon, gpus: 8 }\n");
    expect(() => loadScenario(file)).toThrow(`${path.join(dir, "trace.yaml")}:2:23: jobs[0].arrival:`);
    writeFileSync(file, `${CLUSTER}manager:\n  jobs: missing.yaml\n`);
    expect(() => loadScenario(file)).toThrow(
      `${file}:8:9: cannot read the job trace ${path.join(dir, "missing.yaml")}: no such file; expected a YAML or JSON file with jobs: [...]`,
    );
  });

  it("validate --print loads back as the same scenario: inline jobs with their defaults, a file by its path", () => {
    const inline = parseScenario(INLINE, "<test>");
    const printed = stringify(scenarioDocument(inline));
    expect(content(parseScenario(printed, "<test>"))).toEqual(content(inline));
    expect(printed).toContain("duration: 5min");

    const fromFile = loadScenario(path.join(REPO_ROOT, "examples/manage-mixed-tenants.yaml"));
    const again = parseScenario(stringify(scenarioDocument(fromFile)), "<test>");
    expect(content(again)).toEqual(content(fromFile));
    expect(again.manager?.traceFile).toBe(path.join(REPO_ROOT, "examples/jobs/mixed-tenants.yaml"));
    // The section's tenants are merged over the trace's: red is isolated too.
    expect(again.manager?.trace.tenants).toEqual({ blue: { isolate: "leaf" }, red: { isolate: "leaf" } });
  });
});
