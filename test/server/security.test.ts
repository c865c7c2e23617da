// The team-server guarantees: token on every API call, security headers, body limit, no server paths
// from clients, per-client concurrency, JSON errors, and a valid OpenAPI document.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sameSecret } from "../../src/server/security.js";
import { AUTH, example, testServer } from "./helpers.js";

let app: FastifyInstance;
beforeAll(async () => {
  app = await testServer({ bodyLimit: 64 * 1024 });
});
afterAll(async () => {
  await app.close();
});

const API_CALLS: [string, string][] = [
  ["GET", "/api/catalog"],
  ["GET", "/api/examples"],
  ["GET", "/api/runs"],
  ["GET", "/api/runs/0000"],
  ["GET", "/api/runs/0000/events"],
  ["GET", "/api/runs/0000/export"],
  ["GET", "/api/compare?a=1&b=2"],
  ["GET", "/api/sweeps"],
  ["GET", "/api/sweeps/s1"],
  ["GET", `/api/points/${"0".repeat(64)}`],
  ["POST", "/api/validate"],
  ["POST", "/api/plan"],
  ["POST", "/api/fabric"],
  ["POST", "/api/runs"],
];

describe("bearer token", () => {
  it.each(API_CALLS)("%s %s: 401 without a token, 403 with a wrong one", async (method, url) => {
    const payload = method === "POST" ? { scenario: example("quickstart") } : undefined;
    const none = await app.inject({ method: method as "GET", url, payload });
    expect(none.statusCode).toBe(401);
    expect(none.json().error).toMatch(/bearer token/);
    expect(none.headers["www-authenticate"]).toContain("Bearer");
    const wrong = await app.inject({
      method: method as "GET",
      url,
      payload,
      headers: { authorization: "Bearer not-the-token" },
    });
    expect(wrong.statusCode).toBe(403);
    const basic = await app.inject({
      method: method as "GET",
      url,
      payload,
      headers: { authorization: "Basic eDp5" },
    });
    expect(basic.statusCode).toBe(401);
  });

  it.each([
    ["GET", "/%61pi/runs?limit=2"],
    ["GET", "/%61%70%69/catalog"],
    ["GET", "/api%2Fcatalog"],
    ["POST", "/%61pi/validate"],
    ["POST", "/%61pi/runs"],
  ])(
    "%s %s: a percent-encoded path is the API too (the router decodes it): 401 without a token",
    async (method, url) => {
      const payload = method === "POST" ? { scenario: example("quickstart") } : undefined;
      const r = await app.inject({ method: method as "GET", url, payload });
      expect(r.statusCode).toBe(401);
      expect(r.headers["cache-control"]).toBe("no-store");
    },
  );

  it("compares secrets by value only", () => {
    expect(sameSecret("abc", "abc")).toBe(true);
    expect(sameSecret("abc", "abd")).toBe(false);
    expect(sameSecret("abc", "abcd")).toBe(false);
    expect(sameSecret("", "x")).toBe(false);
  });
});

describe("responses", () => {
  it("carry security headers, and API responses are not cached", async () => {
    const r = await app.inject({ method: "GET", url: "/api/catalog", headers: AUTH });
    expect(r.statusCode).toBe(200);
    expect(r.headers["x-content-type-options"]).toBe("nosniff");
    expect(r.headers["x-frame-options"]).toBe("DENY");
    expect(r.headers["referrer-policy"]).toBe("no-referrer");
    expect(r.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(r.headers["cache-control"]).toBe("no-store");
  });

  it("unknown endpoints are a JSON 404; malformed requests a JSON 400", async () => {
    const r = await app.inject({ method: "GET", url: "/api/nothing-here", headers: AUTH });
    expect(r.statusCode).toBe(404);
    expect(r.json().error).toBe("no such endpoint: GET /api/nothing-here; see /docs");
    // A known endpoint asked with another method: 405 naming what it takes; the token still comes first.
    const del = await app.inject({ method: "DELETE", url: "/api/runs/0000", headers: AUTH });
    expect(del.statusCode).toBe(405);
    expect(del.headers.allow).toBe("GET");
    expect(del.json().error).toBe("DELETE /api/runs/:id is not allowed; it takes GET");
    expect((await app.inject({ method: "GET", url: "/api/validate", headers: AUTH })).headers.allow).toBe(
      "POST",
    );
    expect((await app.inject({ method: "DELETE", url: "/api/runs/0000" })).statusCode).toBe(401);
    const bad = await app.inject({
      method: "POST",
      url: "/api/validate",
      headers: AUTH,
      payload: { yaml: "x" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatch(/invalid request/);
    const badId = await app.inject({ method: "GET", url: "/api/runs/..%2Fetc", headers: AUTH });
    expect(badId.statusCode).toBe(400);
  });

  it("a body over the limit is refused with 413", async () => {
    const big = `${example("quickstart")}\n#${"x".repeat(80 * 1024)}\n`;
    const r = await app.inject({
      method: "POST",
      url: "/api/validate",
      headers: AUTH,
      payload: { scenario: big },
    });
    expect(r.statusCode).toBe(413);
    expect(r.json().error).toMatch(/too large.*65536 bytes/);
  });
});

describe("files named in a scenario", () => {
  // A connection matrix on the server's disk that a client must never get read.
  const dir = mkdtempSync(path.join(tmpdir(), "weft-secret-"));
  const secret = path.join(dir, "secret.cm");
  writeFileSync(secret, "Nodes 16\nConnections 1\n0->13 start 0 size 2000000\n");
  const withFile = (name: string) => example("htsim-default-one").replace("../data/htsim/one.cm", name);
  const upload = { "one.cm": "Nodes 16\nConnections 2\n0->13 start 0 size 1000\n1->12 start 0 size 1000\n" };

  it.each([
    ["an absolute path", secret],
    ["a relative path out of the folder", `../${path.basename(dir)}/secret.cm`],
    ["a path into an uploaded name's folder", "./one.cm"],
  ])("%s is refused at its line, before anything is read", async (_, name) => {
    for (const url of ["/api/validate", "/api/plan", "/api/runs"]) {
      const r = await app.inject({
        method: "POST",
        url,
        headers: AUTH,
        payload: { scenario: withFile(name), files: upload },
      });
      const body = r.json();
      const problems = url === "/api/validate" ? body.errors : body.problems;
      expect(r.statusCode, url).toBe(url === "/api/validate" ? 200 : 400);
      expect(problems[0]).toMatchObject({ line: 29, col: 11 });
      expect(problems[0].error).toMatch(/not among the uploaded files \(one\.cm\)/);
      expect(r.body).not.toContain("Connections");
    }
  });

  it("an alias cannot hide a path", async () => {
    const text = `${withFile("one.cm").replace("file: one.cm", "file: *p")}\nx-path: &p ${secret}\n`.replace(
      "name: htsim",
      `p: &p ${secret}\nname: htsim`,
    );
    const r = await app.inject({
      method: "POST",
      url: "/api/validate",
      headers: AUTH,
      payload: { scenario: text },
    });
    expect(r.json().ok).toBe(false);
    expect(r.body).not.toContain("Connections");
  });

  it("a job trace (manager.jobs) is an upload too; an inline list of jobs names no file", async () => {
    const trace = path.join(dir, "jobs.yaml");
    writeFileSync(
      trace,
      "jobs:\n  - { id: secret-job, arrival: 0s, gpus: 8, inference: { model: llama3-8b, tp: 8, duration: 1s } }\n",
    );
    const managed = (jobs: string) => `${example("quickstart")}\nmanager:\n  jobs: ${jobs}\n`;
    const refused = await app.inject({
      method: "POST",
      url: "/api/validate",
      headers: AUTH,
      payload: { scenario: managed(trace) },
    });
    expect(refused.json().errors[0]).toMatchObject({ line: expect.any(Number), col: 9 });
    expect(refused.json().errors[0].error).toMatch(/^".*jobs\.yaml" is not among the uploaded files/);
    expect(refused.body).not.toContain("secret-job");
    const uploaded = await app.inject({
      method: "POST",
      url: "/api/validate",
      headers: AUTH,
      payload: {
        scenario: managed("jobs.yaml"),
        files: {
          "jobs.yaml":
            "jobs:\n  - { id: a, arrival: 0s, gpus: 8, training: { model: llama3-8b, tp: 8, steps: 2 } }\n",
        },
      },
    });
    expect(uploaded.json()).toMatchObject({ ok: true, errors: [] });
    const inline = await app.inject({
      method: "POST",
      url: "/api/validate",
      headers: AUTH,
      payload: {
        scenario: managed(
          "[{ id: a, arrival: 0s, gpus: 8, training: { model: llama3-8b, tp: 8, steps: 2 } }]",
        ),
      },
    });
    expect(inline.json()).toMatchObject({ ok: true, errors: [] });
  });

  it("a job's files (a request trace, a connection matrix) are uploads too: nothing on the server is read", async () => {
    const trace = path.join(dir, "requests.csv");
    writeFileSync(trace, "arrival_s,prompt_tokens,output_tokens\n0,secret-row,2\n");
    const jobTrace = example("jobs-inference-beside-training").replace(
      "        rate: 2/s\n        count: 100\n",
      `        trace: ${trace}\n`,
    );
    expect(jobTrace).toContain(trace);
    const r = await app.inject({
      method: "POST",
      url: "/api/validate",
      headers: AUTH,
      payload: { scenario: jobTrace },
    });
    expect(r.json().errors[0]).toMatchObject({ line: 33, col: 16 });
    expect(r.json().errors[0].error).toMatch(/is not among the uploaded files \(none uploaded\)/);
    expect(r.body).not.toContain("secret-row");
    const jobTraffic = `${example("quickstart").split("\nworkload:")[0]}
jobs:
  - { name: t, placement: auto, accelerators: 16, traffic: { pattern: file, file: ${secret} } }
`;
    const t = await app.inject({
      method: "POST",
      url: "/api/validate",
      headers: AUTH,
      payload: { scenario: jobTraffic },
    });
    expect(t.json().ok).toBe(false);
    expect(t.json().errors[0].error).toMatch(/is not among the uploaded files/);
    expect(t.body).not.toContain("Connections");
  });

  it("the document's limits come before anything else: an alias bomb is a located error, not a 500", async () => {
    const bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(", ")}]`,
      );
    const r = await app.inject({
      method: "POST",
      url: "/api/validate",
      headers: AUTH,
      payload: { scenario: `${bomb.join("\n")}\n${example("quickstart")}` },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().ok).toBe(false);
    expect(r.json().errors[0].error).toMatch(/alias/);
  });

  it("upload names are plain file names", async () => {
    const r = await app.inject({
      method: "POST",
      url: "/api/validate",
      headers: AUTH,
      payload: { scenario: withFile("one.cm"), files: { "../one.cm": "x" } },
    });
    expect(r.statusCode).toBe(400);
  });

  it("an uploaded file is what the scenario reads", async () => {
    const r = await app.inject({
      method: "POST",
      url: "/api/validate",
      headers: AUTH,
      payload: { scenario: withFile("one.cm"), files: upload },
    });
    expect(r.json()).toMatchObject({ ok: true, errors: [] });
    expect(r.body).not.toContain(tmpdir());
  });
});

describe("OpenAPI", () => {
  it("the document at /docs/json describes every endpoint, each with its security and responses", async () => {
    const r = await app.inject({ method: "GET", url: "/docs/json" });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info.title).toBe("Weft API");
    expect(doc.components.securitySchemes.bearer).toEqual({ type: "http", scheme: "bearer" });
    const ops = Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>).flatMap(
      ([p, methods]) => Object.entries(methods).map(([m, op]) => ({ key: `${m.toUpperCase()} ${p}`, op })),
    );
    const keys = ops.map((o) => o.key).sort();
    expect(keys).toEqual(
      [
        "GET /api/catalog",
        "GET /api/compare",
        "GET /api/examples",
        "GET /api/runs",
        "GET /api/runs/{id}",
        "GET /api/runs/{id}/events",
        "GET /api/runs/{id}/export",
        "GET /api/sweeps",
        "GET /api/sweeps/{id}",
        "GET /api/points/{hash}",
        "POST /api/fabric",
        "POST /api/fabric/export",
        "POST /api/plan",
        "POST /api/runs",
        "POST /api/validate",
      ].sort(),
    );
    for (const { key, op } of ops) {
      expect(op.security, key).toEqual([{ bearer: [] }]);
      expect(Object.keys(op.responses as object).length, key).toBeGreaterThan(0);
      // The event stream declares no schema (one on its streamed reply would hold a shutdown up).
      if (!key.endsWith("/events"))
        for (const code of ["400", "401", "403", "413"])
          expect(Object.keys(op.responses as object), key).toContain(code);
      expect(typeof op.summary, key).toBe("string");
    }
    // Every reference resolves inside the document.
    const refs = [...r.body.matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]);
    for (const ref of refs) {
      const target = ref.split("/").reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], doc);
      expect(target, ref).toBeDefined();
    }
    // The request body of a run is the zod schema's JSON form.
    const body = doc.paths["/api/runs"].post.requestBody.content["application/json"].schema;
    expect(body.required).toContain("scenario");
    expect(body.properties.scenario.type).toBe("string");
  });

  it("the viewer is served at /docs", async () => {
    const r = await app.inject({ method: "GET", url: "/docs/" });
    expect([200, 302]).toContain(r.statusCode);
  });
});
