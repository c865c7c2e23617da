/**
 * VALIDATION: 2×8 H100 (GCP A3 Mega, 8×200G NICs per node) all-reduce, nccl_allreduce_gcp_a3mega_2node.csv.
 * No constant was fitted on this file. Within 15% for every size from 256 MiB (six rows, each once), with
 * the flow engine and the closed form agreeing within 2%.
 */
import { describe, expect, it } from "vitest";
import { MiB, reference, sweep, table } from "../collectives/nccl-reference.js";

describe("2×8 H100 (A3 Mega) all-reduce vs nccl_allreduce_gcp_a3mega_2node.csv ", () => {
  const refs = reference("nccl_allreduce_gcp_a3mega_2node.csv");
  const limit = (size: number) => (size >= 256 * MiB ? 15 : undefined);
  const rows = table(refs, sweep("a3mega-2node-allreduce.yaml"), limit);
  console.table(rows);

  it("busbw within 15% from 256 MiB", () => {
    for (const r of rows) {
      if (typeof r.limitPct === "number")
        expect(Math.abs(r.errorPct), r.size).toBeLessThanOrEqual(r.limitPct);
    }
    expect(rows.filter((r) => typeof r.limitPct === "number")).toHaveLength(6);
  });

  it("the flow engine and the closed form agree within 2% from 256 MiB", () => {
    for (const r of rows)
      if (typeof r.limitPct === "number") expect(Math.abs(r.enginesPct), r.size).toBeLessThanOrEqual(2);
  });
});
