/**
 * Token-length distributions of prompts and outputs. Lognormal takes the mean of the token count itself
 * (not of its logarithm) and the standard deviation σ of ln(length): μ = ln(mean) − σ²/2, so the sample
 * mean converges to `mean` whatever σ is. Every sample is rounded to a whole number of tokens, at least 1.
 */
import { COUNT_LIMITS } from "../../limits.js";
import { nextNormal, nextUnit, type Prng } from "../../prng.js";
import type { LengthDistribution } from "../../scenario/types.js";

export function sampleLength(d: LengthDistribution, p: Prng): number {
  switch (d.kind) {
    case "fixed":
      return atLeastOne(d.value);
    case "uniform":
      // Whole numbers min..max inclusive, each equally likely.
      return atLeastOne(Math.floor(d.min + nextUnit(p) * (Math.floor(d.max) - Math.floor(d.min) + 1)));
    case "lognormal": {
      const mu = Math.log(d.mean) - (d.sigma * d.sigma) / 2;
      return atLeastOne(Math.exp(mu + d.sigma * nextNormal(p)));
    }
  }
}

/** The distribution's mean in tokens (before rounding), for capacity estimates and reports. */
export function meanLength(d: LengthDistribution): number {
  switch (d.kind) {
    case "fixed":
      return d.value;
    case "uniform":
      return (d.min + d.max) / 2;
    case "lognormal":
      return d.mean;
  }
}

/** A drawn length is a whole number of tokens from 1 to the scenario's token limit (a lognormal tail is unbounded). */
function atLeastOne(x: number): number {
  const n = Math.round(x);
  return Math.min(Math.max(n, 1), COUNT_LIMITS.tokens.max);
}
