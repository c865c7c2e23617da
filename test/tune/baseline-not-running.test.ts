// Tuning is most needed when the layout as written does not run: the feasible layouts are ranked all the
// same, and the layout as written is reported as not running, with the reason.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { weft } from "../cli/run-cli.js";
import { tempDir } from "../sweep/helpers.js";

const dir = tempDir("weft-tune-nofit-");
const file = path.join(dir, "nofit13b.yaml");
// 13B with plain data parallelism, no ZeRO and no recomputation: 264.5 GB per 80 GB A100.
writeFileSync(
  file,
  `name: 13B on 16 A100, layout as written does not fit
cluster:
  groups:
    - name: gpu
      nodes: 2
      accelerator: A100-SXM4-80GB
      acceleratorsPerNode: 8
      scaleUp: nvlink3
      nics: { count: 8, bandwidth: 200Gbps }
  scaleOut:
    topology: fat-tree
    tiers: auto
    switch: QM8700
workload:
  training:
    model: { name: gpt-13b, layers: 40, hidden: 5120, heads: 40, vocab: 51200, seqLength: 2048 }
    parallelism: { tp: 1, pp: 1, dp: 16, zero: 0 }
    microBatch: 4
    globalBatch: 128
    precision: bf16
    recompute: none
simulation: { fidelity: analytical, seed: 1 }
`,
);
const FLAGS = ["--micro-batches", "1", "--top-k", "1", "--workers", "1"];

describe("weft tune when the layout as written does not run", () => {
  it("ranks the layouts that fit and gives the reason the written one does not run", () => {
    const r = weft(["tune", file, ...FLAGS, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(o.baseline.label).toBe("tp1 pp1 dp16 mb4 no-recompute zero0");
    expect(o.baseline.runs).toBe(false);
    expect(o.baseline.reason).toMatch(/^gpt-13b does not fit: pipeline stage 0 needs 264\.5 GB/);
    expect(o.top.length).toBeGreaterThan(0);
    for (const t of o.top) {
      expect(t.runs).toBe(true);
      expect(t.memoryBytes).toBeLessThanOrEqual(85.9e9);
      expect(t.stepTimeS).toBeGreaterThan(0);
    }

    const text = weft(["tune", file, ...FLAGS]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^as written +tp1 pp1 dp16 mb4 no-recompute zero0 +does not run/m);
    expect(text.stdout).toMatch(
      /^Best: .* per step, the layout as written does not run: gpt-13b does not fit/m,
    );
  });
});
