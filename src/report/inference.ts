/** The terminal report of an inference run: latency, throughput, cost, and where the network shows up. */

import { parametersLine } from "../model/param-summary.js";
import type { InferencePoolSummary, InferenceResults } from "../results/types.js";
import { formatCount, formatPercent, formatTime, formatUsd } from "../units/format.js";
import { decimalBytes } from "../workload/inference/decimal-bytes.js";
import { formatTable } from "./table.js";

export function formatInferenceReport(r: InferenceResults): string {
  const out: string[] = [`${r.scenario} — inference serving (${r.fidelity})`, ""];
  if (r.pools && r.pools.length > 0) out.push(poolTable(r.pools), "");
  out.push(
    formatTable(
      ["metric", "p50", "p99"],
      [
        ["TTFT", formatTime(r.ttftS.p50), formatTime(r.ttftS.p99)],
        ["TPOT", formatTime(r.tpotS.p50), formatTime(r.tpotS.p99)],
        ...(r.e2eS ? [["end to end", formatTime(r.e2eS.p50), formatTime(r.e2eS.p99)]] : []),
        ...(r.queueS ? [["queueing", formatTime(r.queueS.p50), formatTime(r.queueS.p99)]] : []),
        ["KV transfer after prefill", formatTime(r.kvTransferS.p50), formatTime(r.kvTransferS.p99)],
      ],
    ),
    "",
  );
  const lines: [string, string][] = [];
  if (r.parameters) lines.push(["model parameters", parametersLine(r.parameters)]);
  if (r.requests !== undefined)
    lines.push(["requests", `${formatCount(r.completed ?? 0)} of ${formatCount(r.requests)} completed`]);
  lines.push(["throughput", `${tokens(r.throughputTokensPerS)} output tokens/s`]);
  if (r.throughputPerAcceleratorTokensPerS !== undefined) {
    lines.push(["per accelerator", `${tokens(r.throughputPerAcceleratorTokensPerS)} tokens/s`]);
  }
  if (r.throughputPerNodeTokensPerS !== undefined)
    lines.push(["per node", `${tokens(r.throughputPerNodeTokensPerS)} tokens/s`]);
  lines.push(["goodput (both SLOs met)", formatPercent(r.goodputFraction)]);
  if (r.costPerMillionOutputTokensUsd !== undefined) {
    lines.push([
      "cost",
      `${formatUsd(r.costPerMillionOutputTokensUsd)} per million output tokens (${formatUsd(r.costUsdPerHour ?? 0)}/h)`,
    ]);
  }
  lines.push(["network share of latency", formatPercent(r.networkShareOfLatency)]);
  if (r.ttftNetworkShare) {
    const s = r.ttftNetworkShare;
    lines.push([
      "  of TTFT",
      `KV transfer ${formatPercent(s.kvTransfer)}, TP ${formatPercent(s.tp)}, EP ${formatPercent(s.ep)}`,
    ]);
  }
  if (r.tpotNetworkShare) {
    const s = r.tpotNetworkShare;
    lines.push([
      "  of decode time",
      `TP ${formatPercent(s.tp)}, EP ${formatPercent(s.ep)}, KV moves ${formatPercent(s.kvTransfer)}`,
    ]);
  }
  if (r.kvTransferAloneS !== undefined)
    lines.push(["one whole KV transfer, idle fabric", formatTime(r.kvTransferAloneS)]);
  if (r.kvBytesMoved) lines.push(["KV moved prefill → decode", decimalBytes(r.kvBytesMoved)]);
  if (r.offloadBytesMoved) lines.push(["KV moved to/from offload", decimalBytes(r.offloadBytesMoved)]);
  if (r.preemptions)
    lines.push([
      "preemptions",
      `${formatCount(r.preemptions)} (${formatCount(r.recomputes ?? 0)} recomputed)`,
    ]);
  const width = Math.max(...lines.map(([k]) => k.length));
  out.push(...lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`));
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return out.join("\n");
}

function poolTable(pools: InferencePoolSummary[]): string {
  return formatTable(
    [
      "pool",
      "group",
      "accelerator",
      "instances",
      "tp×dp",
      "ep",
      "weights/acc",
      "KV tokens/inst",
      "batch cap",
      "busy",
      "$/h",
    ],
    pools.map((p) => [
      p.role,
      p.group,
      p.accelerator,
      p.instances,
      `${p.tp}×${p.dp}`,
      p.ep,
      decimalBytes(p.weightsPerAcceleratorBytes),
      formatCount(p.kvCapacityTokens),
      p.batchCapacity,
      formatPercent(p.utilization),
      formatUsd(p.costUsdPerHour),
    ]),
  );
}

function tokens(x: number): string {
  return x >= 100 ? formatCount(Math.round(x)) : x.toFixed(1);
}
