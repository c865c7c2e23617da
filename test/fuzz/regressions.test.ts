// One test per crash, hang, garbage result and unlocated error the fuzzer found, each with its exact
// outcome: the message a user sees.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { WeftError } from "../../src/errors.js";
import { run } from "../../src/run.js";
import { parseScenario } from "../../src/scenario/load.js";
import { REPO_ROOT } from "../helpers/data.js";

const example = (name: string) => readFileSync(path.join(REPO_ROOT, "examples", name), "utf8");
const QUICK = example("quickstart.yaml");
const SERVING = example("inference-llama70b-colocated-h100.yaml");
const TRAINING = example("training-mixtral-8x7b-ep8.yaml");
const HTSIM = example("htsim-default-one.yaml");
const LOGNORMAL_OUT = "outputTokens: { dist: lognormal, mean: 256, sigma: 0.5 }";
const LOGNORMAL_IN = "promptTokens: { dist: lognormal, mean: 2048, sigma: 0.5 }";

/** The message of the error that loading or running `text` ends with. */
async function outcome(text: string, file: string, force = false): Promise<string> {
  try {
    await run(parseScenario(text, file), { force });
  } catch (e) {
    if (e instanceof WeftError) return e.message;
    throw e;
  }
  throw new Error("expected an error, got a result");
}

describe("huge counts are refused at load time, not allocated", () => {
  it("nodes: 1000000000", async () => {
    expect(await outcome(QUICK.replace("nodes: 32", "nodes: 1000000000"), "q.yaml")).toBe(
      "q.yaml:7:14: cluster.groups[0].nodes: expected a number ≤ 1,048,576 (2^20 nodes; the largest clusters planned have about 10^5 servers), got number 1000000000",
    );
  });
  it("planes: 1000000", async () => {
    const text = QUICK.replace("oversubscription: 1", "oversubscription: 1\n    planes: 1000000");
    expect(await outcome(text, "q.yaml")).toBe(
      "q.yaml:17:13: cluster.scaleOut.planes: expected a number ≤ 64 (multi-plane fabrics use 2–8 planes), got number 1000000",
    );
  });
  it("globalBatch: 1e12", async () => {
    expect(await outcome(TRAINING.replace(/globalBatch: \d+/, "globalBatch: 1e12"), "t.yaml")).toBe(
      "t.yaml:23:18: workload.training.globalBatch: expected a number ≤ 4,194,304 (2^22 sequences; the largest published batches are about 10^4), got number 1000000000000",
    );
  });
  it("requests.count: 2^53", async () => {
    expect(await outcome(SERVING.replace("count: 2000", "count: 9007199254740992"), "i.yaml")).toBe(
      "i.yaml:23:14: workload.inference.requests.count: expected a number ≤ 1,000,000 (a serving simulation of at most a million requests), got number 9007199254740992",
    );
  });
  it("promptTokens: 2^32 + 128 is refused, never read as 128", async () => {
    expect(await outcome(SERVING.replace(LOGNORMAL_IN, "promptTokens: 4294967424"), "i.yaml")).toBe(
      "i.yaml:24:21: workload.inference.requests.promptTokens: expected a number ≤ 16,777,216 (2^24 tokens; the longest contexts are about 10^7), got number 4294967424",
    );
  });
});

describe("values that used to hang", () => {
  it("collective.factor: 1.0000001", async () => {
    expect(await outcome(QUICK.replace("factor: 4", "factor: 1.0000001"), "q.yaml")).toBe(
      "q.yaml:21:13: workload.collective.factor: expected a number ≥ 1.01 (a size sweep factor from 1.01 to 1,024), got number 1.0000001",
    );
  });
  it("a size of 1e400B", async () => {
    expect(await outcome(QUICK.replace("4GiB", "1e400B"), "q.yaml")).toBe(
      'q.yaml:20:19: workload.collective.sizes[1]: "1e400B" is too large to be a size; expected a size such as 4096B, 2MB or 16GiB (units B, KB, MB, GB, TB, PB, KiB, MiB, GiB, TiB, PiB)',
    );
  });
  it("a switch radix of 1e308 in hardware:", async () => {
    const text = `${QUICK.replace("switch: QM9700", "switch: BIG")}hardware:\n  switches:\n    BIG: { radix: 1e308, portBandwidth: 400Gbps }\n`;
    expect(await outcome(text, "q.yaml")).toBe(
      "q.yaml:27:19: hardware.switches.BIG.radix: 1e+308 is out of range; expected from 2 to 4,096 ports",
    );
  });
  it("a factor close to 1 over a wide range makes too many sizes", async () => {
    const text = QUICK.replace("[1MiB, 4GiB]", "[8B, 1PiB]").replace("factor: 4", "factor: 1.01");
    expect(await outcome(text, "q.yaml")).toBe(
      "q.yaml:21:13: sizes [8 B, 1,125,899,906,842,624 B] by factor 1.01 make 3,275 sizes; expected at most 256 (a larger factor or a narrower range)",
    );
  });
  it("a billion-laughs alias bomb", async () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
    ].join("\n");
    const started = performance.now();
    expect(await outcome(`${bomb}\n${QUICK}`, "q.yaml")).toBe(
      "q.yaml:1:1: YAML aliases expand too far (Excessive alias count indicates a resource exhaustion attack); expected at most 100 alias expansions",
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });
  it("more than 100 aliases, an unresolved alias, 400 and 5,000 levels of nesting", async () => {
    const many = `${QUICK}x: &x 1\nxs: [${Array(1200).fill("*x").join(", ")}]\n`;
    expect(await outcome(many, "q.yaml")).toMatch(
      /^q\.yaml:26:\d+: more than 100 YAML aliases; a scenario needs only a few \(expected at most 100\)$/,
    );
    expect(await outcome(QUICK.replace(/^name:/m, "name: *nowhere\nx:"), "q.yaml")).toBe(
      "q.yaml:3:7: the alias *nowhere names no anchor; expected an anchor &nowhere defined before it",
    );
    expect(await outcome(`${QUICK}deep: ${"[".repeat(400)}${"]".repeat(400)}\n`, "q.yaml")).toBe(
      "q.yaml:25:71: the document nests more than 64 levels deep here; expected a scenario nested at most 64 levels (real ones nest about 6)",
    );
    expect(await outcome(`${QUICK}deep: ${"[".repeat(5000)}${"]".repeat(5000)}\n`, "q.yaml")).toBe(
      "q.yaml:25:71: the document nests more than 64 levels deep here; expected a scenario nested at most 64 levels (real ones nest about 6)",
    );
  });
});

describe("values that gave results that are not results", () => {
  it("outputTokens: 0 and 1e12", async () => {
    expect(await outcome(SERVING.replace(LOGNORMAL_OUT, "outputTokens: 0"), "i.yaml")).toBe(
      "i.yaml:25:21: workload.inference.requests.outputTokens: expected a number ≥ 1, got number 0",
    );
    expect(await outcome(SERVING.replace(LOGNORMAL_OUT, "outputTokens: 1e12"), "i.yaml")).toBe(
      "i.yaml:25:21: workload.inference.requests.outputTokens: expected a number ≤ 16,777,216 (2^24 tokens; the longest contexts are about 10^7), got number 1000000000000",
    );
  });
  it("a request rate of 1e-300/s", async () => {
    expect(await outcome(SERVING.replace("rate: 18/s", "rate: 1e-300/s"), "i.yaml")).toBe(
      'i.yaml:22:13: workload.inference.requests.rate: "1e-300/s" is out of range; expected from one request per 1,000 s to ten million per second',
    );
  });
  it("a latency of 1e308", async () => {
    const text = QUICK.replace("oversubscription: 1", "oversubscription: 1\n    linkLatency: 1e308");
    expect(await outcome(text, "q.yaml")).toBe(
      "q.yaml:17:18: cluster.scaleOut.linkLatency: 1e+308 is out of range; expected at most 1 s; a cable or a switch adds nanoseconds to microseconds",
    );
  });
  it("a NIC bandwidth and a size of a tiny fraction", async () => {
    expect(await outcome(QUICK.replace("bandwidth: 400Gbps", "bandwidth: 1e-9"), "q.yaml")).toBe(
      "q.yaml:11:36: cluster.groups[0].nics.bandwidth: 1e-9 is out of range; expected from 1 Mbps to 1 PB/s; links today run 1 Gbps to 1.6 Tbps per port",
    );
    expect(await outcome(QUICK.replace("1MiB", "0.000001B"), "q.yaml")).toBe(
      'q.yaml:20:13: workload.collective.sizes[0]: "0.000001B" is out of range; expected from 1 B to 1 PiB',
    );
  });
  it('"1,5Tbps" is an error, never 15 Tbps', async () => {
    expect(await outcome(QUICK.replace("bandwidth: 400Gbps", 'bandwidth: "1,5Tbps"'), "q.yaml")).toBe(
      'q.yaml:11:36: cluster.groups[0].nics.bandwidth: "1,5Tbps" has a comma in its number; write a decimal point (1.5Tbps) and no thousands separator; expected a bandwidth such as 400Gbps or 450GB/s (units bps, Kbps, Mbps, Gbps, Tbps, Pbps, B/s, KB/s, MB/s, GB/s, TB/s, PB/s)',
    );
  });
});

describe("checks made during a run point at the key that caused them", () => {
  it("more failed cables than the tier has", async () => {
    const text = `${QUICK}failures:\n  - { at: 0s, link: { tier: spine, count: 99999 } }\n`;
    expect(await outcome(text, "q.yaml")).toBe(
      "q.yaml:26:43: failures[0]: 99999 spine cables asked to fail, the fabric has 256",
    );
  });
});

describe("a 9 TB flow at packet fidelity", () => {
  const text = HTSIM.replace(
    "pattern: file\n    file: ../data/htsim/one.cm",
    "pattern: permutation\n    size: 9TB",
  );
  const file = path.join(REPO_ROOT, "examples", "nine-tb.yaml");
  it("stops at once with its estimate", async () => {
    expect(await outcome(text, file)).toBe(
      `${file}:28:14: this run is too large to start at packet fidelity: 16 endpoints, 96 links, 16 flows, 35,242,290,765 packets, 599,118,943,003 events; about 97.9 h and 417 KB, over the limits of 5.00 min and 3 GiB. Expected a packet run of up to about 10^7 packets: use --fidelity flow or analytical, or fewer or smaller flows, or add --force to run it anyway`,
    );
  });
  it("forced, it is refused before its packet count can wrap (it once finished in 14 µs)", async () => {
    expect(await outcome(text, file, true)).toBe(
      `${file}:28:5: packet engine: flow 0 of 9,000,000,000,000 B needs 2,202,643,172 packets, more than the 2,147,483,647 one flow may have; use --fidelity flow for flows this large`,
    );
  });
});

describe("files a scenario names", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "weft-files-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(REPO_ROOT, "examples", "named.yaml");
  const withMatrix = (m: string) => HTSIM.replace("../data/htsim/one.cm", m);

  it("/etc/passwd as a traffic file: its own line, quoted short and escaped", async () => {
    const message = await outcome(withMatrix("/etc/passwd"), file);
    expect(message).toMatch(/^\/etc\/passwd:1:1: unsupported line "[^"]{0,24}(…)?"; supported lines: /);
  });
  it("a FIFO as a traffic file: an error at once, not a hang", async () => {
    const fifo = path.join(dir, "flows.cm");
    execFileSync("mkfifo", [fifo]);
    expect(await outcome(withMatrix(fifo), file)).toBe(
      `${file}:29:11: traffic file ${fifo}: not a regular file but a device, FIFO or socket; expected an htsim connection matrix (paths are relative to the scenario file)`,
    );
  });
  it("/dev/zero as a request trace", async () => {
    const text = SERVING.replace("rate: 18/s\n      count: 2000\n", "trace: /dev/zero\n");
    expect(await outcome(text, "i.yaml")).toBe(
      "i.yaml:22:14: trace file /dev/zero: not a regular file but a device, FIFO or socket; expected a CSV request trace (paths are relative to the scenario file)",
    );
  });
});
