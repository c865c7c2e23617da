import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dominates, paretoFrontier, rankPoints } from "../../src/sweep/objectives.js";
import { gridPoint, gridSize, samplePoints } from "../../src/sweep/sample.js";
import type { Axis } from "../../src/sweep/spec.js";

const vectors = fc.array(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 2, maxLength: 2 }), {
  maxLength: 60,
});

describe("Pareto frontier", () => {
  it("keeps exactly the points no other point dominates", () => {
    fc.assert(
      fc.property(vectors, (rows) => {
        const frontier = new Set(paretoFrontier(rows, (r) => r));
        for (const r of rows) {
          const dominated = rows.some((o) => dominates(o, r));
          expect(frontier.has(r)).toBe(!dominated);
        }
      }),
    );
  });

  it("negates maximized metrics and finds the best point per objective", () => {
    const rows = [
      { cost: 3, speed: 9 },
      { cost: 1, speed: 2 },
      { cost: 2, speed: 9 },
      { cost: 5, speed: 1 },
    ];
    const r = rankPoints(
      rows,
      [
        { metric: "cost", sense: "minimize" },
        { metric: "speed", sense: "maximize" },
      ],
      (row, m) => row[m as "cost" | "speed"],
    );
    // speed 9 ties: the cheaper of the two (rows[2]) is best, not the first met.
    expect(r.best.map((b) => b.point)).toEqual([rows[1], rows[2]]);
    expect(r.frontier).toEqual([rows[1], rows[2]]);
  });

  it("an objective no point has is left out of the frontier, which the others still define", () => {
    const rows = [
      { cost: 1, speed: 1 },
      { cost: 2, speed: 3 },
      { cost: 3, speed: 2 },
    ];
    const r = rankPoints(
      rows,
      [
        { metric: "cost", sense: "minimize" },
        { metric: "speed", sense: "maximize" },
        { metric: "goodputPerDollar", sense: "maximize" },
      ],
      (row, m) => (row as Record<string, number>)[m],
    );
    expect(r.best[2].point).toBeUndefined();
    expect(r.frontier).toEqual([rows[0], rows[1]]);
  });

  it("the best point of every objective is on the frontier, ties or not", () => {
    fc.assert(
      fc.property(vectors, (rows) => {
        const objectives = [
          { metric: "0", sense: "minimize" as const },
          { metric: "1", sense: "minimize" as const },
        ];
        const r = rankPoints(rows, objectives, (row, m) => row[Number(m)]);
        const frontier = new Set(r.frontier);
        for (const b of r.best) if (b.point) expect(frontier.has(b.point)).toBe(true);
      }),
    );
  });
});

const axes = (sizes: number[]): Axis[] =>
  sizes.map((n, i) => ({
    path: `a${i}`,
    segments: [`a${i}`],
    values: Array.from({ length: n }, (_, k) => k),
  }));

describe("sampling", () => {
  it("the grid visits every combination once, the last axis fastest", () => {
    const a = axes([2, 3, 2]);
    const seen = samplePoints(a, { kind: "grid" }).map((i) => gridPoint(a, i).join(","));
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    expect(seen.slice(0, 3)).toEqual(["0,0,0", "0,0,1", "0,1,0"]);
  });

  it("random sampling draws distinct points, the same for the same seed", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer(),
        (sizes, count, seed) => {
          const a = axes(sizes);
          const pts = samplePoints(a, { kind: "random", count, seed });
          expect(pts).toHaveLength(Math.min(count, gridSize(a)));
          expect(new Set(pts).size).toBe(pts.length);
          for (const p of pts) expect(p).toBeLessThan(gridSize(a));
          expect(samplePoints(a, { kind: "random", count, seed })).toEqual(pts);
        },
      ),
    );
  });
});
