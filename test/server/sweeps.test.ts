// Sweeps through the API: the store's sweeps, one sweep's points with its Pareto frontier, one point.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dominates } from "../../src/sweep/objectives.js";
import { AUTH, tempStore, testServer } from "./helpers.js";
import { SWEEP_ID, seedSweep } from "./seed-sweep.js";

let app: FastifyInstance;
beforeAll(async () => {
  const store = tempStore();
  await seedSweep(store);
  app = await testServer({ store });
});
afterAll(async () => {
  await app.close();
});

const get = (url: string) => app.inject({ method: "GET", url, headers: AUTH });

describe("sweeps", () => {
  it("are listed with their progress", async () => {
    const list = (await get("/api/sweeps")).json();
    expect(list).toEqual([expect.objectContaining({ id: SWEEP_ID, points: 6, done: 6 })]);
    // ISO 8601 in UTC, as a run's createdAt, and within a minute of now.
    expect(list[0].createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.abs(Date.parse(list[0].createdAt) - Date.now())).toBeLessThan(10 * 60_000);
  });

  it("a sweep's points carry their metrics; the frontier is exactly the non-dominated points", async () => {
    const sweep = (await get(`/api/sweeps/${SWEEP_ID}`)).json();
    expect(sweep.objectives).toEqual([
      { metric: "plan.costUsd", sense: "minimize" },
      { metric: "busbwGBps", sense: "maximize" },
    ]);
    expect(sweep.points).toHaveLength(6);
    const v = (p: { metrics: Record<string, number> }) => [p.metrics["plan.costUsd"], -p.metrics.busbwGBps];
    for (const p of sweep.points) {
      const dominated = sweep.points.some((q: typeof p) => dominates(v(q), v(p)));
      expect(sweep.frontier.includes(p.hash), p.name).toBe(!dominated);
    }
    expect(sweep.frontier.length).toBeGreaterThan(0);
  });

  it("a point opens with its results; unknown ones are 404", async () => {
    const sweep = (await get(`/api/sweeps/${SWEEP_ID}`)).json();
    const point = (await get(`/api/points/${sweep.frontier[0]}`)).json();
    expect(point.results.kind).toBe("collective");
    expect((await get(`/api/points/${"0".repeat(64)}`)).statusCode).toBe(404);
    expect((await get("/api/sweeps/nope")).statusCode).toBe(404);
  });
});
