/**
 * The request stream: arrival time, prompt and output tokens per request, in typed arrays sorted by
 * arrival. Either Poisson arrivals at `rate` (exponential gaps) with lengths drawn from the scenario's
 * distributions, or the rows of a CSV trace. Seeded: the same seed gives the same stream.
 *
 * Draws are taken in a fixed order (gap, prompt, output for each request in turn).
 */
import { WeftError } from "../../errors.js";
import { makePrng, nextExponential } from "../../prng.js";
import type { TraceRows } from "../../scenario/request-trace.js";
import type { InferenceWorkload } from "../../scenario/types.js";
import { sampleLength } from "./lengths.js";

export interface RequestTable {
  count: number;
  /** Seconds from the start of the run. */
  arrival: Float64Array;
  prompt: Int32Array;
  output: Int32Array;
}

export function makeRequests(req: InferenceWorkload["requests"], trace?: TraceRows): RequestTable {
  if (trace) {
    const n = req.count > 0 ? Math.min(req.count, trace.arrival.length) : trace.arrival.length;
    return {
      count: n,
      arrival: trace.arrival.slice(0, n),
      prompt: trace.prompt.slice(0, n),
      output: trace.output.slice(0, n),
    };
  }
  const rate = req.rate;
  if (!(rate !== undefined && rate > 0 && Number.isFinite(rate))) {
    throw new WeftError(
      `inference requests: rate must be a positive number of requests per second (e.g. 20/s), got ${rate}`,
    );
  }
  const n = req.count;
  if (!(Number.isInteger(n) && n >= 1)) {
    throw new WeftError(`inference requests: count must be a whole number >= 1, got ${n}`);
  }
  const p = makePrng(req.seed);
  const arrival = new Float64Array(n);
  const prompt = new Int32Array(n);
  const output = new Int32Array(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += nextExponential(p, rate);
    arrival[i] = t;
    prompt[i] = sampleLength(req.promptTokens, p);
    output[i] = sampleLength(req.outputTokens, p);
  }
  return { count: n, arrival, prompt, output };
}
