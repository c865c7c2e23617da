/**
 * DeepEP-style expert-parallel dispatch and combine (deepseek-ai/DeepEP), in closed form, for an EP group of
 * n ranks in nodes of G accelerators (scale-up bandwidth B_up, scale-out B_out per accelerator):
 *
 * - low-latency kernels (decode): every token-expert copy goes straight to its rank — over the scale-up
 *   fabric inside the node (NVLink-assisted kernels), over RDMA across nodes — both at once:
 *     t = t0 + max((1 − f)·S / (η_up·B_up), f·S / (η_out·B_out)),   f = (n − G)/n (uniform routing),
 *   f = 1 for kernels that send everything over RDMA;
 * - normal kernels (training, prefill): each token crosses to each destination node once over RDMA and is
 *   forwarded over the scale-up fabric inside it, so the bottleneck link runs at η·B: the scale-up link
 *   for one node, the RDMA NIC across nodes (what DeepEP reports as "bottleneck bandwidth").
 *
 * S is what each rank sends: tokens · topK · hidden · bytes (FP8 dispatch carries one FP32 scale per 128
 * elements: 1 + 4/128 bytes per element; BF16 combine 2 bytes). The efficiencies and the fixed cost t0 are
 * fitted on DeepEP's published H800 figures (data/calibration/deepep_h800.csv; DEEPEP below says which rows
 * fit what, test/collectives/deepep.test.ts checks the others).
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
  /** Low-latency kernels that send every copy over RDMA (DeepEP before its NVLink-assisted kernels). */
  rdmaOnly?: boolean;
  /** Dispatch in BF16 (2 bytes per element) instead of FP8 with its scales. */
  bf16Dispatch?: boolean;
}

/**
 * Fitted constants. η_up: normal EP8 (intranode) dispatch and combine bandwidth, 153 and 158 GB/s of
 * 160 GB/s NVLink; η_out: normal EP16 dispatch and combine, 43 GB/s of 50 GB/s RDMA; t0: low-latency EP8
 * dispatch (77 µs) and combine (114 µs) less their NVLink transfer. Every other row is validation.
 */
export const DEEPEP = {
  scaleUpEfficiency: 155.5 / 160,
  scaleOutEfficiency: 43 / 50,
  lowLatencyFixedS: { dispatch: 28.3e-6, combine: 19.6e-6 } as Record<DeepEpPhase, number>,
};

/** Bytes each rank sends in one call (all token-expert copies). */
export function deepEpBytes(call: DeepEpCall): number {
  const perElement = call.phase === "dispatch" && !call.bf16Dispatch ? 1 + 4 / 128 : 2;
  return call.tokens * call.topK * call.hidden * perElement;
}

/** Seconds one dispatch or combine takes. */
export function deepEpTime(group: DeepEpGroup, call: DeepEpCall): number {
  const bytes = deepEpBytes(call);
  const up = DEEPEP.scaleUpEfficiency * group.scaleUpBandwidth;
  const out = DEEPEP.scaleOutEfficiency * group.scaleOutBandwidth;
  const remote = group.ep <= group.perNode ? 0 : call.rdmaOnly ? 1 : (group.ep - group.perNode) / group.ep;
  if (call.kernel === "low-latency") {
    return (
      DEEPEP.lowLatencyFixedS[call.phase] + Math.max(((1 - remote) * bytes) / up, (remote * bytes) / out)
    );
  }
  return bytes / (remote > 0 ? out : up);
}

/** The bandwidth DeepEP reports: low-latency, all bytes over time; normal, the bottleneck link's rate. */
export function deepEpReportedBandwidth(group: DeepEpGroup, call: DeepEpCall): number {
  if (call.kernel === "low-latency") return deepEpBytes(call) / deepEpTime(group, call);
  return group.ep <= group.perNode
    ? DEEPEP.scaleUpEfficiency * group.scaleUpBandwidth
    : DEEPEP.scaleOutEfficiency * group.scaleOutBandwidth;
}
