// `weft manage` as a user runs it: the example trace under every policy, JSON for machines, errors with exit 2.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { weft } from "./run-cli.js";

const cluster = "examples/training-llama3-70b-512-h100-oversub4.yaml";
const trace = "examples/jobs/mixed-tenants.yaml";

describe("weft manage", () => {
  it("prints every policy side by side", () => {
    const r = weft(["manage", cluster, "--jobs", trace]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    for (const p of ["topology", "first-fit", "random"]) expect(r.stdout).toMatch(new RegExp(`^${p} `, "m"));
    expect(r.stdout).toContain("mean slowdown");
  });

  it("writes JSON with per-job results and the utilization series", () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), "weft-manage-")), "manage.json");
    const r = weft(["manage", cluster, "--jobs", trace, "--policy", "topology", "--json", "--out", out]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(doc);
    const [topo] = doc.policies;
    expect(topo.policy).toBe("topology");
    expect(topo.jobs).toHaveLength(10);
    expect(topo.utilization.series.length).toBeGreaterThan(2);
    const blue = topo.jobs.filter((j: { tenant: string }) => j.tenant === "blue");
    const red = topo.jobs.filter((j: { tenant: string }) => j.tenant === "red");
    for (const b of blue) {
      for (const x of red) {
        const overlap = b.startS < x.finishS && x.startS < b.finishS;
        if (overlap) expect(b.leaves.filter((l: string) => x.leaves.includes(l))).toEqual([]);
      }
    }
  });

  it("rejects a bad trace with exit 2 and no stack", () => {
    const bad = path.join(mkdtempSync(path.join(tmpdir(), "weft-manage-")), "bad.yaml");
    writeFileSync(
      bad,
      "jobs:\n  - { id: a, arrival: 0s, gpus: 12, training: { model: llama3-8b, tp: 8, steps: 5 } }\n",
    );
    const r = weft(["manage", cluster, "--jobs", bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `${bad}:2:33: 12 GPUs do not split into tp 8 × pp 1; expected a multiple of 8`,
    );
    expect(r.stderr).not.toContain("    at ");
    const policy = weft(["manage", cluster, "--jobs", trace, "--policy", "best"]);
    expect(policy.status).toBe(2);
    expect(policy.stderr).toContain("unknown policy; expected all, topology, first-fit, random");
  });

  it("takes the jobs and policies from the scenario's manager section; flags override it", () => {
    const managed = "examples/manage-mixed-tenants.yaml";
    const r = weft(["manage", managed, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.jobs).toBe(10);
    expect(doc.policies.map((p: { policy: string }) => p.policy)).toEqual([
      "topology",
      "first-fit",
      "random",
    ]);

    const one = path.join(mkdtempSync(path.join(tmpdir(), "weft-manage-")), "one.yaml");
    writeFileSync(
      one,
      "jobs:\n  - { id: solo, arrival: 0s, gpus: 8, training: { model: llama3-8b, tp: 8, steps: 5 } }\n",
    );
    const over = weft(["manage", managed, "--jobs", one, "--policy", "first-fit", "--json"]);
    expect(over.status).toBe(0);
    const overDoc = JSON.parse(over.stdout);
    expect(overDoc.jobs).toBe(1);
    expect(overDoc.policies.map((p: { policy: string }) => p.policy)).toEqual(["first-fit"]);
  });

  it("without --jobs or a manager section says what it expected", () => {
    const r = weft(["manage", cluster]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `${cluster}: no jobs to place; expected --jobs TRACE or a manager: { jobs: TRACE or [...] } section in the scenario`,
    );
  });
});
