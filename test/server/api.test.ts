// Every endpoint through fastify.inject: validate, plan, fabric, catalog, examples, runs (start, events,
// get, list, export), compare.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTH, example, runToEnd, testServer } from "./helpers.js";

let app: FastifyInstance;
beforeAll(async () => {
  app = await testServer();
});
afterAll(async () => {
  await app.close();
});

const post = (url: string, scenario: string, files?: Record<string, string>) =>
  app.inject({ method: "POST", url, headers: AUTH, payload: { scenario, ...(files ? { files } : {}) } });
const get = (url: string) => app.inject({ method: "GET", url, headers: AUTH });

describe("validate", () => {
  it("a good scenario: ok, with every default filled in", async () => {
    const r = await post("/api/validate", example("quickstart"));
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({
      ok: true,
      errors: [],
      name: "Quickstart - all-reduce on 256 H100, 2-tier fat-tree",
    });
    expect(body.scenario.simulation.fidelity).toBe("flow");
  });

  it("errors at their line and column, each one", async () => {
    const broken = example("quickstart")
      .replace("nodes: 32", "nodes: -3")
      .replace("op: all-reduce", "op: all-reduse");
    const body = (await post("/api/validate", broken)).json();
    expect(body.ok).toBe(false);
    expect(body.errors).toHaveLength(2);
    expect(body.errors[0]).toMatchObject({ line: 7, col: 14 });
    expect(body.errors[0].error).toMatch(/nodes.*≥ 1/);
    expect(body.errors[1].line).toBe(19);
    expect(body.errors[1].error).toMatch(/all-reduce/);
  });

  it("a YAML syntax error at its line", async () => {
    const body = (await post("/api/validate", "name: x\ncluster: [\n")).json();
    expect(body.ok).toBe(false);
    expect(body.errors[0].error).toMatch(/YAML syntax error/);
    expect(body.errors[0].line).toBeGreaterThanOrEqual(2);
  });
});

describe("plan and fabric", () => {
  it("plan is the bill of materials of `weft plan --json`", async () => {
    const r = await post("/api/plan", example("b200-superpod-rail-optimized"));
    expect(r.statusCode).toBe(200);
    const plan = r.json();
    expect(plan.accelerators).toBe(1024);
    expect(plan.switches).toMatchObject({ leaf: 32, spine: 16 });
    expect(plan.costUsd.total).toBeGreaterThan(0);
    expect(plan.powerW.total).toBeGreaterThan(0);
  });

  it("fabric: one entry per cable, switches by tier, failed cables marked", async () => {
    const text = `${example("quickstart")}failures:\n  - { at: 0s, link: { tier: spine, count: 3 } }\n`;
    const g = (await post("/api/fabric", text)).json();
    const n = g.nodes.names.length;
    expect(g.nodes.kind).toHaveLength(n);
    // Scale-out switches one node each, as the bill counts them (a scale-up domain is one node).
    for (const tier of ["leaf", "spine"]) {
      const t = g.tiers.indexOf(tier);
      const count = g.nodes.tier.filter(
        (x: number, i: number) => x === t && g.kinds[g.nodes.kind[i]] === "switch",
      );
      expect(count.length, tier).toBe(g.plan.switches[tier]);
    }
    expect(g.cables.from).toHaveLength(g.plan.links);
    expect(g.cables.failed.filter((f: number) => f === 1)).toHaveLength(3);
    const failed = g.cables.failed.indexOf(1);
    expect(g.cableTiers[g.cables.tier[failed]]).toBe("spine");
  });

  it("fabric export: the files `weft export` writes, as content (a cabling row per scale-out cable of the plan)", async () => {
    const r = await app.inject({
      method: "POST",
      url: "/api/fabric/export",
      headers: AUTH,
      payload: { scenario: example("quickstart"), formats: ["cabling", "graph", "hosts"] },
    });
    expect(r.statusCode).toBe(200);
    const { files } = r.json() as { files: { path: string; content: string }[] };
    const names = files.map((f) => f.path);
    expect(names).toContain("cabling.csv");
    expect(names).toContain("graph.json");
    expect(names).toContain("graph.dot");
    const plan = (await post("/api/plan", example("quickstart"))).json();
    const rows = (files.find((f) => f.path === "cabling.csv")?.content ?? "").trim().split("\n").length - 1;
    // One row per scale-out cable (scale-up links are backplanes and trays, not cables to lay).
    const { scaleUp: _, ...scaleOut } = plan.cables as Record<string, number>;
    expect(rows).toBe(Object.values(scaleOut).reduce((x, y) => x + y, 0));
    const bad = await app.inject({
      method: "POST",
      url: "/api/fabric/export",
      headers: AUTH,
      payload: { scenario: example("quickstart"), formats: ["pdf"] },
    });
    expect(bad.statusCode).toBe(400);
  });

  it("a bad scenario is a 400 with its problems", async () => {
    const r = await post("/api/plan", "name: x\n");
    expect(r.statusCode).toBe(400);
    expect(r.json().problems[0].error).toMatch(/cluster/);
  });

  it("a fabric too large to build in one request is a 400 before anything is built", async () => {
    // A million 8-GPU nodes: built on the request's thread it held the server for minutes and ran it out of memory.
    const huge = example("quickstart")
      .replace(/nodes: \d+/, "nodes: 1048576")
      .replace("tiers: 2", "tiers: 3")
      .replace("switch: QM9700", "switch: TH6-512x200G");
    for (const url of ["/api/plan", "/api/fabric", "/api/fabric/export"]) {
      const t0 = performance.now();
      const r = await post(url, huge);
      expect(r.statusCode).toBe(400);
      expect(r.json().problems[0].error).toMatch(
        /^the fabric has 8,388,608 endpoints; the server builds fabrics of at most 131,072/,
      );
      expect(performance.now() - t0).toBeLessThan(5000);
    }
  });
});

describe("catalog and examples", () => {
  it("the catalog lists every kind of hardware with sources", async () => {
    const c = (await get("/api/catalog")).json();
    expect(Object.keys(c).sort()).toEqual(["accelerators", "nics", "optics", "scaleUp", "switches"]);
    expect(c.accelerators["H100-SXM"].source).toBeTruthy();
  });

  it("every example validates through the API with its files attached", async () => {
    const list = (await get("/api/examples")).json() as {
      name: string;
      text: string;
      files: Record<string, string>;
    }[];
    expect(list.map((e) => e.name)).toContain("quickstart");
    const htsim = list.find((e) => e.name === "htsim-default-one")!;
    expect(Object.keys(htsim.files)).toEqual(["one.cm"]);
    for (const e of list) {
      const body = (await post("/api/validate", e.text, e.files)).json();
      expect(body.errors, e.name).toEqual([]);
    }
  });
});

describe("runs", () => {
  let quick: Record<string, unknown>;

  it("a run streams progress, ends with results equal to the library's, and is listed", async () => {
    const { run, events } = await runToEnd(app, example("quickstart"));
    quick = run;
    expect(run.state).toBe("done");
    const results = run.results as { kind: string; rows: { sizeBytes: number; busbwGBps: number }[] };
    expect(results.kind).toBe("collective");
    expect(results.rows).toHaveLength(7);
    expect(events.at(-1)?.event).toBe("end");
    for (const e of events.filter((x) => x.event === "progress")) expect(e.data).toMatchObject({ total: 7 });
    const again = (await get(`/api/runs/${run.id}`)).json();
    expect(again.results).toEqual(results);
    const list = (await get("/api/runs")).json();
    expect(list[0]).toMatchObject({ id: run.id, state: "done", kind: "collective" });
    // A finished run's events answer at once.
    const late = await get(`/api/runs/${run.id}/events`);
    expect(late.body).toMatch(/^event: end/);
  });

  it("exports JSON and CSV", async () => {
    const json = await get(`/api/runs/${quick.id}/export?format=json`);
    expect(json.headers["content-disposition"]).toMatch(/attachment; filename="weft-run-.*\.json"/);
    expect(json.json()).toEqual(quick.results);
    const csv = await get(`/api/runs/${quick.id}/export?format=csv`);
    const lines = csv.body.trim().split("\n");
    expect(lines[0]).toBe("sizeBytes,count,type,timeUs,algbwGBps,busbwGBps,algorithm");
    expect(lines).toHaveLength(8);
  });

  it("a jobs run is kind jobs, and its CSV has one row per job", async () => {
    const jobs = example("jobs-two-trainings-oversubscribed").replace(/steps: \d+/g, "steps: 1");
    const { run } = await runToEnd(app, jobs);
    expect(run.error).toBeNull();
    expect(run.state).toBe("done");
    expect(run.kind).toBe("jobs");
    const listed = (await get("/api/runs")).json().find((r: { id: string }) => r.id === run.id);
    expect(listed.kind).toBe("jobs");
    const csv = (await get(`/api/runs/${run.id}/export?format=csv`)).body.trim().split("\n");
    expect(csv[0]).toBe("name,kind,op,accelerators,startS,steps,endS,stepTimeS,aloneStepTimeS,slowdown");
    expect(csv).toHaveLength(1 + (run.results as { jobs: unknown[] }).jobs.length);
  });

  it("fabric of a traffic run: each cable's load, ≤ line rate, on the run's own fabric only", async () => {
    // quickstart's fabric with a permutation of 16 MB flows among its 256 accelerators
    const perm = example("quickstart").replace(
      /workload:[\s\S]*?simulation:/,
      "workload:\n  traffic: { pattern: permutation, size: 16MB }\nsimulation:",
    );
    const { run } = await runToEnd(app, perm);
    expect(run.state).toBe("done");
    const withLoad = await app.inject({
      method: "POST",
      url: "/api/fabric",
      headers: AUTH,
      payload: { scenario: perm, run: run.id },
    });
    expect(withLoad.statusCode).toBe(200);
    const g = withLoad.json();
    expect(g.cables.load).toHaveLength(g.cables.from.length);
    const busy = g.cables.load.filter((x: number) => x > 0);
    expect(busy.length).toBeGreaterThan(g.cables.from.length / 2); // a permutation loads most cables
    expect(Math.max(...g.cables.load)).toBeLessThanOrEqual(1 + 1e-9);
    // a run without link loads (a collective) leaves the colours to the tiers
    const plain = await app.inject({
      method: "POST",
      url: "/api/fabric",
      headers: AUTH,
      payload: { scenario: example("quickstart"), run: quick.id },
    });
    expect(plain.json().cables.load).toBeUndefined();
    // the run's loads offered for another fabric: refused
    const other = await app.inject({
      method: "POST",
      url: "/api/fabric",
      headers: AUTH,
      payload: { scenario: example("b200-superpod-rail-optimized"), run: run.id },
    });
    expect(other.statusCode).toBe(409);
    expect(other.json().error).toMatch(/the run was on another fabric/);
    // A run without link loads (a collective) is told apart by its fabric's counts too.
    const otherCollective = await app.inject({
      method: "POST",
      url: "/api/fabric",
      headers: AUTH,
      payload: { scenario: example("b200-superpod-rail-optimized"), run: quick.id },
    });
    expect(otherCollective.statusCode).toBe(409);
    const missing = await app.inject({
      method: "POST",
      url: "/api/fabric",
      headers: AUTH,
      payload: { scenario: perm, run: "no-such-run" },
    });
    expect(missing.statusCode).toBe(404);
  });

  it("compares two runs figure by figure", async () => {
    const slower = example("quickstart").replace("oversubscription: 1", "oversubscription: 4");
    const { run } = await runToEnd(app, slower);
    expect(run.state).toBe("done");
    const c = (await get(`/api/compare?a=${quick.id}&b=${run.id}`)).json();
    expect(c.a.id).toBe(quick.id);
    const ranks = c.figures.find((f: { key: string }) => f.key === "ranks");
    expect(ranks).toEqual({ key: "ranks", a: 256, b: 256, change: 0 });
    expect(c.figures.some((f: { key: string }) => f.key === "wallS")).toBe(false);
    // The sweep size by size: 4:1 oversubscription costs the largest size bus bandwidth.
    const big = c.figures.find((f: { key: string }) => f.key === `rows.${4 * 2 ** 30}.busbwGBps`);
    expect(big.b).toBeLessThan(big.a);
    const missing = await get(`/api/compare?a=${quick.id}&b=nope`);
    expect(missing.statusCode).toBe(404);
  });

  it("a run failing inside the core ends failed with its message", async () => {
    // Valid to the schema, but the traffic file has a malformed line: reported by the run.
    const text = example("htsim-default-one").replace("../data/htsim/one.cm", "bad.cm");
    const { run } = await runToEnd(app, text, {
      "bad.cm": "Nodes 16\nConnections 1\n0->99 start 0 size 10\n",
    });
    expect(run.state).toBe("failed");
    expect(String(run.error)).toMatch(/99|node|host/i);
  });

  it("an unknown run is a 404", async () => {
    expect((await get("/api/runs/abc")).statusCode).toBe(404);
    expect((await get("/api/runs/abc/events")).statusCode).toBe(404);
    expect((await get("/api/runs/abc/export")).statusCode).toBe(404);
  });
});
