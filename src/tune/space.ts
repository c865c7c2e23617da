/**
 * The layouts a training job can take on its accelerators, under the scenario's rules: tp divides the
 * attention heads (and pairs with the KV heads) and stays inside a scale-up domain; tp × pp × dp × cp
 * equals the accelerators; layers split into pp × vpp chunks; cp divides the sequence; ep divides the
 * experts and dp × cp; the global batch is whole micro-batches per data-parallel rank (a multiple of pp
 * when interleaved). Memory decides the rest: a layout is kept with the least recomputation that fits
 * in HBM (recomputing more only adds compute), or dropped when even full recomputation does not fit.
 */

import { memoryPerRank } from "../model/memory.js";
import { partitionKind } from "../model/partition.js";
import type { Recompute, Scenario, TrainingWorkload } from "../scenario/types.js";
import { jobGroup } from "../workload/training/comm.js";

export interface Layout {
  tp: number;
  pp: number;
  dp: number;
  cp: number;
  ep: number;
  vpp: number;
  microBatch: number;
  recompute: Recompute;
  zero: 0 | 1 | 2 | 3;
  sequenceParallel: boolean;
  /** Bytes per accelerator on the stage that needs the most. */
  memoryBytes: number;
}

export interface SpaceOptions {
  microBatches?: number[];
  /** ZeRO stages to try (default: the scenario's and 1). */
  zero?: (0 | 1 | 2 | 3)[];
  /** Most virtual stages per pipeline rank tried. */
  maxVpp?: number;
}

export interface Space {
  layouts: Layout[];
  /** Layouts dropped, by reason. */
  dropped: Record<string, number>;
}

const RECOMPUTE: Recompute[] = ["none", "selective", "full"];

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
}

/**
 * Virtual stages per pipeline rank: every count up to `max` that leaves each of the pp × vpp chunks a
 * layer (the partition balances layers that do not divide evenly), none without a pipeline.
 */
function virtualStages(layers: number, pp: number, max: number): number[] {
  const out = [1];
  if (pp > 1) for (let v = 2; v <= max; v++) if (partitionKind(layers, pp * v)) out.push(v);
  return out;
}

function powersOfTwoUpTo(n: number): number[] {
  const out: number[] = [];
  for (let x = 1; x <= n; x *= 2) out.push(x);
  return out;
}

export function layoutSpace(scenario: Scenario, options: SpaceOptions = {}): Space {
  const w = scenario.workload as TrainingWorkload;
  const { model } = w;
  const { group } = jobGroup(scenario, w.group);
  const n = group.nodes * group.acceleratorsPerNode;
  const domain = group.scaleUp?.domain ?? group.acceleratorsPerNode;
  // The nominal capacity (80 GB on an H100): a margin under the 81,559 MiB the device exposes, which the
  // training checks allow, so a layout the search keeps leaves the framework's own buffers some room.
  const hbm = group.accelerator?.hbmBytes ?? Number.POSITIVE_INFINITY;
  const dropped: Record<string, number> = {};
  const drop = (why: string) => {
    dropped[why] = (dropped[why] ?? 0) + 1;
  };
  const layouts: Layout[] = [];
  const zeros = options.zero ?? [...new Set([w.parallelism.zero, 1 as const])].sort();
  const microBatches = options.microBatches ?? [...new Set([1, 2, 4, w.microBatch])].sort((a, b) => a - b);
  const maxVpp = options.maxVpp ?? 8;
  const tps = powersOfTwoUpTo(Math.min(domain, model.heads)).filter(
    (tp) => model.heads % tp === 0 && (model.kvHeads % tp === 0 || tp % model.kvHeads === 0),
  );
  // Sequence parallelism goes with tensor parallelism unless the scenario turned it off at a tp above 1
  // (at tp 1 the loader's `false` is only its default).
  const optedOutOfSp = w.parallelism.tp > 1 && !w.parallelism.sequenceParallel;
  // DualPipe holds two stages per rank: an even pp, no interleaving, an even m of at least 2·pp.
  const dualpipe = w.schedule === "dualpipe";
  const cps = [1, 2, 4].filter((cp) => cp === 1 || (model.seqLength >= 8192 && model.seqLength % cp === 0));
  for (const tp of tps)
    for (const cp of cps) {
      if (n % (tp * cp) !== 0) continue;
      for (const pp of divisors(n / (tp * cp))) {
        if (pp > model.layers || !partitionKind(model.layers, pp)) continue;
        if (dualpipe && pp % 2 !== 0) continue;
        const dp = n / (tp * cp * pp);
        const eps = model.moe ? divisors(model.moe.experts).filter((ep) => (dp * cp) % ep === 0) : [1];
        for (const ep of eps)
          for (const vpp of virtualStages(model.layers, pp, dualpipe ? 1 : maxVpp)) {
            for (const microBatch of microBatches) {
              if (w.globalBatch % (microBatch * dp) !== 0) continue;
              const m = w.globalBatch / (microBatch * dp);
              if (vpp > 1 && m % pp !== 0) continue;
              if (dualpipe && (m % 2 !== 0 || m < 2 * pp)) continue;
              for (const zero of zeros) {
                const parallelism = {
                  tp,
                  pp,
                  dp,
                  cp,
                  ep,
                  vpp,
                  zero,
                  sequenceParallel: tp > 1 && !optedOutOfSp,
                };
                const fit = leastRecompute(scenario, parallelism, microBatch, m, hbm);
                if (!fit) drop("does not fit in HBM even with full recomputation");
                else
                  layouts.push({
                    ...parallelism,
                    microBatch,
                    recompute: fit.recompute,
                    memoryBytes: fit.bytes,
                  });
              }
            }
          }
      }
    }
  return { layouts, dropped };
}

function leastRecompute(
  scenario: Scenario,
  parallelism: TrainingWorkload["parallelism"],
  microBatch: number,
  microBatches: number,
  hbm: number,
): { recompute: Recompute; bytes: number } | undefined {
  const w = scenario.workload as TrainingWorkload;
  for (const recompute of RECOMPUTE) {
    const mem = memoryPerRank({
      model: w.model,
      parallelism,
      microBatch,
      microBatches,
      recompute,
      attention: w.attention,
      schedule: w.schedule,
    });
    if (mem.total <= hbm) return { recompute, bytes: mem.total };
  }
  return undefined;
}

/** `tp8 pp16 dp8 mb1 full zero0` (cp, ep, vpp only when not 1). */
export function layoutLabel(l: Omit<Layout, "memoryBytes">): string {
  const parts = [`tp${l.tp}`, `pp${l.pp}`, `dp${l.dp}`];
  if (l.cp > 1) parts.push(`cp${l.cp}`);
  if (l.ep > 1) parts.push(`ep${l.ep}`);
  if (l.vpp > 1) parts.push(`vpp${l.vpp}`);
  parts.push(
    `mb${l.microBatch}`,
    l.recompute === "none" ? "no-recompute" : `${l.recompute}-recompute`,
    `zero${l.zero}`,
  );
  return parts.join(" ");
}
