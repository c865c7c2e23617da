/** The human report of any Results: a header (scenario, fabric, fidelity, wall time) and the workload's own table. */

import type { PacketSummary, Results, TrafficResults } from "../results/types.js";
import { formatBytes, formatCount, formatTime } from "../units/format.js";
import { formatCollectiveTable } from "./collective.js";
import { formatInferenceReport } from "./inference.js";
import { formatJobsReport } from "./jobs.js";
import { formatTrainingReport } from "./training.js";

export function formatHeader(r: Results): string {
  const switches = Object.entries(r.fabric.switches)
    .filter(([, n]) => n > 0)
    .map(([tier, n]) => `${formatCount(n)} ${tier}`)
    .join(", ");
  const lines = [
    `# ${r.scenario}`,
    `# ${formatCount(r.fabric.accelerators)} accelerators, ${switches || "no"} switches, ${formatCount(r.fabric.links)} links; ${r.fidelity} engine, ${formatTime(r.wallS)} wall`,
  ];
  for (const w of r.warnings) lines.push(`# warning: ${w}`);
  return lines.join("\n");
}

/** Header plus the workload's own report. */
export function formatResults(r: Results): string {
  return `${formatHeader(r)}\n${formatBody(r)}`;
}

function formatBody(r: Results): string {
  switch (r.kind) {
    case "collective":
      return formatCollectiveTable(r);
    case "training":
      return formatTrainingReport(r);
    case "inference":
      return formatInferenceReport(r);
    case "traffic":
      return formatTrafficReport(r);
    case "jobs":
      return formatJobsReport(r);
  }
}

function formatTrafficReport(r: TrafficResults): string {
  const { p50, p99, max } = r.fctUs;
  const fct = `${formatCount(r.flows.length)} flows; FCT p50 ${formatTime(p50 * 1e-6)}, p99 ${formatTime(p99 * 1e-6)}, max ${formatTime(max * 1e-6)}`;
  const shared = r.sharing === "by-path" ? `${fct} (links shared by path)` : fct;
  return r.packets ? `${shared}\n${formatPacketSummary(r.packets)}` : shared;
}

/** The packet engine's counters people ask about first: losses, trims, marks, pauses, the fullest queue. */
export function formatPacketSummary(p: PacketSummary): string {
  const lines = [
    `packets: ${formatCount(p.dataPackets)} data, ${formatCount(p.retransmissions)} retransmitted, ${formatCount(p.controlPackets)} control`,
    `  drops ${formatCount(p.drops)} (full queues) + ${formatCount(p.failureDrops)} (failed links), trims ${formatCount(p.trims)}, ECN marks ${formatCount(p.ecnMarks)}, PFC pauses ${formatCount(p.pfcPauses)}, timeouts ${formatCount(p.timeouts)}`,
  ];
  const top = p.queueMaxBytes[0];
  if (top) lines.push(`  fullest queue ${top.queue} (${top.tier}): ${formatBytes(top.maxBytes)}`);
  return lines.join("\n");
}
