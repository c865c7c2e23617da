/**
 * The API's request and response shapes, as zod schemas: fastify validates requests with them and
 * @fastify/swagger turns the same schemas into the OpenAPI document at /docs.
 */
import { z } from "zod";

/** Uploaded file contents by name (connection matrices, request traces): never a server path. */
export const uploadsSchema = z
  .record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/), z.string())
  .describe("files the scenario names (traffic `file`, inference `trace`), by plain file name → content");

export const scenarioInputSchema = z.object({
  scenario: z.string().min(1).describe("the scenario, YAML or JSON text"),
  files: uploadsSchema.optional(),
});
export type ScenarioInput = z.infer<typeof scenarioInputSchema>;

export const fabricInputSchema = scenarioInputSchema.extend({
  run: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/)
    .optional()
    .describe("a finished run of this scenario: each cable then carries its load in that run"),
});

export const problemSchema = z.object({
  error: z.string().describe("what is wrong and what was expected"),
  line: z.number().int().optional(),
  col: z.number().int().optional(),
});

export const validationSchema = z.object({
  ok: z.boolean(),
  name: z.string().optional(),
  warnings: z.array(z.string()),
  errors: z.array(problemSchema),
  scenario: z.unknown().optional().describe("the scenario with every default filled in"),
});

export const runStates = ["queued", "running", "done", "failed"] as const;
export const runStateSchema = z.enum(runStates);
export type RunState = z.infer<typeof runStateSchema>;

export const runSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  state: runStateSchema,
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  wallS: z.number().nullable(),
  error: z.string().nullable(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const runSchema = runSummarySchema.extend({
  scenario: z.string().describe("the scenario text the run was started with"),
  progress: z.object({ done: z.number(), total: z.number(), label: z.string().optional() }).nullable(),
  results: z.unknown().nullable().describe("the results, as `weft run --json` prints them"),
});
export type RunRecord = z.infer<typeof runSchema>;

export const runIdParams = z.object({ id: z.string().regex(/^[a-z0-9-]{1,64}$/) });

export const exampleSchema = z.object({ name: z.string(), title: z.string(), text: z.string() });

export const compareQuery = z.object({
  a: z.string().regex(/^[a-z0-9-]{1,64}$/),
  b: z.string().regex(/^[a-z0-9-]{1,64}$/),
});

export const sweepSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  points: z.number().describe("points the sweep defines"),
  done: z.number().describe("points the store holds"),
  createdAt: z.string(),
});

export const sweepSchema = z.object({
  id: z.string(),
  name: z.string(),
  spec: z.unknown(),
  objectives: z.array(z.object({ metric: z.string(), sense: z.enum(["minimize", "maximize"]) })),
  frontier: z.array(z.string()).describe("hashes of the Pareto-optimal points"),
  points: z.array(
    z.object({
      hash: z.string(),
      name: z.string(),
      kind: z.string(),
      status: z.enum(["ok", "error"]),
      reason: z.string().nullable(),
      inputs: z.record(z.string(), z.unknown()),
      metrics: z.record(z.string(), z.number()),
    }),
  ),
});
