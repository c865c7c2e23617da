// Training jobs on the shared clock: alone they give the step of `workload: training`; together their
// gradient reductions meet on an oversubscribed spine, each is slowed, and the report says by whom and where.
import { describe, expect, it } from "vitest";
import type { JobsResults, TrainingResults } from "../../src/index.js";
import { formatResults, parseScenario, run } from "../../src/index.js";

/** 16 nodes of 8 H100 with 8 × 400G NICs on a 2-tier fat-tree: 4 nodes per leaf, 4 leaves. */
const cluster = (oversubscription: number) => `cluster:
  groups:
    - { name: gpu, nodes: 16, accelerator: H100-SXM, acceleratorsPerNode: 8, scaleUp: nvlink4, nics: { count: 8, bandwidth: 400Gbps } }
  scaleOut: { topology: fat-tree, tiers: 2, switch: { radix: 40, portBandwidth: 400Gbps }, oversubscription: ${oversubscription} }
`;

const training = (parallelism: string, batch = 64, zero = 0) =>
  `{ model: llama3-8b, parallelism: { ${parallelism}, zero: ${zero} }, microBatch: 1, globalBatch: ${batch} }`;

const doc = (fidelity: string, oversubscription: number, body: string) =>
  parseScenario(`name: training jobs
${cluster(oversubscription)}${body}
simulation: { fidelity: ${fidelity}, seed: 1 }
`);

const nodes = (ns: number[]) => `{ nodes: [${ns.map((n) => `gpu-n${n}`).join(", ")}] }`;

describe("a training job alone", () => {
  const cases = [
    { fidelity: "flow", parallelism: "tp: 8, dp: 16", zero: 0 },
    { fidelity: "flow", parallelism: "tp: 8, dp: 16", zero: 1 },
    { fidelity: "analytical", parallelism: "tp: 8, dp: 16", zero: 1 },
    { fidelity: "analytical", parallelism: "tp: 8, pp: 2, dp: 8", zero: 1 },
  ];
  for (const c of cases) {
    it(`${c.fidelity}, ${c.parallelism}, ZeRO ${c.zero}: gives the step of workload: training`, async () => {
      const w = training(c.parallelism, 128, c.zero);
      const one = (await run(doc(c.fidelity, 4, `workload:\n  training: ${w}\n`))) as TrainingResults;
      const many = (await run(
        doc(c.fidelity, 4, `jobs:\n  - { name: t, placement: { group: gpu }, training: ${w} }\n`),
      )) as JobsResults;
      const job = many.jobs[0];
      expect(Math.abs(job.stepTimeS / one.stepTimeS - 1)).toBeLessThan(1e-9);
      expect(Math.abs((job.mfu as number) / one.mfu - 1)).toBeLessThan(1e-9);
      expect(job.slowdown).toBe(1);
      expect(job.kind).toBe("training");
    });
  }
});

// Leaves hold nodes 0-3, 4-7, 8-11, 12-15. Interleaved, each job has two nodes on every leaf, so both
// jobs' data-parallel rings cross the 4:1 spine from every leaf.
const A = [0, 1, 4, 5, 8, 9, 12, 13];
const B = [2, 3, 6, 7, 10, 11, 14, 15];
const pair = (a: number[], b: number[]) =>
  `jobs:\n  - { name: a, placement: ${nodes(a)}, training: ${training("tp: 8, dp: 8")} }\n` +
  `  - { name: b, placement: ${nodes(b)}, start: 20ms, training: ${training("tp: 8, dp: 8")} }\n`;

describe("training jobs together", () => {
  it("interleaved on a 4:1 spine, their gradient all-reduces slow each other and the report names the spine", async () => {
    const r = (await run(doc("flow", 4, pair(A, B)))) as JobsResults;
    for (const [job, other] of [
      [r.jobs[0], "b"],
      [r.jobs[1], "a"],
    ] as const) {
      expect(job.slowdown).toBeGreaterThan(1.03);
      expect(job.causes[0].job).toBe(other);
      expect(job.causes[0].tiers[0]).toBe("spine");
      expect(job.sharedLinks[0].tier).toBe("spine");
      expect(job.mfu as number).toBeLessThan((job.mfu as number) * job.slowdown);
    }
    const text = formatResults(r);
    expect(text).toMatch(/a is \d\.\d\dx slower: 100% of its delay .* from b, meeting on \d+ spine links/);
    expect(text).toMatch(/MFU \d+\.\d%/);
  });

  it("on a non-blocking fabric, jobs on disjoint leaves do not slow each other", async () => {
    const r = (await run(
      doc("flow", 1, pair([0, 1, 2, 3, 4, 5, 6, 7], [8, 9, 10, 11, 12, 13, 14, 15])),
    )) as JobsResults;
    for (const job of r.jobs) expect(Math.abs(job.slowdown - 1)).toBeLessThan(0.01);
  });

  it("the other job never speeds one up", async () => {
    const both = (await run(doc("flow", 4, pair(A, B)))) as JobsResults;
    const alone = (await run(
      doc(
        "flow",
        4,
        `jobs:\n  - { name: a, placement: ${nodes(A)}, training: ${training("tp: 8, dp: 8")} }\n`,
      ),
    )) as JobsResults;
    expect(both.jobs[0].stepTimeS).toBeGreaterThanOrEqual(alone.jobs[0].stepTimeS * (1 - 1e-12));
    expect(both.jobs[0].aloneStepTimeS).toBeCloseTo(alone.jobs[0].stepTimeS, 12);
  });
});

describe("training jobs: errors", () => {
  it("a layout that does not fill the job's accelerators points at the job's parallelism", () => {
    expect(() =>
      doc(
        "flow",
        4,
        `jobs:\n  - name: t\n    placement: ${nodes([0, 1])}\n    training: ${training("tp: 8, dp: 4")}\n`,
      ),
    ).toThrow(/^[^:]*:?9:\d+: .*tp × pp × dp × cp = 8 × 1 × 4 × 1 = 32, but job "t" has 16/);
  });

  it("part of a node, and compute, are refused", () => {
    expect(() =>
      doc(
        "flow",
        4,
        `jobs:\n  - { name: t, placement: auto, accelerators: 12, training: ${training("tp: 4, dp: 3", 3)} }\n`,
      ),
    ).toThrow(/whole nodes of one accelerator group/);
    expect(() =>
      doc(
        "flow",
        4,
        `jobs:\n  - { name: t, placement: auto, accelerators: 8, compute: 1ms, training: ${training("tp: 8")} }\n`,
      ),
    ).toThrow(/compute comes from its model/);
  });
});
