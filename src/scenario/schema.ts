/**
 * The raw scenario document (SCENARIO-v1): zod schema of what a YAML/JSON file may hold. Objects are strict
 * (unknown keys are errors); quantities are parsed to SI numbers here, so a unit error carries the path of
 * its value. Defaults, catalog look-ups and cross-field checks happen in normalize.ts, not here.
 */
import { z } from "zod";
import { COUNT_LIMITS } from "../limits.js";
import { count, num, quantity, ranged, text } from "./fields.js";
import { managerSection } from "./manager.js";

export const GROUP_KINDS = ["accelerator", "memory", "storage", "host"] as const;
export const SCALE_OUT_TOPOLOGIES = ["fat-tree", "rail-optimized", "rail-only", "single-switch"] as const;
export const LOAD_BALANCING = ["ecmp", "spray", "adaptive"] as const;
export const CONGESTION_CONTROL = ["dcqcn", "nscc", "rccc", "nscc+rccc", "none"] as const;
export const FIDELITIES = ["analytical", "flow", "packet"] as const;
export const SHARINGS = ["max-min", "by-path"] as const;
export const COLLECTIVE_OPS = [
  "all-reduce",
  "all-gather",
  "reduce-scatter",
  "all-to-all",
  "broadcast",
  "reduce",
  "send-recv",
] as const;
export const COLLECTIVE_ALGORITHMS = [
  "auto",
  "ring",
  "tree",
  "halving-doubling",
  "direct",
  "hierarchical",
  "in-network",
] as const;
export const PRECISIONS = ["bf16", "fp8"] as const;
const SERVING_PRECISIONS = [...PRECISIONS, "nvfp4", "mxfp4"] as const;
export const RECOMPUTE = ["none", "selective", "full"] as const;
export const TRAFFIC_PATTERNS = ["permutation", "incast", "all-to-all", "file"] as const;
export const FAILURE_TIERS = ["scaleUp", "leaf", "spine", "core"] as const;
export const SCALE_UP_TOPOLOGIES = ["switch", "mesh", "ring"] as const;

const inlineScaleUp = z.strictObject({
  id: text.optional(),
  bandwidth: quantity("bandwidth", "positive", "bandwidth").optional(),
  latency: quantity("time", "nonNegative", "latency").optional(),
  topology: z.enum(SCALE_UP_TOPOLOGIES).optional(),
  domain: count("domain").optional(),
  inNetworkReduction: z.boolean().optional(),
});

const group = z.strictObject({
  name: text,
  kind: z.enum(GROUP_KINDS).optional(),
  nodes: count("nodes"),
  accelerator: text.optional(),
  acceleratorsPerNode: count("acceleratorsPerNode").optional(),
  scaleUp: z
    .union([text, inlineScaleUp], {
      error:
        "expected a scale-up catalog id (such as nvlink4) or an inline object { bandwidth, latency, topology, domain }",
    })
    .optional(),
  nics: z
    .strictObject({
      count: count("nicCount").optional(),
      bandwidth: quantity("bandwidth", "positive", "bandwidth").optional(),
    })
    .optional(),
  capacity: quantity("size", "positive", "capacity").optional(),
  mediaBandwidth: quantity("bandwidth", "positive", "bandwidth").optional(),
});

const inlineSwitch = z.strictObject({
  id: text.optional(),
  radix: count("radix").optional(),
  portBandwidth: quantity("bandwidth", "positive", "bandwidth").optional(),
  latency: quantity("time", "nonNegative", "latency").optional(),
  buffer: quantity("size", "nonNegative", "buffer").optional(),
  powerW: num("powerW").optional(),
  priceUsd: num("priceUsd").optional(),
  inNetworkReduction: z.boolean().optional(),
});

const scaleOut = z.strictObject({
  topology: z.enum(SCALE_OUT_TOPOLOGIES).optional(),
  tiers: z
    .union([z.literal(1), z.literal(2), z.literal(3), z.literal("auto")], {
      error: "expected 1, 2, 3 or auto",
    })
    .optional(),
  switch: z
    .union([text, inlineSwitch], {
      error:
        "expected a switch catalog id (such as QM9700) or an inline object { radix, portBandwidth, latency, buffer }",
    })
    .optional(),
  oversubscription: z
    .union(
      [
        num("oversubscription"),
        z.strictObject({
          leaf: num("oversubscription").optional(),
          spine: num("oversubscription").optional(),
        }),
      ],
      {
        error: "expected a down:up ratio such as 1 or 3 (leaf only), or { leaf, spine }",
      },
    )
    .optional(),
  linkLatency: quantity("time", "nonNegative", "latency").optional(),
  planes: count("planes").optional(),
  inNetworkReduction: z.boolean().optional(),
});

const transport = z.strictObject({
  loadBalancing: z.enum(LOAD_BALANCING).optional(),
  congestionControl: z.enum(CONGESTION_CONTROL).optional(),
  mtu: quantity("size", "positive", "mtu").optional(),
  ecn: z
    .strictObject({
      min: quantity("size", "nonNegative", "buffer"),
      max: quantity("size", "nonNegative", "buffer"),
    })
    .optional(),
  trimming: z.boolean().optional(),
  pfc: z.boolean().optional(),
});

const cluster = z.strictObject({
  groups: z.array(group).min(1),
  scaleOut: scaleOut.optional(),
  transport: transport.optional(),
});

const collective = z.strictObject({
  op: z.enum(COLLECTIVE_OPS),
  sizes: z
    .array(quantity("size", "positive", "size"))
    .min(1)
    .max(COUNT_LIMITS.sweepSizes.max),
  factor: num("sweepFactor").optional(),
  algorithm: z.enum(COLLECTIVE_ALGORITHMS).optional(),
  ranks: z
    .union([text, count("ranks")], { error: "expected all, a group name, or a number of accelerators" })
    .optional(),
});

const moe = z.strictObject({
  experts: count("experts"),
  topK: count("experts"),
  expertFfnHidden: count("hidden"),
  sharedExperts: ranged(z.number().int(), { ...COUNT_LIMITS.experts, min: 0 }).optional(),
  denseLayers: ranged(z.number().int(), { ...COUNT_LIMITS.layers, min: 0 }).optional(),
  groups: count("experts").optional(),
  groupsPerToken: count("experts").optional(),
});

const modelObject = z.strictObject({
  preset: text.optional(),
  name: text.optional(),
  layers: count("layers").optional(),
  hidden: count("hidden").optional(),
  heads: count("heads").optional(),
  kvHeads: count("heads").optional(),
  headDim: count("headDim").optional(),
  ffnHidden: count("hidden").optional(),
  gatedMlp: z.boolean().optional(),
  vocab: count("vocab").optional(),
  seqLength: count("seqLength").optional(),
  moe: moe.optional(),
  mla: z
    .strictObject({ kvLoraRank: count("loraRank"), qLoraRank: count("loraRank"), ropeDim: count("headDim") })
    .optional(),
});

const model = z.union([text, modelObject], {
  error:
    "expected a model preset name (such as llama3-70b) or a model object { layers, hidden, heads, vocab, ... }",
});

const parallelism = z.strictObject({
  tp: count("parallel").optional(),
  pp: count("parallel").optional(),
  dp: count("parallel").optional(),
  ep: count("parallel").optional(),
  etp: count("parallel").optional(),
  cp: count("parallel").optional(),
  vpp: count("parallel").optional(),
  zero: z.number().int().min(0).max(3).optional(),
  sequenceParallel: z.boolean().optional(),
});

const training = z.strictObject({
  model,
  parallelism: parallelism.optional(),
  microBatch: count("microBatch").optional(),
  globalBatch: count("globalBatch"),
  precision: z.enum(PRECISIONS).optional(),
  recompute: z.enum(RECOMPUTE).optional(),
  attention: z.enum(["flash", "unfused"]).optional(),
  schedule: z.enum(["1f1b", "dualpipe"]).optional(),
  seqLength: count("seqLength").optional(),
  group: text.optional(),
});

const tokens = count("tokens");
const length = z.union(
  [
    tokens,
    z.discriminatedUnion("dist", [
      z.strictObject({ dist: z.literal("fixed"), value: tokens }),
      z.strictObject({ dist: z.literal("uniform"), min: tokens, max: tokens }),
      z.strictObject({
        dist: z.literal("lognormal"),
        mean: ranged(z.number(), COUNT_LIMITS.tokens),
        sigma: num("lognormalSigma"),
      }),
    ]),
  ],
  {
    error:
      "expected a token count such as 2048, or { dist: fixed, value } | { dist: uniform, min, max } | { dist: lognormal, mean, sigma }",
  },
);

const pool = z.strictObject({
  group: text.optional(),
  tp: count("parallel").optional(),
  ep: count("parallel").optional(),
  dp: count("parallel").optional(),
  instances: count("instances").optional(),
  maxBatch: count("maxBatch").optional(),
  overlap: z.enum(["none", "two-batch"]).optional(),
  prefillTokens: count("tokens").optional(),
  epKernels: z.enum(["nccl", "deepep"]).optional(),
  redundantExperts: ranged(z.number().int(), { ...COUNT_LIMITS.experts, min: 0 }).optional(),
  expertImbalance: num("expertImbalance").optional(),
});

const inference = z.strictObject({
  model,
  prefill: pool,
  decode: pool.optional(),
  requests: z.strictObject({
    rate: quantity("rate", "positive", "rate").optional(),
    count: count("requests").optional(),
    promptTokens: length.optional(),
    outputTokens: length.optional(),
    seed: count("seed").optional(),
    trace: text.optional(),
  }),
  kvCache: z
    .strictObject({
      offload: text.optional(),
      transfer: z.enum(["whole", "layerwise"]).optional(),
      prefixHitRate: quantity("percent", "fraction").optional(),
    })
    .optional(),
  slo: z
    .strictObject({
      ttft: quantity("time", "positive", "slo").optional(),
      tpot: quantity("time", "positive", "slo").optional(),
    })
    .optional(),
  precision: z.enum(SERVING_PRECISIONS).optional(),
  kvPrecision: z.enum(PRECISIONS).optional(),
});

const traffic = z.strictObject({
  pattern: z.enum(TRAFFIC_PATTERNS),
  size: quantity("size", "positive", "size").optional(),
  senders: count("senders").optional(),
  file: text.optional(),
});

const workload = z.strictObject({
  collective: collective.optional(),
  training: training.optional(),
  inference: inference.optional(),
  traffic: traffic.optional(),
});

const job = z.strictObject({
  name: text,
  placement: z.union(
    [z.literal("auto"), z.strictObject({ group: text }), z.strictObject({ nodes: z.array(text).min(1) })],
    { error: "expected auto, { group: <name> } or { nodes: [<node>, …] }" },
  ),
  accelerators: count("ranks").optional(),
  start: quantity("time", "nonNegative").optional(),
  steps: count("steps").optional(),
  compute: quantity("time", "nonNegative").optional(),
  collective: collective.optional(),
  training: training.optional(),
  inference: inference.optional(),
  traffic: traffic.optional(),
});

const failure = z.strictObject({
  at: quantity("time", "nonNegative", "time"),
  link: z
    .union([text, z.strictObject({ tier: z.enum(FAILURE_TIERS), count: count("failedLinks") })], {
      error: "expected a link name such as leaf-0:up-1, or { tier, count }",
    })
    .optional(),
  switch: text.optional(),
  degrade: quantity("percent", "fraction").optional(),
});

export const scenarioSchema = z.strictObject({
  name: text,
  cluster,
  workload: workload.optional(),
  jobs: z.array(job).optional(),
  simulation: z
    .strictObject({
      fidelity: z.enum(FIDELITIES).optional(),
      sharing: z.enum(SHARINGS).optional(),
      seed: count("seed").optional(),
      failureDetection: quantity("time", "nonNegative", "time").optional(),
    })
    .optional(),
  failures: z.array(failure).optional(),
  prices: z.strictObject({ acceleratorHour: num("acceleratorHour").optional() }).optional(),
  manager: managerSection.optional(),
  // Checked field by field by mergeCatalog, which knows the catalog's shape.
  hardware: z.unknown().optional(),
});

export type RawScenario = z.output<typeof scenarioSchema>;
export type RawGroup = z.output<typeof group>;
export type RawScaleOut = z.output<typeof scaleOut>;
export type RawTransport = z.output<typeof transport>;
export type RawWorkload = z.output<typeof workload>;
export type RawCollective = z.output<typeof collective>;
export type RawTraining = z.output<typeof training>;
export type RawInference = z.output<typeof inference>;
export type RawPool = z.output<typeof pool>;
export type RawLength = z.output<typeof length>;
export type RawTraffic = z.output<typeof traffic>;
export type RawFailure = z.output<typeof failure>;
export type RawJob = z.output<typeof job>;
export type RawModel = z.output<typeof model>;
