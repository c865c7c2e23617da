/**
 * A benchmark case: a fixed workload that reports what it did, so the runner can print rates.
 * Each case lives in bench/cases/<name>.bench.ts and default-exports a BenchCase. The runner times `run`
 * in its own process (so peak memory is the case's own) and prints wall time, rates and peak RSS.
 */
export interface BenchFigures {
  /** Simulated flows (flow engine) or transfers. */
  flows?: number;
  /** Discrete events processed. */
  events?: number;
  /** Packets simulated (packet engine). */
  packets?: number;
  /** Requests simulated (inference). */
  requests?: number;
  /** The simulated result worth printing next to the speed (e.g. a collective's time), seconds. */
  simulatedS?: number;
  /** Anything else worth printing, as label → number. */
  extra?: Record<string, number>;
  /**
   * The time the speed target applies to, when a case times something other than its own `run` (the
   * median start-up of several spawned processes); without it the target applies to the wall time.
   */
  timedS?: number;
}

export interface BenchCase {
  name: string;
  /** One line: what runs. */
  description: string;
  /** The speed target, seconds of wall time, if the project has one. */
  targetS?: number;
  /** Also run with `--quick` (the CI smoke run): keep such cases or their quick variant small. */
  quick: boolean;
  /** Runs the workload once. `quick` asks for a smaller variant where the case has one. */
  run(options: { quick: boolean }): Promise<BenchFigures> | BenchFigures;
  /**
   * Runs before the timed run, outside its wall time: builds inputs the case does not measure (benchmarked
   * by their own cases) and warms the JIT up, as benchmark harnesses run warm-up iterations.
   */
  prepare?(options: { quick: boolean }): Promise<void> | void;
  /**
   * Runs after the timed run and outside its wall time and peak memory: a peer tool on the same workload,
   * for a side-by-side figure. What it returns joins the case's `extra` figures.
   */
  /** Runs last, outside every figure: closes what `prepare` opened (servers, browsers) so the process ends. */
  cleanup?(): Promise<void> | void;
  compare?(options: {
    quick: boolean;
    wallS: number;
  }): Promise<Record<string, number>> | Record<string, number>;
}
