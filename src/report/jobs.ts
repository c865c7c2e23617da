/**
 * The human report of a `jobs:` run: one table per job (its collectives with the others, its step alone
 * and shared, the slowdown) and one line of cause for every pair that matters: a job slowed by more than
 * 1% and another job carrying at least 5% of what it met.
 */

import type { JobResult, JobsResults } from "../results/types.js";
import { formatBytes, formatPercent, formatTime } from "../units/format.js";
import { formatTable } from "./table.js";

const SLOWDOWN_THAT_MATTERS = 1.01;
const SHARE_THAT_MATTERS = 0.05;

export function formatJobsReport(r: JobsResults): string {
  const out = [
    `# ${r.jobs.length} jobs on one fabric, ${formatTime(r.makespanS)} from first start to last end`,
  ];
  for (const job of r.jobs) out.push("", jobTable(job));
  const causes = r.jobs.flatMap(causeLines);
  out.push("", causes.length > 0 ? "# interference" : "# no job slowed another by more than 1%", ...causes);
  return out.join("\n");
}

function jobTable(job: JobResult): string {
  if (job.kind === "inference") return serviceTable(job);
  const loss = job.failureLossS ? `, ${formatTime(job.failureLossS)} per step lost to failures` : "";
  const title =
    `## ${job.name}: ${job.op} on ${job.accelerators} accelerators, ${job.steps} step${job.steps === 1 ? "" : "s"} from ${formatTime(job.startS)}; ` +
    `step ${formatTime(job.stepTimeS)} (alone ${formatTime(job.aloneStepTimeS)}, ${job.slowdown.toFixed(2)}x)${loss}`;
  if (job.fctUs) {
    const { p50, p99, max } = job.fctUs;
    return `${title}\n${job.flows} flows per step; FCT p50 ${formatTime(p50 * 1e-6)}, p99 ${formatTime(p99 * 1e-6)}, max ${formatTime(max * 1e-6)}`;
  }
  if (job.kind === "training") {
    const mfu = job.mfu !== undefined ? `MFU ${formatPercent(job.mfu)}` : "";
    const tflops =
      job.tflopsPerAccelerator !== undefined
        ? `, ${job.tflopsPerAccelerator.toFixed(0)} TFLOP/s per accelerator`
        : "";
    const idle =
      job.networkIdleFraction !== undefined
        ? `, network holds accelerators idle ${formatPercent(job.networkIdleFraction)} of the step`
        : "";
    return `${title}
${mfu}${tflops}${idle}`;
  }
  const table = formatTable(
    ["size", { header: "time", align: "right" }, "busbw (GB/s)", { header: "algorithm", align: "left" }],
    job.rows.map((row) => [
      formatBytes(row.sizeBytes),
      formatTime(row.timeUs * 1e-6),
      row.busbwGBps.toFixed(2),
      row.algorithm,
    ]),
  );
  return `${title}\n${table}`;
}

/** An inference service: its time to first token with the others and alone, then its latencies. */
function serviceTable(job: JobResult): string {
  const ttft = job.ttftS as { p50: number; p99: number };
  const tpot = job.tpotS as { p50: number; p99: number };
  const kv = job.kvTransferS;
  const loss = job.failureLossS ? `, ${formatTime(job.failureLossS)} of TTFT p99 lost to failures` : "";
  return [
    `## ${job.name}: ${job.op} on ${job.accelerators} accelerators from ${formatTime(job.startS)}; ` +
      `TTFT p99 ${formatTime(job.stepTimeS)} (alone ${formatTime(job.aloneStepTimeS)}, ${job.slowdown.toFixed(2)}x)${loss}`,
    `${job.requests ?? 0} requests; TTFT p50 ${formatTime(ttft.p50)}, p99 ${formatTime(ttft.p99)}; ` +
      `TPOT p50 ${formatTime(tpot.p50)}, p99 ${formatTime(tpot.p99)}` +
      (kv && kv.p99 > 0 ? `; KV transfer p50 ${formatTime(kv.p50)}, p99 ${formatTime(kv.p99)}` : "") +
      (job.goodputFraction !== undefined ? `; goodput ${formatPercent(job.goodputFraction)}` : ""),
  ].join("\n");
}

function causeLines(job: JobResult): string[] {
  if (job.slowdown < SLOWDOWN_THAT_MATTERS) return [];
  const what = job.kind === "inference" ? "TTFT p99 is" : "is";
  const meeting = job.kind === "inference" ? "its KV transfers meeting it" : "meeting";
  return job.causes
    .filter((c) => c.share >= SHARE_THAT_MATTERS)
    .map((c) => {
      const where = job.sharedLinks.filter((s) => c.tiers.includes(s.tier) && s.withJobs.includes(c.job));
      const links = where.map((s) => `${s.links} ${s.tier}`).join(", ");
      return `${job.name} ${what} ${job.slowdown.toFixed(2)}x slower: ${formatPercent(c.share)} of its delay (${formatTime(c.delayS)}) from ${c.job}, ${meeting} on ${links || c.tiers.join(", ")} links`;
    });
}
