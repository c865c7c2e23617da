/**
 * The API's endpoints, each a thin shell over the library: validate, plan and fabric build a scenario;
 * runs go through the runner; catalog and examples are read-only.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { builtinCatalog } from "../catalog/index.js";
import { exportFabric, EXPORT_FORMATS as FABRIC_EXPORT_FORMATS } from "../control/export/index.js";
import type { FabricSummary, LinkUtilization } from "../results/types.js";
import { describeScenario } from "../scenario/print.js";
import type { Scenario } from "../scenario/types.js";
import { rankPoints } from "../sweep/objectives.js";
import { metricName } from "../sweep/spec.js";
import { buildScenarioFabric } from "../topology/build.js";
import { formatCount } from "../units/format.js";
import { compareRuns } from "./compare.js";
import { streamRunEvents } from "./events.js";
import { examples } from "./examples.js";
import { EXPORT_FORMATS, exportRun } from "./export.js";
import { fabricGraph, OtherFabric } from "./fabric-graph.js";
import type { RunStore } from "./run-store.js";
import type { Runner } from "./runner.js";
import { openWorkspace, ScenarioProblems, type Workspace, withoutFolder } from "./scenario-input.js";
import {
  compareQuery,
  exampleSchema,
  fabricInputSchema,
  runIdParams,
  runSchema,
  runSummarySchema,
  scenarioInputSchema,
  sweepSchema,
  sweepSummarySchema,
  validationSchema,
} from "./schemas.js";

const errorSchema = z.object({ error: z.string() });

/** What every API endpoint may answer besides its own responses (security.ts, app.ts's body limit). */
const COMMON_ERRORS = {
  400: z
    .object({
      error: z.string(),
      problems: z
        .array(z.object({ error: z.string(), line: z.number().optional(), col: z.number().optional() }))
        .optional(),
    })
    .describe("the request is malformed, or its scenario has problems (each at its line and column)"),
  401: errorSchema.describe("no bearer token"),
  403: errorSchema.describe("a wrong bearer token"),
  413: errorSchema.describe("the request body is over the limit"),
};

function withWorkspace<T>(
  text: string,
  files: Record<string, string> | undefined,
  f: (w: Workspace) => T,
): T {
  const w = openWorkspace(text, files);
  try {
    return f(w);
  } finally {
    w.dispose();
  }
}

/**
 * The most endpoints (accelerators and other servers) a fabric built on the server's own thread may have:
 * 131,072 builds in about a second and answers in tens of MB; a million takes the thread for minutes and
 * its graph runs the process out of memory. Larger fabrics are for `weft plan` and `weft export`.
 */
export const MAX_SERVED_ENDPOINTS = 131_072;

/** Refuses, before building it, a fabric too large to build and send from the request's own thread. */
function checkServedFabric(scenario: Scenario): void {
  let endpoints = 0;
  for (const g of scenario.cluster.groups) endpoints += g.nodes * Math.max(1, g.acceleratorsPerNode);
  if (endpoints > MAX_SERVED_ENDPOINTS) {
    throw new ScenarioProblems([
      {
        error:
          `the fabric has ${formatCount(endpoints)} endpoints; the server builds fabrics of at most ${formatCount(MAX_SERVED_ENDPOINTS)} ` +
          "here (plans, graphs and exports answer in one request); expected a smaller cluster, or `weft plan` / `weft export` on the command line",
      },
    ]);
  }
}

export function registerRoutes(app: FastifyInstance, runner: Runner, store: RunStore): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const secured = { security: [{ bearer: [] }] };
  // The methods each endpoint takes (for the 405s registered last), and the errors any request can meet,
  // documented beside each route's own responses — but the event stream's: a response schema on that
  // streamed reply keeps the server from closing while a client watches (test/server/shutdown.test.ts).
  const methods = new Map<string, Set<string>>();
  app.addHook("onRoute", (route) => {
    if (!route.url.startsWith("/api/") || route.schema?.hide) return;
    const taken = methods.get(route.url) ?? new Set<string>();
    for (const m of [route.method].flat()) if (m !== "HEAD") taken.add(m);
    methods.set(route.url, taken);
    if (route.url.endsWith("/events")) return;
    route.schema = {
      ...route.schema,
      response: { ...COMMON_ERRORS, ...(route.schema?.response as object | undefined) },
    };
  });

  api.post(
    "/api/validate",
    {
      schema: {
        ...secured,
        summary: "check a scenario: its errors at their line and column, or the scenario with defaults",
        body: scenarioInputSchema,
        response: { 200: validationSchema },
      },
    },
    async (req) => {
      try {
        return withWorkspace(req.body.scenario, req.body.files, ({ scenario, dir }) =>
          withoutFolder(
            {
              ok: true,
              name: scenario.name,
              warnings: scenario.warnings ?? [],
              errors: [],
              scenario: { ...describeScenario(scenario), file: undefined },
            },
            dir,
          ),
        );
      } catch (e) {
        if (!(e instanceof ScenarioProblems)) throw e;
        return { ok: false, warnings: [], errors: e.problems };
      }
    },
  );

  api.post(
    "/api/plan",
    {
      schema: {
        ...secured,
        summary: "the fabric's bill of materials (as `weft plan --json`)",
        body: scenarioInputSchema,
      },
    },
    async (req) =>
      withWorkspace(req.body.scenario, req.body.files, ({ scenario }) => {
        checkServedFabric(scenario);
        return fabricGraph(scenario).plan;
      }),
  );

  api.post(
    "/api/fabric",
    {
      schema: {
        ...secured,
        summary:
          "the fabric as a graph: nodes, cables (failed ones marked) and the bill of materials; with `run`, each cable's load in that run (runs that report link utilization: traffic)",
        body: fabricInputSchema,
      },
    },
    async (req, reply) => {
      let utilization: LinkUtilization | undefined;
      let runFabric: FabricSummary | undefined;
      if (req.body.run !== undefined) {
        const run = await runner.get(req.body.run);
        if (!run?.results) return reply.code(404).send({ error: `no finished run ${req.body.run}` });
        const results = run.results as { linkUtilization?: LinkUtilization; fabric?: FabricSummary };
        utilization = results.linkUtilization;
        runFabric = results.fabric;
      }
      try {
        return withWorkspace(req.body.scenario, req.body.files, ({ scenario }) => {
          checkServedFabric(scenario);
          return fabricGraph(scenario, utilization, runFabric);
        });
      } catch (e) {
        if (e instanceof OtherFabric) return reply.code(409).send({ error: e.message });
        throw e;
      }
    },
  );

  api.post(
    "/api/fabric/export",
    {
      schema: {
        ...secured,
        summary:
          "the files a fabric is built and configured from (as `weft export`): cabling CSV, graph (JSON, DOT, containerlab), SONiC config_db.json per switch, hosts",
        body: scenarioInputSchema.extend({
          formats: z.array(z.enum(FABRIC_EXPORT_FORMATS)).min(1).default(["cabling"]),
        }),
      },
    },
    async (req) =>
      withWorkspace(req.body.scenario, req.body.files, ({ scenario }) => {
        checkServedFabric(scenario);
        const fabric = buildScenarioFabric(scenario);
        const warnings: string[] = [];
        const files = [...new Set(req.body.formats)].flatMap((format) =>
          exportFabric(scenario, fabric, format, { warnings }),
        );
        return { files, warnings };
      }),
  );

  api.post(
    "/api/runs",
    {
      schema: {
        ...secured,
        summary: "start a run; returns its id at once (progress at /api/runs/{id}/events)",
        body: scenarioInputSchema,
        response: { 202: runSchema, 429: errorSchema },
      },
    },
    async (req, reply) => {
      const workspace = openWorkspace(req.body.scenario, req.body.files);
      return reply.code(202).send(runner.start(req.ip, req.body.scenario, workspace));
    },
  );

  api.get(
    "/api/runs",
    {
      schema: {
        ...secured,
        summary: "the latest runs, newest first",
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
        response: { 200: z.array(runSummarySchema) },
      },
    },
    // The store holds a run as queued until it ends; the runner knows when it started running.
    async (req) =>
      (await store.list(req.query.limit)).map((r) => ({ ...r, state: runner.liveState(r.id) ?? r.state })),
  );

  api.get(
    "/api/runs/:id",
    {
      schema: {
        ...secured,
        summary: "one run: its state, progress while it runs, results when done",
        params: runIdParams,
        response: { 200: runSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const run = await runner.get(req.params.id);
      return run ?? reply.code(404).send({ error: `no run ${req.params.id}` });
    },
  );

  api.get(
    "/api/runs/:id/events",
    {
      schema: {
        ...secured,
        summary: "server-sent events of a run: `progress` while it runs, then `end` with the run",
        params: runIdParams,
      },
    },
    async (req, reply) => streamRunEvents(runner, req.params.id, reply),
  );

  api.get(
    "/api/runs/:id/export",
    {
      schema: {
        ...secured,
        summary: "a run's results as a file: JSON, or CSV of its main table",
        params: runIdParams,
        querystring: z.object({ format: z.enum(EXPORT_FORMATS).default("json") }),
      },
    },
    async (req, reply) => {
      const run = await runner.get(req.params.id);
      if (!run?.results) return reply.code(404).send({ error: `no finished run ${req.params.id}` });
      const file = exportRun(run, req.query.format);
      return reply
        .header("content-type", file.contentType)
        .header("content-disposition", `attachment; filename="${file.name}"`)
        .send(file.body);
    },
  );

  api.get(
    "/api/compare",
    {
      schema: {
        ...secured,
        summary: "two finished runs side by side: their key figures and the change from a to b",
        querystring: compareQuery,
      },
    },
    async (req, reply) => {
      const [a, b] = await Promise.all([runner.get(req.query.a), runner.get(req.query.b)]);
      const missing = [a?.results ? undefined : req.query.a, b?.results ? undefined : req.query.b].filter(
        Boolean,
      );
      if (missing.length) return reply.code(404).send({ error: `no finished run ${missing.join(", ")}` });
      return compareRuns(a!, b!);
    },
  );

  api.get(
    "/api/sweeps",
    {
      schema: {
        ...secured,
        summary: "the sweeps in the results store, with how many of their points are done",
        response: { 200: z.array(sweepSummarySchema) },
      },
    },
    async () =>
      (await store.store.listSweeps()).map(({ id, name, points, done, createdAt }) => ({
        id,
        name,
        points,
        done,
        createdAt,
      })),
  );

  api.get(
    "/api/sweeps/:id",
    {
      schema: {
        ...secured,
        summary: "one sweep: its definition and its points (inputs, metrics, status), for the Pareto chart",
        params: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/) }),
        response: { 200: sweepSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const sweep = await store.store.getSweep(req.params.id);
      if (!sweep) return reply.code(404).send({ error: `no sweep ${req.params.id}` });
      const points = await store.store.sweepPoints(sweep.id);
      const objectives = sweepObjectives(sweep.spec);
      const ok = points.filter((p) => p.status === "ok");
      const { frontier } = rankPoints(ok, objectives, (p, m) => p.metrics[m]);
      return {
        ...sweep,
        objectives,
        frontier: frontier.map((p) => p.hash),
        points: points.map((p) => ({
          hash: p.hash,
          name: p.name,
          kind: p.kind,
          status: p.status,
          reason: p.reason ?? null,
          inputs: p.inputs,
          metrics: p.metrics,
        })),
      };
    },
  );

  api.get(
    "/api/points/:hash",
    {
      schema: {
        ...secured,
        summary: "one design point of the results store, with its results",
        params: z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/) }),
        response: { 200: z.record(z.string(), z.unknown()), 404: errorSchema },
      },
    },
    async (req, reply) => {
      const point = await store.store.getPoint(req.params.hash);
      return point ? { ...point } : reply.code(404).send({ error: `no point ${req.params.hash}` });
    },
  );

  api.get(
    "/api/catalog",
    { schema: { ...secured, summary: "the built-in hardware catalog, each entry with its source" } },
    async () => builtinCatalog(),
  );

  api.get(
    "/api/examples",
    {
      schema: {
        ...secured,
        summary: "the example scenarios, with the files they name attached",
        response: { 200: z.array(exampleSchema.extend({ files: z.record(z.string(), z.string()) })) },
      },
    },
    async () => examples(),
  );

  // A known endpoint asked with another method: 405 with the methods it takes, not "no such endpoint".
  for (const [url, allowed] of methods) {
    const allow = [...allowed].sort().join(", ");
    app.route({
      method: ["GET", "POST", "PUT", "DELETE", "PATCH"].filter((m) => !allowed.has(m)),
      url,
      schema: { hide: true },
      handler: async (req, reply) =>
        reply
          .code(405)
          .header("allow", allow)
          .send({ error: `${req.method} ${url} is not allowed; it takes ${allow}` }),
    });
  }
}

/** The objectives a stored sweep definition names (`objectives: { minimize, maximize }`). */
function sweepObjectives(spec: unknown): { metric: string; sense: "minimize" | "maximize" }[] {
  const o = (spec as { objectives?: Record<string, unknown> } | null)?.objectives ?? {};
  const list = (v: unknown) =>
    (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((m) => metricName(String(m)));
  return [
    ...list(o.minimize).map((metric) => ({ metric, sense: "minimize" as const })),
    ...list(o.maximize).map((metric) => ({ metric, sense: "maximize" as const })),
  ];
}
