// Many jobs on one fabric: alone equals the one-job form, jobs only ever slow each other, disjoint jobs on a
// non-blocking fabric do not meet, a shared oversubscribed spine slows both by the factor it should, and
// failures after time 0 reach running jobs from their time on.
import { describe, expect, it } from "vitest";
import type { CollectiveResults, JobsResults, TrafficResults } from "../../src/index.js";
import { formatResults, parseScenario, run } from "../../src/index.js";

/** 16 single-GPU nodes with one 400G NIC each, on two leaves of 8 ports. */
const cluster = (oversubscription: number, loadBalancing = "spray") => `cluster:
  groups:
    - { name: gpu, nodes: 16, accelerator: H100-SXM, acceleratorsPerNode: 1, nics: { count: 1, bandwidth: 400Gbps } }
  scaleOut: { topology: fat-tree, tiers: 2, switch: { radix: ${oversubscription === 4 ? 10 : 16}, portBandwidth: 400Gbps }, oversubscription: ${oversubscription} }
  transport: { loadBalancing: ${loadBalancing} }
`;

const job = (name: string, nodes: number[], extra = "", size = "256MiB") =>
  `  - name: ${name}
    placement: { nodes: [${nodes.map((n) => `gpu-n${n}`).join(", ")}] }
${extra}    collective: { op: all-reduce, sizes: [${size}], algorithm: direct }
`;

const scenario = (fidelity: string, body: string, oversubscription = 4, tail = "") =>
  parseScenario(`name: jobs
${cluster(oversubscription)}${body}
simulation: { fidelity: ${fidelity}, seed: 1 }
${tail}`);

async function jobs(fidelity: string, body: string, oversubscription = 4, tail = ""): Promise<JobsResults> {
  return (await run(scenario(fidelity, `jobs:\n${body}`, oversubscription, tail))) as JobsResults;
}

// Each job has four nodes on each leaf (nodes 0-7 on leaf 0, 8-15 on leaf 1); its direct all-reduce
// sends from every rank to every other, so half of its transfers cross the spine.
const A = [0, 1, 2, 3, 8, 9, 10, 11];
const B = [4, 5, 6, 7, 12, 13, 14, 15];

describe("a job alone", () => {
  for (const fidelity of ["flow", "analytical"]) {
    it(`${fidelity}: gives the result it gives as workload:`, async () => {
      const coll = "{ op: all-reduce, sizes: [1MiB, 1GiB], factor: 32, algorithm: auto }";
      const one = (await run(scenario(fidelity, `workload:\n  collective: ${coll}`, 1))) as CollectiveResults;
      const many = await jobs(
        fidelity,
        `  - { name: x, placement: { group: gpu }, collective: ${coll} }\n`,
        1,
      );
      const rows = many.jobs[0].rows;
      expect(rows.length).toBe(one.rows.length);
      one.rows.forEach((r, i) => {
        expect(Math.abs(rows[i].timeUs / r.timeUs - 1)).toBeLessThan(1e-12);
        expect(rows[i].algorithm).toBe(r.algorithm);
      });
      expect(many.jobs[0].slowdown).toBe(1);
    });
  }
});

describe("a traffic job", () => {
  for (const pattern of ["permutation", "all-to-all", "incast"]) {
    it(`${pattern} alone gives the flow times of workload.traffic`, async () => {
      const traffic = `{ pattern: ${pattern}, size: 4MB }`;
      const one = (await run(scenario("flow", `workload:\n  traffic: ${traffic}`))) as TrafficResults;
      const many = await jobs("flow", `  - { name: t, placement: { group: gpu }, traffic: ${traffic} }\n`);
      const fct = many.jobs[0].fctUs!;
      expect(many.jobs[0].flows).toBe(one.flows.length);
      expect(Math.abs(fct.p50 / one.fctUs.p50 - 1)).toBeLessThan(1e-9);
      expect(Math.abs(fct.max / one.fctUs.max - 1)).toBeLessThan(1e-9);
    });
  }

  it("an all-to-all across the spine slows a data-parallel job and is named as the cause", async () => {
    const r = await jobs(
      "flow",
      `${job("dp", A)}  - { name: shuffle, placement: { nodes: [gpu-n4, gpu-n5, gpu-n6, gpu-n7, gpu-n12, gpu-n13, gpu-n14, gpu-n15] }, steps: 4, traffic: { pattern: all-to-all, size: 64MB } }\n`,
    );
    expect(r.jobs[0].slowdown).toBeGreaterThan(1.1);
    expect(r.jobs[0].causes[0]).toMatchObject({ job: "shuffle", share: 1, tiers: ["spine"] });
    expect(formatResults(r)).toMatch(/dp is \d\.\d\dx slower: 100% of its delay .* from shuffle/);
    expect(formatResults(r)).toMatch(/## shuffle: all-to-all .*\n56 flows per step; FCT p50/);
  });
});

describe("jobs together", () => {
  it("two data-parallel all-reduces across the same 4:1 spine each slow by the spine's factor, and the report says where", async () => {
    const r = await jobs("flow", job("a", A) + job("b", B));
    // A leaf has 8 ports of 400G and 2 uplinks (800G). Alone, a job's 4 ranks on a leaf each send to the
    // 4 ranks on the other leaf: 16 flows share the 800G up, 50G each, while each NIC's 3 flows inside the
    // leaf get (400 − 4·50)/3 = 67G and end first; the remote flows set the step. With the other job, 32
    // flows share the uplinks: 25G each, the step's transfer takes 2x (the local flows, at (400 − 100)/3 =
    // 100G, still end first). The α's and base latency do not grow: the slowdown is 2 less their share.
    for (const j of r.jobs) {
      expect(j.slowdown).toBeGreaterThan(1.95);
      expect(j.slowdown).toBeLessThanOrEqual(2 + 1e-9);
      expect(j.causes).toHaveLength(1);
      expect(j.causes[0].share).toBe(1);
      expect(j.causes[0].tiers).toEqual(["spine"]);
      expect(j.sharedLinks[0].tier).toBe("spine");
    }
    expect(r.jobs[0].causes[0].job).toBe("b");
    expect(r.jobs[1].causes[0].job).toBe("a");
    const text = formatResults(r);
    expect(text).toMatch(/a is 2\.00x slower: 100% of its delay .* from b, meeting on \d+ spine links/);
    expect(text).toMatch(/b is 2\.00x slower: 100% of its delay .* from a, meeting on \d+ spine links/);
  });

  it("a delay met from two jobs alike is shared between them, and the shares add up to the delay", async () => {
    // Three identical jobs, each with two nodes on each leaf: by symmetry a meets b and c equally.
    const r = await jobs(
      "flow",
      job("a", [0, 1, 8, 9]) + job("b", [2, 3, 10, 11]) + job("c", [4, 5, 12, 13]),
    );
    for (const j of r.jobs) {
      expect(j.slowdown).toBeGreaterThan(1.1);
      expect(j.causes.map((c) => c.share).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
      for (const c of j.causes) expect(c.share).toBeCloseTo(0.5, 6);
      const delayS = j.steps * (j.stepTimeS - j.aloneStepTimeS);
      expect(j.causes.reduce((x, c) => x + c.delayS, 0)).toBeCloseTo(delayS, 12);
    }
  });

  it("jobs on disjoint leaves of a non-blocking fabric do not slow each other", async () => {
    const r = await jobs(
      "flow",
      job("a", [0, 1, 2, 3, 4, 5, 6, 7]) + job("b", [8, 9, 10, 11, 12, 13, 14, 15]),
      1,
    );
    for (const j of r.jobs) {
      expect(j.slowdown).toBeGreaterThanOrEqual(0.99);
      expect(j.slowdown).toBeLessThanOrEqual(1.01);
      expect(j.causes).toEqual([]);
    }
    expect(formatResults(r)).toMatch(/no job slowed another/);
  });

  it("adding a job never speeds another up", async () => {
    const loads = ["ecmp", "spray"];
    for (const lb of loads) {
      const body = (n: number) =>
        [
          job("a", A, "    steps: 2\n    compute: 1ms\n"),
          job("b", B, "    start: 3ms\n", "64MiB"),
          job("c", []),
        ]
          .slice(0, n)
          .join("");
      const two = (await run(
        parseScenario(`name: j\n${cluster(4, lb)}jobs:\n${body(2)}simulation: { fidelity: flow, seed: 2 }\n`),
      )) as JobsResults;
      const one = (await run(
        parseScenario(`name: j\n${cluster(4, lb)}jobs:\n${body(1)}simulation: { fidelity: flow, seed: 2 }\n`),
      )) as JobsResults;
      expect(two.jobs[0].stepTimeS).toBeGreaterThanOrEqual(one.jobs[0].stepTimeS * (1 - 1e-12));
      expect(two.jobs[0].aloneStepTimeS).toBe(one.jobs[0].stepTimeS);
    }
  });

  it("the same scenario gives byte-identical JSON (but the wall time)", async () => {
    const body = job("a", A, "    steps: 2\n") + job("b", B, "    start: 1ms\n");
    const a = await jobs("flow", body);
    const b = await jobs("flow", body);
    expect(JSON.stringify({ ...a, wallS: 0 })).toBe(JSON.stringify({ ...b, wallS: 0 }));
  });
});

describe("failures over time", () => {
  const lone = job("a", A, "    steps: 4\n    compute: 1ms\n");

  it("flow: a degraded spine at t > 0 slows the steps after it, not those before", async () => {
    const healthy = await jobs("flow", lone);
    const stepS = healthy.jobs[0].stepTimeS;
    // Halve every spine link in the middle of the third step.
    const at = stepS * 2.5;
    const r = await jobs(
      "flow",
      lone,
      4,
      `failures:\n  - { at: ${at}s, link: { tier: spine, count: 2 }, degrade: 50% }\n`,
    );
    const j = r.jobs[0];
    expect(j.failureLossS).toBeGreaterThan(0);
    expect(j.stepTimeS).toBeGreaterThan(stepS * 1.05);
    expect(r.warnings).toEqual([]);
    // It ends later than healthy, but by less than if the whole run had been degraded.
    const fromStart = await jobs(
      "flow",
      lone,
      4,
      "failures:\n  - { at: 0s, link: { tier: spine, count: 2 }, degrade: 50% }\n",
    );
    expect(j.endS).toBeGreaterThan(healthy.jobs[0].endS * 1.05);
    expect(j.endS).toBeLessThan(fromStart.jobs[0].endS * 0.95);
  });

  it("flow: a spine link that dies at t > 0 is routed around after failureDetection, and the job finishes", async () => {
    const r = await jobs("flow", lone, 4, "failures:\n  - { at: 5ms, link: { tier: spine, count: 1 } }\n");
    expect(r.jobs[0].endS).toBeGreaterThan(0);
    expect(Number.isFinite(r.jobs[0].endS)).toBe(true);
    expect(r.jobs[0].failureLossS).toBeGreaterThan(0);
  });

  it("analytical: a degraded link changes the result", async () => {
    const healthy = await jobs("analytical", lone);
    const r = await jobs(
      "analytical",
      lone,
      4,
      "failures:\n  - { at: 0s, link: { tier: spine, count: 2 }, degrade: 50% }\n",
    );
    expect(r.jobs[0].stepTimeS).toBeGreaterThan(healthy.jobs[0].stepTimeS * 1.2);
  });

  it("analytical: a failure after time 0 holds from time 0 (no clock in a closed form), and a warning says so", async () => {
    const fromStart = await jobs(
      "analytical",
      lone,
      4,
      "failures:\n  - { at: 0s, link: { tier: spine, count: 2 }, degrade: 50% }\n",
    );
    const later = await jobs(
      "analytical",
      lone,
      4,
      "failures:\n  - { at: 1s, link: { tier: spine, count: 2 }, degrade: 50% }\n",
    );
    expect(later.jobs[0].stepTimeS).toBe(fromStart.jobs[0].stepTimeS);
    expect(later.warnings).toEqual([
      expect.stringMatching(/^analytical fidelity has no clock for failures: the 1 failure/),
    ]);
    expect(fromStart.warnings).toEqual([]);
  });
});

describe("jobs: errors", () => {
  it("overlapping placements, unknown nodes and both workload and jobs point at their line", () => {
    expect(() => scenario("flow", `jobs:\n${job("a", [0, 1])}${job("b", [1, 2])}`)).toThrow(
      /^[^:]*:?\d+:\d+: .*share accelerator rank 1/,
    );
    expect(() => scenario("flow", `jobs:\n${job("a", [0, 99])}`)).toThrow(
      /\d+:\d+: no accelerator node "gpu-n99"/,
    );
    // A node listed twice by one job is that job's mistake, not an overlap with another.
    expect(() => scenario("flow", `jobs:\n${job("a", [0, 0])}`)).toThrow(
      /\d+:\d+: node "gpu-n0" is listed twice \(item 1 and 2\); expected each node once/,
    );
    expect(() =>
      scenario("flow", `workload:\n  collective: { op: all-reduce, sizes: [1MiB] }\njobs:\n${job("a", [0])}`),
    ).toThrow(/either workload .* or jobs/);
    expect(() =>
      scenario(
        "flow",
        "jobs:\n  - { name: x, placement: auto, collective: { op: all-reduce, sizes: [1MiB] } }\n",
      ),
    ).toThrow(/needs "accelerators"/);
  });

  it("auto packs the lowest free whole nodes", async () => {
    const r = await jobs(
      "flow",
      `${job("a", [0, 1])}  - { name: b, placement: auto, accelerators: 3, collective: { op: all-reduce, sizes: [1MiB] } }\n`,
    );
    expect(r.jobs[1].accelerators).toBe(3);
  });
});

describe("jobs at packet fidelity", () => {
  const small = (name: string, nodes: number[], extra = "") => job(name, nodes, extra, "16MiB");

  it("a job alone gives the all-reduce time of workload: at packet fidelity (within 2%)", async () => {
    const coll = "collective: { op: all-reduce, sizes: [16MiB], algorithm: direct, ranks: 8 }";
    const one = (await run(scenario("packet", `workload:\n  ${coll}`))) as CollectiveResults;
    const many = await jobs("packet", small("a", [0, 1, 2, 3, 4, 5, 6, 7]));
    const ratio = many.jobs[0].rows[0].timeUs / one.rows[0].timeUs;
    expect(Math.abs(ratio - 1)).toBeLessThan(0.02);
    expect(many.jobs[0].slowdown).toBe(1);
  });

  it("two all-reduces across the same 4:1 spine slow each other, packet by packet, and the report names the spine", async () => {
    const r = await jobs("packet", small("a", A) + small("b", B));
    for (const j of r.jobs) {
      // The fluid limit is 2x (see "jobs together"); packets add queueing and congestion-control losses.
      expect(j.slowdown).toBeGreaterThan(1.6);
      expect(j.slowdown).toBeLessThan(2.4);
      expect(j.causes[0].tiers).toContain("spine");
      expect(j.sharedLinks[0].tier).toBe("spine");
    }
    expect(r.jobs[0].causes[0].job).toBe("b");
    expect(r.jobs[1].causes[0].job).toBe("a");
  });

  it("a spine degraded at t > 0 slows the steps after it", async () => {
    const lone = small("a", A, "    steps: 4\n    compute: 100us\n");
    const healthy = await jobs("packet", lone);
    const at = healthy.jobs[0].stepTimeS * 2.5;
    const r = await jobs(
      "packet",
      lone,
      4,
      `failures:\n  - { at: ${at}s, link: { tier: spine, count: 2 }, degrade: 50% }\n`,
    );
    expect(r.jobs[0].failureLossS).toBeGreaterThan(0);
    expect(r.jobs[0].endS).toBeGreaterThan(healthy.jobs[0].endS * 1.05);
  });
});
