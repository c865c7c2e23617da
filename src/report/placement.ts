/** The fabric manager's report: the same trace under every policy, side by side, for people. */

import type { ManageResult } from "../control/placement/simulate.js";
import { formatCount, formatPercent, formatTime, formatUsd } from "../units/format.js";
import { formatTable } from "./table.js";

export function formatManageTable(results: ManageResult[]): string {
  const rows = results.map((r) => [
    r.policy,
    formatCount(r.jobs.length),
    formatTime(r.makespanS),
    formatPercent(r.utilization.mean),
    formatTime(r.queueDelayS.p50),
    formatTime(r.queueDelayS.p99),
    r.fragmentation.meanFree.toFixed(1),
    `${r.meanSlowdown.toFixed(3)}×`,
    `${worstNeighbour(r).toFixed(3)}×`,
    r.acceleratorHoursLost.toFixed(1),
    formatUsd(r.costUsdLost),
  ]);
  return formatTable(
    [
      "policy",
      "jobs",
      "makespan",
      "utilization",
      "queue p50",
      "queue p99",
      "frag. free",
      "mean slowdown",
      "worst neighbour",
      "GPU-h lost",
      "cost lost",
    ],
    rows,
  );
}

function worstNeighbour(r: ManageResult): number {
  let worst = 1;
  for (const j of r.jobs) worst = Math.max(worst, j.slowdownNeighbours);
  return worst;
}

/** The jobs hurt most by their placement under one policy. */
export function formatWorstJobs(r: ManageResult, count = 5): string {
  const jobs = [...r.jobs]
    .filter((j) => j.kind === "training")
    .sort((a, b) => b.runS / b.idealRunS - a.runS / a.idealRunS)
    .slice(0, count);
  return formatTable(
    ["job", "tenant", "GPUs", "waited", "ran", "ideal", "placement", "neighbours", "domains", "leaves"],
    jobs.map((j) => [
      j.id,
      j.tenant,
      j.gpus,
      formatTime(j.waitS),
      formatTime(j.runS),
      formatTime(j.idealRunS),
      `${j.slowdownPlacement.toFixed(3)}×`,
      `${j.slowdownNeighbours.toFixed(3)}×`,
      j.domains,
      j.leaves.length,
    ]),
  );
}
