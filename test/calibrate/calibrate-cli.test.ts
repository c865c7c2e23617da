// `weft calibrate` as a command: what the files say wins over --op / --ranks, inputs are never overwritten,
// inline hardware is refused with the way out, constants at a search bound are warned about, and the
// report keeps the sign of the largest residual.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parse, stringify } from "yaml";
import { fitCompute } from "../../src/calibrate/fit-compute.js";
import type { LinkFit } from "../../src/calibrate/fit-links.js";
import { formatNcclTests } from "../../src/calibrate/nccl-tests.js";
import { type CalibrateFlags, calibrateCommand, report } from "../../src/cli/calibrate.js";
import { modelOf } from "../../src/collectives/run.js";
import { loadScenario, parseScenario } from "../../src/scenario/load.js";

const AR_2HOST = `# Collective test starting: all_reduce_perf
# nThread 1 nGpus 1 minBytes 1048576 maxBytes 1073741824 step: 4(factor) warmup iters: 5 iters: 20 agg iters: 1 validation: 1 graph: 0
#
# Using devices
#  Rank  0 Group  0 Pid  11111 on    node01 device  0 [0x18] NVIDIA H100 80GB HBM3
#  Rank  1 Group  0 Pid  22222 on    node02 device  0 [0x18] NVIDIA H100 80GB HBM3
#
#       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong
#        (B)    (elements)                               (us)  (GB/s)  (GB/s)            (us)  (GB/s)  (GB/s)
     1048576        262144     float     sum      -1    60.00   17.48   17.48      0    60.00   17.48   17.48      0
     4194304       1048576     float     sum      -1   120.0   34.95   34.95      0   120.0   34.95   34.95      0
    16777216       4194304     float     sum      -1   400.0   41.94   41.94      0   400.0   41.94   41.94      0
    67108864      16777216     float     sum      -1  1500.0   44.74   44.74      0  1500.0   44.74   44.74      0
   268435456      67108864     float     sum      -1  5800.0   46.28   46.28      0  5800.0   46.28   46.28      0
  1073741824     268435456     float     sum      -1    23000   46.68   46.68      0    23000   46.68   46.68      0
# Out of bounds values : 0 OK
`;

// One node of 8 H100 with an all-gather sweep; the file names its op and lists its ranks.
const AG_1NODE = formatNcclTests(
  "all_gather_perf",
  ["node01"],
  8,
  [1048576, 67108864, 1073741824].map((bytes) => ({ bytes, timeS: bytes / 300e9 + 2e-5, busbw: 260e9 })),
);

// A cluster written with inline hardware: no catalog id on its scale-up fabric or its switch.
const INLINE = `name: inline
cluster:
  groups:
    - name: gpu
      nodes: 2
      accelerator: H100-SXM
      acceleratorsPerNode: 8
      scaleUp: { bandwidth: 450GB/s }
      nics: { count: 8, bandwidth: 400Gbps }
  scaleOut:
    topology: fat-tree
    switch: { radix: 64, portBandwidth: 400Gbps }
workload:
  collective: { op: all-reduce, sizes: [1MiB] }
`;

// The same cluster with its hardware given ids, the two ways the refusal offers.
const WITH_IDS = `name: with ids
cluster:
  groups:
    - name: gpu
      nodes: 2
      accelerator: H100-SXM
      acceleratorsPerNode: 8
      scaleUp: { id: nvlink4, bandwidth: 450GB/s }
      nics: { count: 8, bandwidth: 400Gbps }
  scaleOut:
    topology: fat-tree
    switch: my-switch
workload:
  collective: { op: all-reduce, sizes: [1MiB] }
hardware:
  switches:
    my-switch: { radix: 64, portBandwidth: 400Gbps }
`;

let dir: string;
const at = (name: string, text?: string) => {
  const file = path.join(dir, name);
  if (text !== undefined) writeFileSync(file, text);
  return file;
};

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "weft-cal-cli-"));
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs the command in this process, its stdout and stderr captured. */
async function calibrate(scenario: string, files: string[], flags: Partial<CalibrateFlags> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((s) => stdout.push(String(s)) > 0);
  vi.spyOn(process.stderr, "write").mockImplementation((s) => stderr.push(String(s)) > 0);
  await calibrateCommand(scenario, files, { out: at("out.yaml"), ...flags });
  vi.restoreAllMocks();
  return { stdout: stdout.join(""), stderr: stderr.join("") };
}

describe("the file wins over --op and --ranks", () => {
  it("an unknown op name is not a known collective, with the valid ones", async () => {
    await expect(
      calibrate("examples/quickstart.yaml", [at("ag.txt", AG_1NODE)], { op: "allreduce" }),
    ).rejects.toThrow(
      /^--op allreduce: not a known collective \(did you mean all-reduce\?\); expected one of all-reduce, all-gather, reduce-scatter, all-to-all, broadcast, reduce, send-recv$/,
    );
  });

  it("a flag that contradicts the file's op or rank list is an error naming the file and both values", async () => {
    const ag = at("ag.txt", AG_1NODE);
    await expect(calibrate("examples/quickstart.yaml", [ag], { op: "all-reduce" })).rejects.toThrow(
      `${ag}: --op all-reduce contradicts the file, whose line 1 (# Collective test starting: all_gather_perf) says all-gather`,
    );
    await expect(calibrate("examples/quickstart.yaml", [ag], { ranks: "16" })).rejects.toThrow(
      `${ag}: --ranks 16 contradicts the file, whose rank lines (#  Rank N ... on HOST) list 8 ranks on 1 host(s)`,
    );
  });

  it("a flag that agrees with the file is fine, and the file's op and ranks are the ones fitted", async () => {
    const ag = at("ag.txt", AG_1NODE);
    const r = await calibrate("examples/quickstart.yaml", [ag], { op: "all-gather", ranks: "8", json: true });
    expect(JSON.parse(r.stdout).links[0].tier).toMatch(/^scaleUp|inNetworkUp$/);
  });
});

describe("inputs", () => {
  it("a 2-host run with 1 GPU per host fits the scale-out switch, not NVLink", async () => {
    const r = await calibrate("examples/quickstart.yaml", [at("ar_2host.txt", AR_2HOST)], { json: true });
    const o = JSON.parse(r.stdout);
    expect(o.links.map((t: { tier: string }) => t.tier)).toEqual(["scaleOut"]);
    const written = parse(readFileSync(at("out.yaml"), "utf8"));
    expect(Object.keys(written.hardware)).toEqual(["switches"]);
    expect(written.hardware.switches.QM9700.linkEfficiency).toBeGreaterThan(0.5);
  });

  it("--step times must be above zero", async () => {
    for (const time of ["-3s", "0s"]) {
      await expect(calibrate("examples/quickstart.yaml", [], { step: [`x.yaml=${time}`] })).rejects.toThrow(
        `--step x.yaml=${time}: a step takes a positive time; expected a time above zero such as 8.85s`,
      );
    }
  });

  it("-o naming one of the command's inputs is refused before any work, the input untouched", async () => {
    const scenario = at("s.yaml", readFileSync("examples/quickstart.yaml", "utf8"));
    const run = at("ar.txt", AR_2HOST);
    const step = at("t.yaml", readFileSync("examples/quickstart.yaml", "utf8"));
    const cases: [string, string, Partial<CalibrateFlags>][] = [
      [scenario, "the scenario", {}],
      [run, "a measurement file", {}],
      [step, "a --step scenario", { step: [`${step}=1s`] }],
    ];
    for (const [out, what, flags] of cases) {
      await expect(calibrate(scenario, [run], { ...flags, out })).rejects.toThrow(
        new RegExp(`^--out .* is ${what} .*; writing the fit there would overwrite it`),
      );
    }
    expect(readFileSync(scenario, "utf8")).toBe(readFileSync("examples/quickstart.yaml", "utf8"));
    expect(readFileSync(run, "utf8")).toBe(AR_2HOST);
  });
});

describe("inline hardware", () => {
  it("is refused at its line, saying how to give it an id", async () => {
    const scenario = at("inline.yaml", INLINE);
    await expect(calibrate(scenario, [at("ar_2host.txt", AR_2HOST)])).rejects.toThrow(
      /inline\.yaml:12:13: the runs measure the scale-out tier, whose switch is written inline \(no catalog id\).*define it under hardware: \(switches: \{ my-switch: \{ radix: 64, portBandwidth: 400Gbps \} \}\) and write switch: my-switch/,
    );
    await expect(calibrate(scenario, [at("ag.txt", AG_1NODE)])).rejects.toThrow(
      /inline\.yaml:8:16: the runs measure this group's scale-up fabric, which is written inline .*scaleUp: \{ my-scale-up: \{ bandwidth: 450GB\/s \} \}/,
    );
  });

  it("given ids, the written file loads on its own and the scenario takes its constants", async () => {
    const scenario = at("ids.yaml", WITH_IDS);
    await calibrate(scenario, [at("ar_2host.txt", AR_2HOST)]);
    const written = readFileSync(at("out.yaml"), "utf8");
    const fitted = parse(written).hardware.switches["my-switch"];
    // The file carries the switch's definition with the fitted constants: in place of the scenario's own.
    const withoutOwn = WITH_IDS.slice(0, WITH_IDS.indexOf("hardware:"));
    const s = parseScenario(`${withoutOwn}${written}`, "s.yaml");
    expect(s.cluster.scaleOut.switch.linkEfficiency).toBe(fitted.linkEfficiency);
    expect(s.cluster.scaleOut.switch.radix).toBe(64);
    expect(modelOf(s).model).toBeDefined();
    // Merged into the scenario's own hardware: section, field by field.
    const doc = parse(WITH_IDS);
    Object.assign(doc.hardware.switches["my-switch"], {
      linkEfficiency: fitted.linkEfficiency,
      stepLatency: fitted.stepLatency,
    });
    const merged = parseScenario(stringify(doc), "m.yaml");
    expect(merged.cluster.scaleOut.switch.linkEfficiency).toBe(fitted.linkEfficiency);
    expect(loadScenario(scenario).cluster.scaleOut.switch.linkEfficiency).toBeUndefined();
  });
});

describe("constants at a search bound", () => {
  it("are warned about; the file is still written, the warnings in its header", async () => {
    // Two hosts with one 400G NIC each, measured at 4× that rate: no link efficiency in (0, 1] explains it.
    const rows = [1048576, 67108864, 1073741824].map((bytes) => ({
      bytes,
      timeS: bytes / 200e9 + 2e-5,
      busbw: 200e9,
    }));
    const file = at("fast.txt", formatNcclTests("all_reduce_perf", ["a", "b"], 1, rows));
    const json = JSON.parse((await calibrate("examples/quickstart.yaml", [file], { json: true })).stdout);
    expect(json.warnings).toContainEqual(
      expect.stringMatching(
        /^scaleOut: link efficiency 1\.000 is at the upper bound of its search range \[0\.05, 1\]; the measurements do not fit this model within its bounds/,
      ),
    );
    expect(readFileSync(at("out.yaml"), "utf8")).toMatch(
      /^# warning: scaleOut: link efficiency 1\.000 is at the upper bound/m,
    );
    const text = await calibrate("examples/quickstart.yaml", [file]);
    expect(text.stderr).toMatch(/^warning: scaleOut: link efficiency 1\.000 is at the upper bound/m);
  });

  it("gemmMax at 1.0 when the step time is faster than the accelerator can go", () => {
    const scenario = parseScenario(
      `name: step
cluster:
  groups: [{ name: gpu, nodes: 2, accelerator: H100-SXM, nics: { count: 8, bandwidth: 400Gbps } }]
workload:
  training:
    model: llama3-8b
    parallelism: { tp: 8, pp: 1, dp: 2 }
    microBatch: 1
    globalBatch: 32
simulation: { fidelity: analytical, seed: 1 }
`,
      "step.yaml",
    );
    const fit = fitCompute([{ file: "step.yaml", scenario, stepTimeS: 1e-3 }]);
    expect(fit.warnings).toEqual([
      expect.stringMatching(
        /^H100-SXM bf16: gemmMax 1\.000 is at the upper bound of its search range \[0\.1, 1\]/,
      ),
    ]);
  });
});

describe("the report", () => {
  it("prints the largest residual with its sign", () => {
    const res = (err: number) => ({ file: "a.txt", bytes: 8, measuredS: 1, modelS: 1 + err, err });
    const links: LinkFit = {
      tiers: [
        {
          tier: "scaleOut",
          linkEfficiency: 0.9,
          stepLatencyS: 1e-5,
          runs: ["a.txt"],
          residuals: [res(0.1), res(-0.5), res(0.3)],
          warnings: [],
        },
      ],
      model: {} as LinkFit["model"],
    };
    expect(report(links, undefined, "out.yaml")).toMatch(/largest residual -50\.0%/);
  });
});
