/**
 * `weft run --requests FILE`: one CSV row per request of a serving run (src/workload/inference/records.ts
 * holds the fields), written with csv-stringify and atomically (a crash never leaves half a file). Times in
 * seconds, nine significant digits; empty where a request never reached that point.
 */
import { stringify } from "csv-stringify/sync";
import { writeFileAtomic } from "../files/write.js";
import type { RequestRecords } from "../workload/inference/records.js";

const COLUMNS = [
  "id",
  "arrival_s",
  "prompt_tokens",
  "output_tokens",
  "prefill_instance",
  "decode_instance",
  "queue_s",
  "prefill_s",
  "kv_transfer_s",
  "ttft_s",
  "tpot_s",
  "e2e_s",
  "preemptions",
  "meets_slo",
];

export function requestsCsv(rec: RequestRecords): string {
  const rows: (string | number)[][] = [];
  for (let r = 0; r < rec.count; r++) {
    rows.push([
      r,
      num(rec.arrival[r]),
      rec.prompt[r],
      rec.output[r],
      rec.prefillInstance[r],
      rec.decodeInstance[r],
      num(rec.queueS[r]),
      num(rec.prefillS[r]),
      num(rec.kvTransferS[r]),
      num(rec.ttftS[r]),
      num(rec.tpotS[r]),
      num(rec.e2eS[r]),
      rec.preemptions[r],
      rec.meetsSlo[r],
    ]);
  }
  return stringify(rows, { header: true, columns: COLUMNS, record_delimiter: "unix" });
}

export function writeRequestsCsv(file: string, rec: RequestRecords): void {
  writeFileAtomic(file, requestsCsv(rec));
}

/** Nine significant digits (sub-microsecond at the scale of a run); empty for NaN. */
function num(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(9))) : "";
}
