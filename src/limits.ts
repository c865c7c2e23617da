/**
 * The ranges a scenario's numbers may take: what real systems have, with room to spare, and never so much
 * that a count overflows a typed array or a loop runs without end. Each range says why, and the schema
 * quotes it when a value falls outside. docs/scenarios.md ("Limits") lists the same table.
 */

export interface Limit {
  min: number;
  max: number;
  /** Why the range is what it is, in a few words for the error message. */
  why: string;
}

/** Marks a schema message that carries a limit and its reason (see issues.ts). */
export const WHY = "limit:";

const limit = (min: number, max: number, why: string): Limit => ({ min, max, why });

/** Counts (whole numbers). */
export const COUNT_LIMITS = {
  nodes: limit(1, 1_048_576, "2^20 nodes; the largest clusters planned have about 10^5 servers"),
  acceleratorsPerNode: limit(1, 1024, "a node or tray holds at most a scale-up pod, 1,024 in UALink"),
  nicCount: limit(1, 64, "servers carry at most 8–16 scale-out NICs"),
  domain: limit(1, 4096, "scale-up domains reach 576 accelerators in NVLink 5 and 1,024 in UALink"),
  radix: limit(2, 2048, "switch ASICs have at most 512 ports, such as 512 × 200G"),
  planes: limit(1, 64, "multi-plane fabrics use 2–8 planes"),
  ranks: limit(1, 16_777_216, "2^24 accelerators"),
  layers: limit(1, 4096, "published models have at most a few hundred layers"),
  hidden: limit(1, 1_048_576, "published models have a hidden size of at most 2^15"),
  heads: limit(1, 65_536, "published models have at most a few hundred heads"),
  headDim: limit(1, 4096, "attention heads are 64–256 wide"),
  vocab: limit(1, 16_777_216, "vocabularies have at most a few hundred thousand tokens"),
  seqLength: limit(1, 16_777_216, "2^24 tokens; the longest contexts are about 10^7"),
  experts: limit(1, 65_536, "MoE models have at most a few hundred experts"),
  loraRank: limit(1, 65_536, "MLA ranks are 512–1,536"),
  parallel: limit(1, 16_777_216, "a parallel degree cannot exceed the accelerators, 2^24 at most"),
  microBatch: limit(1, 65_536, "micro-batches are 1 to a few dozen sequences"),
  globalBatch: limit(1, 4_194_304, "2^22 sequences; the largest published batches are about 10^4"),
  instances: limit(1, 1_048_576, "a pool cannot have more instances than accelerators"),
  maxBatch: limit(1, 1_048_576, "a batch of at most 2^20 requests; memory bounds it far lower"),
  requests: limit(1, 1_000_000, "a serving simulation of at most a million requests"),
  tokens: limit(1, 16_777_216, "2^24 tokens; the longest contexts are about 10^7"),
  senders: limit(1, 16_777_216, "2^24 endpoints"),
  failedLinks: limit(1, 1_000_000, "at most a million failed links"),
  seed: limit(0, 4_294_967_295, "a 32-bit seed"),
  sweepSizes: limit(1, 256, "a size sweep of at most 256 sizes"),
  steps: limit(1, 1_000_000, "at most a million training steps in one job"),
} satisfies Record<string, Limit>;

/** Quantities, in SI base units. */
export const QUANTITY_LIMITS = {
  bandwidth: limit(1e6 / 8, 1e15, "from 1 Mbps to 1 PB/s; links today run 1 Gbps to 1.6 Tbps per port"),
  latency: limit(0, 1, "at most 1 s; a cable or a switch adds nanoseconds to microseconds"),
  time: limit(0, 86_400, "at most a day of simulated time"),
  size: limit(1, 2 ** 50, "from 1 B to 1 PiB"),
  buffer: limit(0, 2 ** 36, "at most 64 GiB per port; the deepest-buffered switches have a few GiB"),
  mtu: limit(64, 65_536, "an MTU of 64 B to 64 KiB"),
  capacity: limit(1, 2 ** 60, "at most 1 EiB"),
  rate: limit(1e-3, 1e7, "from one request per 1,000 s to ten million per second"),
  slo: limit(1e-9, 3600, "from 1 ns to an hour"),
} satisfies Record<string, Limit>;

/** Plain (unitless) numbers. */
export const NUMBER_LIMITS = {
  oversubscription: limit(1 / 64, 64, "down:up ratios from 1:64 to 64:1"),
  sweepFactor: limit(1.01, 1024, "a size sweep factor from 1.01 to 1,024"),
  lognormalSigma: limit(0, 4, "a lognormal sigma of at most 4"),
  expertImbalance: limit(1, 64, "the busiest expert rank carries from 1 to 64 times the mean load"),
  powerW: limit(0, 1e6, "at most 1 MW per device"),
  priceUsd: limit(0, 1e9, "at most $1 billion per device"),
  acceleratorHour: limit(0, 10_000, "at most $10,000 per accelerator-hour"),
} satisfies Record<string, Limit>;

/** Bytes in a scenario file, or in a file that a scenario names (traffic matrix, request trace). */
export const MAX_FILE_BYTES = 64 * 2 ** 20;
/** YAML aliases expanded while reading a scenario; a "billion laughs" file needs many more. */
export const MAX_ALIASES = 100;
/** Nesting of mappings and lists; real scenarios nest about 6 deep. */
export const MAX_DEPTH = 64;
