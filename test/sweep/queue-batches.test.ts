// How the queue executor batches points into jobs: cheap analytical points travel together, long ones alone.
import { describe, expect, it } from "vitest";
import { batchTasks } from "../../src/sweep/queue.js";
import type { PointTask } from "../../src/sweep/run-sweep.js";

const task = (i: number, fidelity: string): PointTask => ({
  hash: `h${i}`,
  doc: { name: `p${i}`, simulation: { fidelity } },
});

describe("queue batches", () => {
  it("batches analytical points (at least 32 jobs, at most 16 points each), every point once", () => {
    for (const n of [1, 31, 40, 200, 2000]) {
      const tasks = Array.from({ length: n }, (_, i) => task(i, "analytical"));
      const batches = batchTasks(tasks);
      expect(batches.flat().map((t) => t.hash)).toEqual(tasks.map((t) => t.hash));
      expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(16);
      expect(batches.length).toBeGreaterThanOrEqual(Math.min(n, 32));
    }
    expect(batchTasks(Array.from({ length: 200 }, (_, i) => task(i, "analytical"))).length).toBe(34);
  });

  it("puts flow and packet points one per job", () => {
    const tasks = [...Array.from({ length: 40 }, (_, i) => task(i, "flow")), task(99, "packet")];
    const batches = batchTasks(tasks);
    expect(batches.every((b) => b.length === 1)).toBe(true);
    expect(batches.length).toBe(41);
  });
});
