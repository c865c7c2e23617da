/**
 * Minimises a function of two bounded variables: the best point of a grid, then Nelder–Mead (reflection,
 * expansion, contraction, shrink) from a simplex around it, clamped to the bounds. Deterministic.
 */
export interface MinimizeOptions {
  /** Grid points per variable. */
  grid: [number, number];
  /** Nelder–Mead iterations. */
  iterations?: number;
}

type Point = [number, number];

export function minimize2(
  f: (x: number, y: number) => number,
  xr: [number, number],
  yr: [number, number],
  options: MinimizeOptions,
): Point {
  const clamp = (p: Point): Point => [
    Math.min(xr[1], Math.max(xr[0], p[0])),
    Math.min(yr[1], Math.max(yr[0], p[1])),
  ];
  const value = (p: Point) => f(p[0], p[1]);
  const [gx, gy] = options.grid;
  const dx = (xr[1] - xr[0]) / (gx - 1);
  const dy = (yr[1] - yr[0]) / (gy - 1);
  let start: Point = [xr[0], yr[0]];
  let startValue = Number.POSITIVE_INFINITY;
  for (let i = 0; i < gx; i++) {
    for (let j = 0; j < gy; j++) {
      const p: Point = [xr[0] + i * dx, yr[0] + j * dy];
      const v = value(p);
      if (v < startValue) {
        start = p;
        startValue = v;
      }
    }
  }
  let simplex: { p: Point; v: number }[] = [
    { p: start, v: startValue },
    ...[clamp([start[0] + dx / 2, start[1]]), clamp([start[0], start[1] + dy / 2])].map((p) => ({
      p,
      v: value(p),
    })),
  ];
  for (let it = 0; it < (options.iterations ?? 120); it++) {
    simplex.sort((a, b) => a.v - b.v);
    const [best, mid, worst] = simplex;
    const c: Point = [(best.p[0] + mid.p[0]) / 2, (best.p[1] + mid.p[1]) / 2];
    const along = (t: number): Point =>
      clamp([c[0] + t * (worst.p[0] - c[0]), c[1] + t * (worst.p[1] - c[1])]);
    const r = along(-1);
    const rv = value(r);
    if (rv < best.v) {
      const e = along(-2);
      const ev = value(e);
      simplex[2] = ev < rv ? { p: e, v: ev } : { p: r, v: rv };
    } else if (rv < mid.v) {
      simplex[2] = { p: r, v: rv };
    } else {
      const k = along(rv < worst.v ? -0.5 : 0.5);
      const kv = value(k);
      if (kv < Math.min(rv, worst.v)) simplex[2] = { p: k, v: kv };
      else {
        simplex = simplex.map((s, i) => {
          if (i === 0) return s;
          const p = clamp([(s.p[0] + best.p[0]) / 2, (s.p[1] + best.p[1]) / 2]);
          return { p, v: value(p) };
        });
      }
    }
  }
  simplex.sort((a, b) => a.v - b.v);
  return simplex[0].p;
}

/** Whether x ended at a bound of [lo, hi] (within 0.1% of the range): the optimum lies outside it. */
export function atBound(x: number, lo: number, hi: number): "lower" | "upper" | undefined {
  const tol = 1e-3 * (hi - lo);
  return x - lo <= tol ? "lower" : hi - x <= tol ? "upper" : undefined;
}
