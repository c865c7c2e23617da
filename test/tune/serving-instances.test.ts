// The serving tuner answers the cheapest instance count that meets the SLO, not the cheapest rung of its
// ladder (1, 2, 3, 4, 6, 8, …): the pools as written are ranked too, and the counts between a rung that
// missed and one that met are searched.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { weft } from "../cli/run-cli.js";
import { tempDir } from "../sweep/helpers.js";

const dir = tempDir("weft-tune-instances-");

/** Co-located Llama 3 70B on 64 H100: four tp-8 instances miss TPOT p99 (26.2 ms), five meet it (22.3 ms). */
function colocated(instances: number): string {
  const file = path.join(dir, `coloc${instances}.yaml`);
  writeFileSync(
    file,
    `name: Llama 3 70B co-located, ${instances} instances
cluster:
  groups:
    - name: h100
      nodes: 8
      accelerator: H100-SXM
      acceleratorsPerNode: 8
      scaleUp: nvlink4
      nics: { count: 8, bandwidth: 400Gbps }
  scaleOut:
    topology: rail-optimized
    switch: QM9700
workload:
  inference:
    model: llama3-70b
    prefill: { group: h100, tp: 8, instances: ${instances}, maxBatch: 128 }
    requests:
      rate: 18/s
      count: 300
      promptTokens: { dist: lognormal, mean: 2048, sigma: 0.5 }
      outputTokens: { dist: lognormal, mean: 256, sigma: 0.5 }
      seed: 7
    slo: { ttft: 1s, tpot: 25ms }
simulation: { fidelity: flow, seed: 1 }
`,
  );
  return file;
}

function tuneJson(file: string) {
  const r = weft(["tune", file, "--workers", "1", "--json"]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

describe("weft tune on a service: the cheapest instance count", () => {
  it("ranks the pools as written: 5×tp8, off the ladder, meets the SLO and is the answer", () => {
    const o = tuneJson(colocated(5));
    expect(o.baseline.label).toBe("5×tp8");
    expect(o.baseline.meetsSlo).toBe(true);
    expect(o.winner.label).toBe("5×tp8");
    expect(o.winner.accelerators).toBe(40);
    expect(o.top[0].label).toBe("5×tp8");
    expect(o.explanation).toMatch(
      /^5×tp8 \(40 accelerators, \$156\/h\) is the cheapest design that meets the SLO; the next cheaper, 4×tp8, misses: TPOT p99/,
    );
  });

  it("searches the counts between a rung that missed (4) and one that met (6)", () => {
    const o = tuneJson(colocated(4));
    expect(o.baseline.meetsSlo).toBe(false);
    expect(o.winner.label).toBe("5×tp8");
    expect(o.winner.costUsdPerHour).toBeLessThan(
      o.top.find((t: { label: string }) => t.label === "6×tp8").costUsdPerHour,
    );
    expect(o.explanation).toMatch(/With fewer instances: prefill 4×tp8 misses TPOT p99/);
  });
});
