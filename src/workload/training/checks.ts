/**
 * Checks a training job before it runs, with errors that say what is wrong, what was expected, and where
 * in the scenario file (when it was loaded from one).
 */

import { exposedHbm } from "../../catalog/accelerators.js";
import type { AttentionKernel } from "../../model/layer-ops.js";
import { memoryPerRank } from "../../model/memory.js";
import { partitionKind } from "../../model/partition.js";
import { scenarioError } from "../../scenario/source-map.js";
import type { GroupSpec, Scenario, TrainingWorkload } from "../../scenario/types.js";

const P = "workload.training.parallelism";

/** Decimal gigabytes, as HBM capacities are quoted. */
function gb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB`;
}

function fail(scenario: Scenario, path: string, message: string): never {
  throw scenarioError(scenario, path, message);
}

export function checkTraining(
  scenario: Scenario,
  ctx: { group: GroupSpec; attention: AttentionKernel; m: number },
): void {
  const w = scenario.workload as TrainingWorkload;
  const { model, parallelism: p } = w;
  const accelerators = ctx.group.nodes * ctx.group.acceleratorsPerNode;
  const product = p.tp * p.pp * p.dp * p.cp;
  if (product !== accelerators) {
    fail(
      scenario,
      P,
      `tp × pp × dp × cp = ${p.tp} × ${p.pp} × ${p.dp} × ${p.cp} = ${product}, but group ${ctx.group.name} has ` +
        `${accelerators} accelerators (${ctx.group.nodes} nodes × ${ctx.group.acceleratorsPerNode}); they must be equal`,
    );
  }
  if (model.heads % p.tp !== 0) {
    fail(scenario, `${P}.tp`, `tp ${p.tp} must divide the model's ${model.heads} attention heads`);
  }
  if (model.kvHeads % p.tp !== 0 && p.tp % model.kvHeads !== 0) {
    fail(scenario, `${P}.tp`, `tp ${p.tp} and the model's ${model.kvHeads} KV heads must divide one another`);
  }
  const chunks = p.pp * p.vpp;
  if (!partitionKind(model.layers, chunks)) {
    fail(
      scenario,
      `${P}.${p.vpp > 1 ? "vpp" : "pp"}`,
      `pp × vpp = ${p.pp} × ${p.vpp} = ${chunks} pipeline chunks is more than the model's ${model.layers} layers; ` +
        `expected at most one chunk per layer`,
    );
  }
  if (!Number.isInteger(ctx.m) || ctx.m < 1) {
    fail(
      scenario,
      "workload.training.globalBatch",
      `globalBatch ${w.globalBatch} must be a multiple of microBatch × dp = ${w.microBatch} × ${p.dp} = ${w.microBatch * p.dp}`,
    );
  }
  if (p.vpp > 1 && ctx.m % p.pp !== 0) {
    fail(
      scenario,
      `${P}.vpp`,
      `the interleaved schedule (vpp ${p.vpp}) needs micro-batches (${ctx.m}) to be a multiple of pp (${p.pp})`,
    );
  }
  if (model.seqLength % p.cp !== 0) {
    fail(scenario, `${P}.cp`, `cp ${p.cp} must divide the sequence length ${model.seqLength}`);
  }
  if (p.ep > 1) {
    if (!model.moe)
      fail(scenario, `${P}.ep`, `ep ${p.ep} needs a mixture-of-experts model; ${model.name} is dense`);
    if ((p.tp * p.dp * p.cp) % p.ep !== 0) {
      fail(
        scenario,
        `${P}.ep`,
        `ep ${p.ep} must divide tp × dp × cp = ${p.tp} × ${p.dp} × ${p.cp} = ${p.tp * p.dp * p.cp}`,
      );
    }
    if (model.moe.experts % p.ep !== 0) {
      fail(scenario, `${P}.ep`, `ep ${p.ep} must divide the model's ${model.moe.experts} experts`);
    }
    // The token dispatcher starts from the sequence-parallel shard (each TP rank routes 1/tp of the tokens);
    // Megatron-LM refuses expert parallelism with tensor parallelism but without sequence parallelism.
    if (p.tp > 1 && !p.sequenceParallel) {
      fail(
        scenario,
        `${P}.sequenceParallel`,
        `ep ${p.ep} with tp ${p.tp} needs sequenceParallel: true (each tensor-parallel rank dispatches its 1/tp of the tokens)`,
      );
    }
  }
  checkMemory(scenario, ctx);
}

function checkMemory(
  scenario: Scenario,
  ctx: { group: GroupSpec; attention: AttentionKernel; m: number },
): void {
  const w = scenario.workload as TrainingWorkload;
  const acc = ctx.group.accelerator;
  if (!acc?.hbmBytes) return;
  const hbm = exposedHbm(acc);
  const mem = memoryPerRank({
    model: w.model,
    parallelism: w.parallelism,
    microBatch: w.microBatch,
    microBatches: ctx.m,
    recompute: w.recompute,
    attention: ctx.attention,
    schedule: w.schedule,
  });
  if (mem.total > hbm) {
    fail(
      scenario,
      "workload.training",
      `${w.model.name} does not fit: pipeline stage ${mem.stage} needs ${gb(mem.total)} per accelerator ` +
        `(weights ${gb(mem.weights)}, gradients ${gb(mem.gradients)}, optimizer ${gb(mem.optimizer)}, ` +
        `activations ${gb(mem.activations)}) but ${ctx.group.accelerator?.id} has ${gb(hbm)} of HBM; ` +
        `raise tp, pp or the ZeRO stage, or recompute activations`,
    );
  }
}
