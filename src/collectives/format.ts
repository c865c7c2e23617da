/** nccl-tests-style table of a collective sweep: size, count, type, time, algbw, busbw, algorithm. */

import type { CollectiveResults } from "../report/results.js";
import { formatTable } from "../report/table.js";
import { formatBytes, formatTime } from "../units/index.js";

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
  return `${title}\n${table}`;
}
