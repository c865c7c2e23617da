// Placement over time on a 1,024-GPU fabric: topology-aware placement keeps TP groups in their NVLink
// domains and data-parallel groups under few leaves, first-fit takes the lowest free GPUs wherever they
// are. On a leaf tier oversubscribed 4:1, groups cut across domains and leaves pay the scale-out fabric, so
// topology must give the lower mean slowdown, and (jobs finishing sooner) no more queueing.
// Tenants on `isolate: leaf` never share a leaf, and no route joins their VRFs in the exported configs.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scaleOutCables } from "../../src/control/export/cables.js";
import { exportFabric } from "../../src/control/export/index.js";
import type { SonicConfigDb } from "../../src/control/export/sonic-schema.js";
import { serverOfNode } from "../../src/control/placement/cluster-view.js";
import { manage } from "../../src/control/placement/simulate.js";
import { parseJobTrace, syntheticTrace } from "../../src/control/placement/trace.js";
import { checkIsolation, vrfName } from "../../src/control/tenants/isolation.js";
import { loadScenario } from "../../src/scenario/load.js";
import { buildScenarioFabric } from "../../src/topology/build.js";
import { portMap } from "../../src/topology/names.js";
import { REPO_ROOT } from "../helpers/data.js";

function cluster1024() {
  const scenario = loadScenario(path.join(REPO_ROOT, "examples/training-gpt3-175b-1024-h100.yaml"));
  scenario.cluster.scaleOut.oversubscription = { leaf: 4, spine: 1 };
  return { scenario, fabric: buildScenarioFabric(scenario) };
}

describe("placement over time on 1,024 GPUs", () => {
  const { scenario, fabric } = cluster1024();

  it("topology placement: lower mean slowdown than first-fit and no more queueing", () => {
    const trace = syntheticTrace({ jobs: 300, accelerators: 1024, meanGapS: 3, seed: 7 });
    const topo = manage({ scenario, fabric, trace, policy: "topology" });
    const first = manage({ scenario, fabric, trace, policy: "first-fit" });
    const row = (r: typeof topo) => ({
      policy: r.policy,
      "mean slowdown": r.meanSlowdown.toFixed(4),
      "queue mean s": r.queueDelayS.mean.toFixed(1),
      "queue p99 s": r.queueDelayS.p99.toFixed(1),
      "GPU-h lost": r.acceleratorHoursLost.toFixed(1),
      "jobs on more domains than needed": r.jobs.filter((j) => j.domains > Math.ceil(j.gpus / 8)).length,
    });
    console.table([row(topo), row(first)]);
    expect(topo.jobs.length).toBe(300);
    expect(topo.meanSlowdown).toBeLessThan(first.meanSlowdown);
    expect(topo.queueDelayS.mean).toBeLessThanOrEqual(first.queueDelayS.mean);
    expect(topo.acceleratorHoursLost).toBeLessThan(first.acceleratorHoursLost);
  }, 120_000);

  it("is deterministic: the same trace and seed give the same results", () => {
    const trace = syntheticTrace({ jobs: 60, accelerators: 1024, meanGapS: 2, seed: 3 });
    const a = manage({ scenario, fabric, trace, policy: "random" });
    const b = manage({ scenario, fabric, trace, policy: "random" });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it("never holds more accelerators than the cluster has, and starts no job before it arrives", () => {
    const trace = syntheticTrace({ jobs: 200, accelerators: 1024, meanGapS: 1, seed: 11 });
    for (const policy of ["topology", "first-fit", "random"]) {
      const r = manage({ scenario, fabric, trace, policy });
      const events = r.jobs.flatMap((j) => [
        [j.startS, j.gpus],
        [j.finishS, -j.gpus],
      ]);
      events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      let busy = 0;
      for (const [, d] of events) {
        busy += d;
        expect(busy).toBeLessThanOrEqual(1024);
      }
      for (const j of r.jobs) {
        expect(j.startS).toBeGreaterThanOrEqual(j.arrivalS);
        expect(j.finishS).toBeGreaterThan(j.startS);
      }
    }
  });
});

describe("tenants isolated by leaf", () => {
  const { scenario, fabric } = cluster1024();
  const base = syntheticTrace({
    jobs: 120,
    accelerators: 1024,
    meanGapS: 2,
    seed: 5,
    tenants: ["blue", "red"],
  });
  const trace = {
    ...base,
    tenants: { blue: { isolate: "leaf" as const }, red: { isolate: "leaf" as const } },
  };
  const result = manage({ scenario, fabric, trace, policy: "topology", keepRanks: true });

  it("never puts two tenants' jobs on one leaf at the same time", () => {
    const jobs = result.jobs;
    let overlaps = 0;
    for (let i = 0; i < jobs.length; i++) {
      for (let k = i + 1; k < jobs.length; k++) {
        const a = jobs[i];
        const b = jobs[k];
        if (a.tenant === b.tenant || a.finishS <= b.startS || b.finishS <= a.startS) continue;
        overlaps++;
        const shared = a.leaves.filter((l) => b.leaves.includes(l));
        expect(shared, `${a.id} (${a.tenant}) and ${b.id} (${b.tenant})`).toEqual([]);
      }
    }
    expect(overlaps).toBeGreaterThan(0); // the two tenants did run side by side
  });

  it("exports VRFs that no route joins, and the search finds a leak when one port is mislabelled", () => {
    // A moment with both tenants running.
    const t = result.jobs
      .map((j) => j.startS)
      .find(
        (s) =>
          new Set(result.jobs.filter((j) => j.startS <= s && s < j.finishS).map((j) => j.tenant)).size === 2,
      );
    expect(t).toBeDefined();
    const server = serverOfNode(fabric);
    const tenantOfServer = new Map<number, string>();
    for (const j of result.jobs) {
      if (j.startS <= t! && t! < j.finishS)
        for (const r of j.ranks ?? []) tenantOfServer.set(fabric.accelerators.server[r], j.tenant);
    }
    const ports = portMap(fabric, scenario.cluster.scaleOut.switch);
    const cables = scaleOutCables(fabric, ports);
    const tenantOfCable = (k: number) =>
      cables[k].tier === "leaf" ? tenantOfServer.get(server[cables[k].a]) : undefined;
    const files = exportFabric(scenario, fabric, "sonic", {
      warnings: [],
      vrfOfCable: () => (k) => {
        const tenant = tenantOfCable(k);
        return tenant ? vrfName(tenant) : undefined;
      },
    });
    // Labels as configured: the leaf's INTERFACE vrf_name of each host port.
    const vrfAt = new Map<string, string>();
    for (const f of files) {
      const db = JSON.parse(f.content) as SonicConfigDb;
      for (const [key, v] of Object.entries(db.INTERFACE)) {
        if (!key.includes("|") && v.vrf_name)
          vrfAt.set(`${db.DEVICE_METADATA.localhost.hostname}:${key}`, v.vrf_name);
      }
    }
    expect(new Set(vrfAt.values())).toEqual(new Set([vrfName("blue"), vrfName("red")]));
    const names = fabric.nodes.names;
    const labelOfCable = (k: number) => vrfAt.get(`${names[cables[k].z]}:${cables[k].zPort}`);
    const report = checkIsolation({ fabric, cables, tenantOfCable, labelOfCable });
    expect(report.searched).toBeGreaterThan(0);
    expect(report.joins).toEqual([]);
    // Mislabel one red port into blue's VRF: the search must now join them.
    const red = cables.findIndex((_, k) => tenantOfCable(k) === "red");
    const leaky = checkIsolation({
      fabric,
      cables,
      tenantOfCable,
      labelOfCable: (k) => (k === red ? vrfName("blue") : labelOfCable(k)),
    });
    expect(leaky.joins).toEqual(["blue ↔ red"]);
  });
});

describe("job traces", () => {
  it("reads times, rates and defaults, and says what is wrong with a bad job", () => {
    const trace = parseJobTrace(
      `tenants: { blue: { isolate: leaf } }
jobs:
  - { id: b, arrival: 2min, tenant: blue, gpus: 16, inference: { model: llama3-8b, tp: 8, duration: 10min, rate: 5/s } }
  - { id: a, arrival: 0, gpus: 64, training: { model: llama3-8b, tp: 8, steps: 100 } }
`,
      "trace.yaml",
    );
    expect(trace.jobs.map((j) => j.id)).toEqual(["a", "b"]);
    expect(trace.jobs[1].arrival).toBe(120);
    expect(trace.jobs[1].work).toMatchObject({ kind: "inference", duration: 600, rate: 5 });
    expect(trace.jobs[0].work).toMatchObject({ kind: "training", globalBatch: 32 });
    expect(trace.tenants).toEqual({ blue: { isolate: "leaf" } });
    expect(() =>
      parseJobTrace(
        "jobs:\n  - { id: 1, arrival: 0, gpus: 12, training: { model: llama3-8b, tp: 8, steps: 1 } }\n",
        "t.yaml",
      ),
    ).toThrow("t.yaml:2:32: 12 GPUs do not split into tp 8 × pp 1; expected a multiple of 8");
    expect(() =>
      parseJobTrace(
        "jobs:\n  - { id: 1, arrival: 0, gpus: 8, training: { model: gpt9, steps: 1 } }\n",
        "t.yaml",
      ),
    ).toThrow(
      /^t\.yaml:2:54: jobs\[0\]\.training\.model: string "gpt9" is not allowed.*expected one of: .*llama3-8b/,
    );
  });

  it("refuses, at the job's gpus, what the cluster cannot run: too many GPUs, TP past a domain, a model that cannot fit", () => {
    const { scenario, fabric } = cluster1024();
    const run = (job: string) => () =>
      manage({
        scenario,
        fabric,
        trace: parseJobTrace(`jobs:\n  - ${job}\n`, "t.yaml"),
        policy: "first-fit",
      });
    expect(run("{ id: a, arrival: 0, gpus: 2048, training: { model: llama3-8b, tp: 8, steps: 1 } }")).toThrow(
      "t.yaml:2:32: job a: 2048 GPUs asked, the cluster has 1024; expected at most 1024",
    );
    expect(run("{ id: a, arrival: 0, gpus: 16, training: { model: llama3-8b, tp: 16, steps: 1 } }")).toThrow(
      /^t\.yaml:2:32: job a: tp 16 is larger than the largest scale-up domain \(8\)/,
    );
    // 70B on 8 GPUs without tensor or pipeline parallelism: 158 GB each even fully sharded.
    expect(run("{ id: a, arrival: 0, gpus: 8, training: { model: llama3-70b, tp: 1, steps: 1 } }")).toThrow(
      /^t\.yaml:2:32: job a: llama3-70b at tp 1 × pp 1 × dp 8 needs [\d.]+ GB per accelerator even with ZeRO-3/,
    );
    expect(() =>
      run("{ id: a, arrival: 0, gpus: 64, training: { model: llama3-70b, tp: 8, steps: 1 } }")(),
    ).not.toThrow();
  });

  it("topology placement reaches no more leaves than first-fit where servers straddle two leaves", () => {
    // 4:1 leaves of 64 ports take 51 NIC ports: every few servers' 8 NICs span two leaves.
    const scenario = loadScenario(path.join(REPO_ROOT, "examples/manage-mixed-tenants.yaml"));
    const fabric = buildScenarioFabric(scenario);
    const trace = parseJobTrace(
      "jobs:\n  - { id: a, arrival: 0, gpus: 128, training: { model: llama3-8b, tp: 8, steps: 10 } }\n",
      "t.yaml",
    );
    const leaves = (policy: "topology" | "first-fit") =>
      manage({ scenario, fabric, trace, policy }).jobs[0].leaves.length;
    expect(leaves("first-fit")).toBe(3);
    expect(leaves("topology")).toBe(3);
  });
});
