/**
 * An optional record of every rate the flow engine assigns: (step, time, flow, rate) rows, one per flow of
 * each recomputed component. A flow keeps its rate until its next row (or its end), so Σ rate × duration over
 * its rows is the bytes it moved; tests check fairness and conservation on it.
 */

export interface RateTrace {
  count: number;
  /** Index of the rate computation (0 = the first). */
  step: Int32Array;
  time: Float64Array;
  flow: Int32Array;
  rate: Float64Array;
}

export function makeRateTrace(capacity: number): RateTrace {
  const cap = Math.max(16, capacity);
  return {
    count: 0,
    step: new Int32Array(cap),
    time: new Float64Array(cap),
    flow: new Int32Array(cap),
    rate: new Float64Array(cap),
  };
}

export function recordRate(t: RateTrace, step: number, time: number, flow: number, rate: number): void {
  if (t.count === t.step.length) grow(t);
  const i = t.count++;
  t.step[i] = step;
  t.time[i] = time;
  t.flow[i] = flow;
  t.rate[i] = rate;
}

/** The trace trimmed to its rows (views, no copy). */
export function trimmedTrace(t: RateTrace): RateTrace {
  return {
    count: t.count,
    step: t.step.subarray(0, t.count),
    time: t.time.subarray(0, t.count),
    flow: t.flow.subarray(0, t.count),
    rate: t.rate.subarray(0, t.count),
  };
}

function grow(t: RateTrace): void {
  const cap = t.step.length * 2;
  const step = new Int32Array(cap);
  step.set(t.step);
  const time = new Float64Array(cap);
  time.set(t.time);
  const flow = new Int32Array(cap);
  flow.set(t.flow);
  const rate = new Float64Array(cap);
  rate.set(t.rate);
  t.step = step;
  t.time = time;
  t.flow = flow;
  t.rate = rate;
}
