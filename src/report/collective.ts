/** nccl-tests-style table of a collective sweep: size, count, type, time, algbw, busbw, algorithm. */

import type { CollectiveResults } from "../results/types.js";
import { formatBytes, formatTime } from "../units/index.js";
import { formatTable } from "./table.js";

export function formatCollectiveTable(results: CollectiveResults): string {
  const title = `# ${results.op} on ${results.ranks} ranks (${results.fidelity})`;
  const rows = results.rows.map((r) => [
    formatBytes(r.sizeBytes),
    r.count,
    r.type,
    formatTime(r.timeUs * 1e-6),
    r.algbwGBps.toFixed(2),
    r.busbwGBps.toFixed(2),
    r.algorithm,
  ]);
  const table = formatTable(
    [
      { header: "size", align: "right" },
      { header: "count", align: "right" },
      { header: "type", align: "left" },
      { header: "time", align: "right" },
      { header: "algbw (GB/s)", align: "right" },
      { header: "busbw (GB/s)", align: "right" },
      { header: "algorithm", align: "left" },
    ],
    rows,
  );
  return results.rows.length >= 3 ? `${title}\n${table}\n\n${busbwChart(results)}` : `${title}\n${table}`;
}

const CHART_WIDTH = 48;

/** busbw against size as horizontal bars: where the curve bends is where latency stops mattering. */
export function busbwChart(results: CollectiveResults): string {
  const max = Math.max(...results.rows.map((r) => r.busbwGBps));
  if (!(max > 0)) return "";
  const labels = results.rows.map((r) => formatBytes(r.sizeBytes));
  const width = Math.max(...labels.map((l) => l.length));
  const lines = results.rows.map((r, i) => {
    const cells = (r.busbwGBps / max) * CHART_WIDTH;
    const bar = "█".repeat(Math.floor(cells)) + (cells % 1 >= 0.5 ? "▌" : "");
    return `${labels[i].padStart(width)} |${bar} ${r.busbwGBps.toFixed(1)}`;
  });
  return [`busbw (GB/s) by size`, ...lines].join("\n");
}
