/**
 * The busiest expert-parallel rank's load over the mean: the straggler factor that sets an MoE layer's
 * expert compute and the all-to-all's receive side (the other ranks wait for it).
 *
 *   γ = imbalance · (1 + z(n) · √((1 − 1/n) / μ)),   at most n
 *
 * `imbalance` is what expert popularity leaves after placement (1: evenly placed, as SGLang's "simulated
 * perfect EPLB" routes; the pools' default is what EPLB leaves, EPLB_IMBALANCE in
 * src/scenario/inference.ts). The second factor is sampling: a step's μ token-expert pairs per rank land
 * on the n ranks like a multinomial draw (each rank's count has mean μ and standard deviation
 * √(μ(1 − 1/n))), and z(n) is the expected largest of n standard normal draws. So small batches and wide
 * expert parallelism are less even, as SGLang's EPLB study finds ("as the number of GPUs increases, the
 * imbalance gets more severe"; "larger batches reduce random fluctuations"). Source and the figures:
 * docs/inference-model.md.
 */
import { normalCdf } from "../prng.js";

const maxOfNormals = new Map<number, number>();

/** Expected largest of n independent standard normal draws: ∫₀^∞ (1 − Φⁿ) − ∫_{−∞}^0 Φⁿ, numerically. */
export function expectedMaxNormal(n: number): number {
  if (n <= 1) return 0;
  const known = maxOfNormals.get(n);
  if (known !== undefined) return known;
  const step = 0.005;
  let sum = 0;
  for (let x = -10 + step / 2; x < 10; x += step) {
    const cdfN = normalCdf(x) ** n;
    sum += x >= 0 ? 1 - cdfN : -cdfN;
  }
  const value = sum * step;
  maxOfNormals.set(n, value);
  return value;
}

/** γ for `pairsPerRank` token-expert pairs on each of `ranks` expert-parallel ranks (mean load μ). */
export function expertLoadFactor(ranks: number, pairsPerRank: number, imbalance = 1): number {
  if (ranks <= 1 || pairsPerRank <= 0) return 1;
  const sampling = 1 + expectedMaxNormal(ranks) * Math.sqrt((1 - 1 / ranks) / pairsPerRank);
  return Math.min(ranks, Math.max(1, imbalance * sampling));
}
