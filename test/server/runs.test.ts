// Runs at their limits: stopped at the time limit with a clear error, refused past the per-client limit,
// and kept in the store across a restart of the server.
import { describe, expect, it } from "vitest";
import { AUTH, example, runToEnd, tempStore, testServer } from "./helpers.js";

// The quickstart's all-reduce sweep packet by packet: billions of packets, far past any limit here.
const LONG = example("quickstart").replace("fidelity: flow", "fidelity: packet");
// A few milliseconds of work.
const SHORT = example("quickstart")
  .replace("sizes: [1MiB, 4GiB]", "sizes: [1MiB, 1MiB]")
  .replace("fidelity: flow", "fidelity: analytical");

describe("run limits", () => {
  it("a run past its time limit is stopped with a clear error, and the server goes on", async () => {
    const app = await testServer({ runner: { threads: 1, timeLimitS: 3, perClient: 4 } });
    try {
      const { run } = await runToEnd(app, LONG);
      expect(run.state).toBe("failed");
      expect(String(run.error)).toMatch(/stopped at the time limit of 3 s/);
      // Stopped at the limit, counted from when its thread began (not from the queue or the thread's start-up).
      expect(run.wallS).toBeGreaterThanOrEqual(3);
      expect(run.wallS).toBeLessThan(8);
      // The pool replaced the stopped thread: the next run completes.
      const next = await runToEnd(app, SHORT);
      expect(next.run.error).toBeNull();
      expect(next.run.state).toBe("done");
    } finally {
      await app.close();
    }
  });

  it("a client past its concurrency limit gets 429", async () => {
    const app = await testServer({ runner: { threads: 1, timeLimitS: 1, perClient: 2 } });
    try {
      const start = () =>
        app.inject({ method: "POST", url: "/api/runs", headers: AUTH, payload: { scenario: LONG } });
      expect((await start()).statusCode).toBe(202);
      expect((await start()).statusCode).toBe(202);
      const third = await start();
      expect(third.statusCode).toBe(429);
      expect(third.json().error).toMatch(/already has 2 runs/);
    } finally {
      await app.close();
    }
  });
});

describe("what a run tells its client", () => {
  it("a run that fails on an uploaded file names the file, never the server's private folder", async () => {
    const app = await testServer({ runner: { threads: 1, timeLimitS: 30, perClient: 4 } });
    try {
      const scenario = example("htsim-default-one").replace("../data/htsim/one.cm", "one.cm");
      const { run } = await runToEnd(app, scenario, { "one.cm": "garbage line here\n" });
      expect(run.state).toBe("failed");
      expect(String(run.error)).toMatch(/^one\.cm:1:1: /);
      expect(String(run.error)).not.toMatch(/weft-serve-/);
    } finally {
      await app.close();
    }
  });

  it("the list shows a run as running while it runs; a shutdown fails it with the reason", async () => {
    const store = tempStore();
    const app = await testServer({ store, runner: { threads: 1, timeLimitS: 60, perClient: 4 } });
    const started = await app.inject({
      method: "POST",
      url: "/api/runs",
      headers: AUTH,
      payload: { scenario: LONG },
    });
    const { id } = started.json();
    const state = async () =>
      (await app.inject({ method: "GET", url: "/api/runs", headers: AUTH }))
        .json()
        .find((r: { id: string }) => r.id === id)?.state;
    for (let i = 0; i < 100 && (await state()) !== "running"; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await state()).toBe("running");
    await app.close();
    const again = await testServer({ store });
    try {
      const run = (await again.inject({ method: "GET", url: `/api/runs/${id}`, headers: AUTH })).json();
      expect(run).toMatchObject({ state: "failed", error: "the server stopped before the run finished" });
    } finally {
      await again.close();
    }
  });
});

describe("the store", () => {
  it("a restart loses no run", async () => {
    const store = tempStore();
    const first = await testServer({ store });
    const { run } = await runToEnd(first, example("quickstart"));
    await first.close();
    const second = await testServer({ store });
    try {
      const again = await second.inject({ method: "GET", url: `/api/runs/${run.id}`, headers: AUTH });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ id: run.id, state: "done", results: run.results });
      const list = await second.inject({ method: "GET", url: "/api/runs", headers: AUTH });
      expect(list.json().map((r: { id: string }) => r.id)).toContain(run.id);
      // The run is also a design point of the results store, with its metrics.
      const { openStore } = await import("../../src/store/store.js");
      await second.close();
      const s = await openStore(store, { readOnly: true });
      const points = await s.query("SELECT name, kind, metrics->>'peakBusbwGBps' AS x, metrics FROM points");
      s.close();
      expect(points).toHaveLength(1);
      expect(points[0]).toMatchObject({ name: run.name, kind: "collective" });
    } finally {
      await second.close().catch(() => undefined);
    }
  });
});
