/**
 * DeepEP-style expert-parallel dispatch and combine (deepseek-ai/DeepEP), in closed form, for an EP group of
 * n ranks in nodes of G accelerators (scale-up bandwidth B_up, scale-out B_out per accelerator), each rank
 * holding E/n of the E routed experts:
 *
 * - low-latency kernels (decode): every token-expert copy (topK per token) goes straight to its rank — over
 *   the scale-up fabric inside the node (NVLink-assisted kernels), over RDMA across nodes — both at once:
 *     t = t0 + max((1 − f)·S / (η_up·B_up), f·S / (η_out·B_out)),   f = (n − G)/n (uniform routing),
 *   f = 1 for kernels that send everything over RDMA; S = tokens · topK · hidden · bytes;
 * - normal kernels (training, prefill): a token goes once to each node its experts are on, over RDMA to the
 *   rank of the same local index there, which forwards it over the scale-up fabric once to each rank its
 *   experts are on. With R_node and R_rank the expected nodes and ranks one token reaches (uniform routing,
 *   group-limited where the model says so, `reached` below), per rank and call:
 *     RDMA bytes = tokens · R_node · (N − 1)/N · hidden · bytes   (the own node's share stays on NVLink)
 *     NVLink bytes = tokens · R_rank · hidden · bytes
 *     t = t0 + max(RDMA / (η_out·B_out), NVLink / (η_up·B_up));  in one node t = t0 + NVLink / (η_up·B_up).
 *   Both kinds pay the same fixed cost t0 per call: a kernel launch, the barrier and the signalling round
 *   trip between the ranks, which the normal kernels also run (their layout notification adds more).
 *   DeepEP's "RDMA bandwidth" counts every (token, node) pair, the own node's too, over t; so it can exceed
 *   the NIC (58 GB/s on a 50 GB/s NIC at EP32), which `deepEpReportedBandwidth` reproduces.
 *
 * FP8 dispatch carries one FP32 scale per 128 elements: 1 + 4/128 bytes per element; BF16 combine 2 bytes.
 * The efficiencies and the fixed cost t0 are fitted together on DeepEP's published H800 figures
 * (data/calibration/deepep_h800.csv; DEEPEP below says which rows fit what, test/collectives/deepep.test.ts
 * checks the others).
 */

export type DeepEpKernel = "normal" | "low-latency";
export type DeepEpPhase = "dispatch" | "combine";

export interface DeepEpGroup {
  /** Ranks in the expert-parallel group. */
  ep: number;
  /** Accelerators per node (scale-up domain). */
  perNode: number;
  /** Per accelerator, per direction, bytes/s. */
  scaleUpBandwidth: number;
  scaleOutBandwidth: number;
}

export interface DeepEpCall {
  kernel: DeepEpKernel;
  phase: DeepEpPhase;
  tokens: number;
  hidden: number;
  topK: number;
  /** Routed experts of the model (spread evenly over the EP group). */
  experts: number;
  /** Group-limited routing: `groupsPerToken` of `groups` expert groups per token (absent: any expert). */
  groups?: number;
  groupsPerToken?: number;
  /** Low-latency kernels that send every copy over RDMA (DeepEP before its NVLink-assisted kernels). */
  rdmaOnly?: boolean;
  /** Dispatch in BF16 (2 bytes per element) instead of FP8 with its scales. */
  bf16Dispatch?: boolean;
}

/**
 * Fitted constants, jointly (each depends on the others through the rows' times). t0: low-latency EP8
 * dispatch (77 µs) and combine (114 µs) less their NVLink transfer at η_up; η_up: normal EP8 (intranode)
 * dispatch and combine, 153 and 158 GB/s over 160 GB/s NVLink, after t0 (the FP8 dispatch moves half the
 * combine's bytes, so the same t0 weighs more on it: the measured 153 < 158 that a pure-bandwidth model
 * cannot give); η_out: normal EP32 dispatch and combine (58 and 57 GB/s as DeepEP counts them), after t0.
 * Every other row is validation (test/collectives/deepep.test.ts).
 */
export const DEEPEP = {
  scaleUpEfficiency: 0.9912,
  scaleOutEfficiency: 0.8716,
  fixedS: { dispatch: 29.3e-6, combine: 21.4e-6 } as Record<DeepEpPhase, number>,
};

/** Bytes of one element of the call's payload. */
function elementBytes(call: DeepEpCall): number {
  return call.phase === "dispatch" && !call.bf16Dispatch ? 1 + 4 / 128 : 2;
}

/** Bytes each rank sends in a low-latency call (every token-expert copy). */
export function deepEpBytes(call: DeepEpCall): number {
  return call.tokens * call.topK * call.hidden * elementBytes(call);
}

/** Π_{i<k} (a − i)/(b − i): the chance that k experts drawn from b all miss the b − a outside a. */
function allFrom(a: number, b: number, k: number): number {
  let p = 1;
  for (let i = 0; i < k; i++) {
    if (a - i <= 0) return 0;
    p *= (a - i) / (b - i);
  }
  return p;
}

function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
  return c;
}

/**
 * Expected units of u experts each (a rank's or a node's, contiguous) that one token's topK experts reach:
 * the token draws groupsPerToken of the groups, then topK distinct experts uniformly from them. A unit
 * inside one group is reached when its group is drawn and not every expert misses it; a unit of c groups
 * is reached when j ≥ 1 of them are drawn (hypergeometric) and not every expert misses those j.
 */
export function reached(call: DeepEpCall, u: number): number {
  const e = call.experts;
  const k = call.topK;
  const g = call.groups ?? 1;
  const m = call.groupsPerToken ?? g;
  const groupSize = e / g;
  const pool = m * groupSize;
  const hit = (held: number) => 1 - allFrom(pool - held, pool, k);
  if (u <= groupSize) return (e / u) * (m / g) * hit(u);
  const c = Math.round(u / groupSize);
  let p = 0;
  for (let j = 1; j <= Math.min(c, m); j++)
    p += ((choose(c, j) * choose(g - c, m - j)) / choose(g, m)) * hit(j * groupSize);
  return (e / u) * p;
}

interface NormalTraffic {
  /** Per rank and call: bytes over RDMA, over the scale-up fabric, and DeepEP's counted RDMA bytes. */
  rdma: number;
  scaleUp: number;
  counted: number;
}

function normalTraffic(group: DeepEpGroup, call: DeepEpCall): NormalTraffic {
  const perToken = call.hidden * elementBytes(call);
  const nodes = Math.ceil(group.ep / group.perNode);
  const expertsPerRank = call.experts / group.ep;
  const toRanks = reached(call, expertsPerRank);
  const toNodes = nodes > 1 ? reached(call, expertsPerRank * group.perNode) : 1;
  return {
    rdma: call.tokens * toNodes * ((nodes - 1) / nodes) * perToken,
    scaleUp: call.tokens * toRanks * perToken,
    counted: call.tokens * toNodes * perToken,
  };
}

/** Seconds one dispatch or combine takes. */
export function deepEpTime(group: DeepEpGroup, call: DeepEpCall): number {
  const up = DEEPEP.scaleUpEfficiency * group.scaleUpBandwidth;
  const out = DEEPEP.scaleOutEfficiency * group.scaleOutBandwidth;
  if (call.kernel === "low-latency") {
    const bytes = deepEpBytes(call);
    const remote = group.ep <= group.perNode ? 0 : call.rdmaOnly ? 1 : (group.ep - group.perNode) / group.ep;
    return DEEPEP.fixedS[call.phase] + Math.max(((1 - remote) * bytes) / up, (remote * bytes) / out);
  }
  const t = normalTraffic(group, call);
  return DEEPEP.fixedS[call.phase] + Math.max(t.rdma / out, t.scaleUp / up);
}

/**
 * The bandwidth DeepEP reports: low-latency, all bytes over time; normal in one node, the NVLink bytes
 * received over time; normal across nodes, every (token, node) pair (the own node's too) over time.
 */
export function deepEpReportedBandwidth(group: DeepEpGroup, call: DeepEpCall): number {
  const t = deepEpTime(group, call);
  if (call.kernel === "low-latency") return deepEpBytes(call) / t;
  const traffic = normalTraffic(group, call);
  return (group.ep <= group.perNode ? traffic.scaleUp : traffic.counted) / t;
}
