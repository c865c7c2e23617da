// An inference service as a job: alone it serves as `workload: inference` does; beside a training job
// whose gradient all-reduce crosses the same oversubscribed leaf uplinks, its KV transfers (flows of its
// own tag on the shared network) are slowed, its TTFT p99 rises with them, and the report names the
// training job and the tier. GPT-3 175B has no grouped-query attention (4.7 MB of KV a token), so its KV
// transfer is a real part of the time to first token.
import { describe, expect, it } from "vitest";
import type { InferenceResults, JobsResults } from "../../src/index.js";
import { formatResults, parseScenario, run } from "../../src/index.js";

const cluster = `cluster:
  groups:
    - { name: gpu, nodes: 16, accelerator: H100-SXM, acceleratorsPerNode: 8, scaleUp: nvlink4, nics: { count: 8, bandwidth: 400Gbps } }
  scaleOut: { topology: fat-tree, tiers: 2, switch: { radix: 40, portBandwidth: 400Gbps }, oversubscription: 4 }
`;

const serving = `{ model: gpt3-175b, prefill: { tp: 8, instances: 2, maxBatch: 64 }, decode: { tp: 8, instances: 2, maxBatch: 256 },
      requests: { rate: 2/s, count: 100, promptTokens: { dist: lognormal, mean: 4096, sigma: 0.3 }, outputTokens: { dist: lognormal, mean: 256, sigma: 0.5 }, seed: 7 },
      kvCache: { transfer: whole }, slo: { ttft: 1.5s, tpot: 40ms } }`;

// Leaves hold nodes 0-3, 4-7, 8-11, 12-15: prefill on 2-3 (leaf 0), decode on 4-5 (leaf 1).
const serve = `  - { name: serve, placement: { nodes: [gpu-n2, gpu-n3, gpu-n4, gpu-n5] }, inference: ${serving} }\n`;
const train = `  - name: train
    placement: { nodes: [gpu-n0, gpu-n1, gpu-n6, gpu-n7, gpu-n8, gpu-n9, gpu-n10, gpu-n11, gpu-n12, gpu-n13, gpu-n14, gpu-n15] }
    steps: 40
    training: { model: llama3-8b, parallelism: { tp: 8, dp: 12 }, microBatch: 1, globalBatch: 96 }
`;
const doc = (body: string) =>
  parseScenario(`name: inference jobs\n${cluster}${body}simulation: { fidelity: flow, seed: 1 }\n`);

describe("an inference job", () => {
  it("alone, serves as workload: inference does on the same accelerators", async () => {
    const one = (await run(
      doc(`workload:\n  inference: ${serving.replace("prefill: { tp: 8", "prefill: { group: gpu, tp: 8")}\n`),
    )) as InferenceResults;
    const many = (await run(
      doc(
        `jobs:\n  - { name: serve, placement: { nodes: [gpu-n0, gpu-n1, gpu-n2, gpu-n3] }, inference: ${serving} }\n`,
      ),
    )) as JobsResults;
    const job = many.jobs[0];
    expect(job.kind).toBe("inference");
    expect(job.ttftS).toEqual(one.ttftS);
    expect(job.tpotS).toEqual(one.tpotS);
    expect(job.kvTransferS).toEqual(one.kvTransferS);
    expect(job.slowdown).toBe(1);
  });

  it("beside a training job on the same leaf uplinks, its KV transfers slow and the report names the job and tier", async () => {
    const alone = (await run(doc(`jobs:\n${serve}`))) as JobsResults;
    const both = (await run(doc(`jobs:\n${serve}${train}`))) as JobsResults;
    const s = both.jobs[0];
    const a = alone.jobs[0];
    const p99 = (x: unknown) => (x as { p99: number }).p99;
    // A KV transfer that meets a gradient all-reduce on the 4:1 uplinks gets a share of them, not all: the
    // KV p99 rises (0.30 → 0.39 s here) and the TTFT p99 with it (1.49 → 1.65 s), KV being ~10% of TTFT.
    expect(p99(s.kvTransferS)).toBeGreaterThan(p99(a.kvTransferS) * 1.2);
    expect(p99(s.ttftS)).toBeGreaterThan(p99(a.ttftS) * 1.05);
    expect(s.slowdown).toBeCloseTo(p99(s.ttftS) / p99(a.ttftS), 12);
    expect(s.aloneTtftS).toEqual(a.ttftS);
    expect(s.sharedLinks[0].tier).toBe("spine");
    expect(s.sharedLinks[0].withJobs).toEqual(["train"]);
    expect(s.causes[0]).toMatchObject({ job: "train", tiers: ["spine"] });
    expect(both.jobs[1].causes[0]).toMatchObject({ job: "serve" });
    expect(formatResults(both)).toMatch(/serve TTFT p99 is 1\.\d\dx slower: .* from train, its KV transfers/);
    expect(formatResults(both)).toMatch(
      /## serve: gpt3-175b serving, prefill 2×tp8, decode 2×tp8 on 32 accelerators .* TTFT p99/,
    );
  });

  it("refuses compute and steps, and pools on another group", () => {
    expect(() =>
      doc(`jobs:\n  - { name: s, placement: auto, accelerators: 16, steps: 2, inference: ${serving} }\n`),
    ).toThrow(/serves its requests once/);
    expect(() =>
      doc(
        `jobs:\n  - { name: s, placement: auto, accelerators: 16, inference: ${serving.replace("prefill: { tp: 8", "prefill: { group: cpu, tp: 8")} }\n`,
      ),
    ).toThrow(/placed on group "gpu", not "cpu"/);
  });
});
