/**
 * The protocol / efficiency model: what a collective costs beyond its bytes on the wire. Time of a
 * collective = base latency + Σ phases [ latencySteps × α + (repeat + fillSteps) × network time of one step ],
 * where the network time is computed with each flow's bytes divided by its efficiency
 * (protocol efficiency × achievable fraction of the link rate on the flow's tier).
 *
 * Every constant is in MODEL below, with its source; docs/collectives.md explains each and how the few
 * calibrated ones were fitted. They are the same for every size and every hardware.
 */
import type { AlphaCounts, Phase, Protocol, StepTier } from "./types.js";

const us = 1e-6;
const KiB = 1024;

export const MODEL = {
  /**
   * Launch / setup latency per collective (NCCL src/graph/tuning.cc `baseLat`, Ring row:
   * LL 6.6 µs, LL128 14 µs, Simple 8.4 µs).
   */
  baseLatencyS: { LL: 6.6 * us, LL128: 14 * us, Simple: 8.4 * us } as Record<Protocol, number>,
  /**
   * Per-step latency α by tier (NCCL tuning.cc `hwLat`, Ring rows: NVLink LL .6 / LL128 1.9 / Simple 3.4 µs,
   * NET 2.7 / 4.0 / 14 µs; NVLS Simple: NVLink 23 µs, NET 18 µs). In-network reduction runs Simple only.
   */
  stepLatencyS: {
    scaleUp: { LL: 0.6 * us, LL128: 1.9 * us, Simple: 3.4 * us },
    scaleOut: { LL: 2.7 * us, LL128: 4.0 * us, Simple: 14 * us },
    inNetworkUp: { LL: Number.POSITIVE_INFINITY, LL128: Number.POSITIVE_INFINITY, Simple: 23 * us },
    inNetworkOut: { LL: Number.POSITIVE_INFINITY, LL128: Number.POSITIVE_INFINITY, Simple: 18 * us },
  } as Record<StepTier, Record<Protocol, number>>,
  /**
   * Share of a link's bytes that is payload under each protocol (NCCL tuning.cc: ring LL bandwidth × 1/4,
   * LL128 × 0.92 ≈ 120/128; Simple full rate).
   */
  protocolEfficiency: { LL: 0.25, LL128: 0.92, Simple: 1 } as Record<Protocol, number>,
  /**
   * Achievable fraction of the line rate with the Simple protocol:
   * scale-up 0.82 — 8×H100 ring busbw ~370 GB/s on 450 GB/s NVLink 4 (nccl-tests#212, GTC24/25 slides);
   * scale-out 0.96 — 24 GB/s per 200G NIC and 48 GB/s per 400G NIC (nccl-tests#119, GTC24);
   * in-network 0.61 — calibrated: 8×H100 NVLS all-reduce algbw 274 GB/s at 8–16 GiB on 450 GB/s
   *   (nccl_allreduce_dgx_h100_1node_nvidia.csv), with each GPU sending and receiving S.
   */
  linkEfficiency: { scaleUp: 0.82, scaleOut: 0.96, inNetworkUp: 0.61, inNetworkOut: 0.61 } as Record<
    StepTier,
    number
  >,
  /**
   * Pipelined algorithms (trees, chains, hierarchical, in-network) move the buffer in chunks. A chunk is
   * what a rank has in flight per step: NCCL's Simple step (4 MiB buffer / 8 steps = 512 KiB per channel)
   * over 16 channels = 8 MiB at most, one channel's step (512 KiB) at least.
   */
  pipelineChunkMaxBytes: 16 * 512 * KiB,
  /**
   * Direct (point-to-point) transfers — all-to-all, send-recv — reach a lower share of the link than
   * collectives' rings: calibrated 0.85 on NVIDIA's all-to-all references (8×A100 210, 8×H100 320,
   * 8×B200 640 GB/s busbw; nvidia_gtc_reference_busbw.csv), one value for every fabric.
   */
  directEfficiency: 0.85,
  pipelineChunkMinBytes: 512 * KiB,
} as const;

/**
 * The constants a cluster may calibrate (`weft calibrate`): latencies, protocol and link efficiencies.
 * MODEL is the default; a collective context may carry its own (`CollectiveContext.model`).
 */
export interface ProtocolModel {
  baseLatencyS: Record<Protocol, number>;
  stepLatencyS: Record<StepTier, Record<Protocol, number>>;
  protocolEfficiency: Record<Protocol, number>;
  linkEfficiency: Record<StepTier, number>;
}

/** Calibrated values for the two link tiers: Simple-protocol efficiency and per-step α. */
export interface TierCalibration {
  linkEfficiency?: number;
  /** Simple-protocol α, seconds; LL and LL128 α scale by the same ratio. */
  stepLatencyS?: number;
}

/** MODEL with the given tiers' link efficiency and α replaced. */
export function calibratedModel(
  tiers: Partial<Record<StepTier, TierCalibration>>,
  base: ProtocolModel = MODEL,
): ProtocolModel {
  const linkEfficiency = { ...base.linkEfficiency };
  const stepLatencyS = { ...base.stepLatencyS };
  for (const tier of Object.keys(tiers) as StepTier[]) {
    const c = tiers[tier];
    if (!c) continue;
    if (c.linkEfficiency !== undefined) linkEfficiency[tier] = c.linkEfficiency;
    if (c.stepLatencyS !== undefined) {
      // LL and LL128 follow Simple's ratio (Infinity stays Infinity: in-network reduction is Simple only).
      const k = c.stepLatencyS / base.stepLatencyS[tier].Simple;
      const a = base.stepLatencyS[tier];
      stepLatencyS[tier] = { LL: a.LL * k, LL128: a.LL128 * k, Simple: c.stepLatencyS };
    }
  }
  return { ...base, linkEfficiency, stepLatencyS };
}

/** Fraction of a flow's wire bytes that is payload, on a tier, under a protocol. */
export function efficiency(tier: StepTier, protocol: Protocol, model: ProtocolModel = MODEL): number {
  return model.linkEfficiency[tier] * model.protocolEfficiency[protocol];
}

/** Σ α over the phase's latency steps, for a protocol (Infinity when the protocol cannot run the phase). */
export function phaseLatency(counts: AlphaCounts, protocol: Protocol, model: ProtocolModel = MODEL): number {
  let total = 0;
  for (const tier of Object.keys(counts) as StepTier[]) {
    if (counts[tier] > 0) total += counts[tier] * model.stepLatencyS[tier][protocol];
  }
  return total;
}

/** Can this protocol run every phase? (In-network reduction is Simple only.) */
export function protocolSupported(phases: Phase[], protocol: Protocol): boolean {
  return phases.every((p) => Number.isFinite(phaseLatency(p.alphaCounts, protocol)));
}

/**
 * Chunking of a pipeline of `depth` stages over `bytes`: chunk = clamp(bytes/depth, min, max), never more
 * than the buffer. Time = depth·α + (chunks + depth − 1)·t(chunk) is then continuous and non-decreasing in
 * the size: small buffers go through in one piece, medium ones in `depth` pieces, large ones in max-size
 * chunks.
 */
export function pipelineChunks(bytes: number, depth: number): { chunk: number; chunks: number } {
  if (bytes <= 0) return { chunk: 0, chunks: 0 };
  const { pipelineChunkMinBytes: lo, pipelineChunkMaxBytes: hi } = MODEL;
  const chunk = Math.min(bytes, Math.max(lo, Math.min(hi, bytes / Math.max(1, depth))));
  return { chunk, chunks: bytes / chunk };
}

export function zeroAlpha(): AlphaCounts {
  return { scaleUp: 0, scaleOut: 0, inNetworkUp: 0, inNetworkOut: 0 };
}
