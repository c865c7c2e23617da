// Job traces for `weft manage`: every error in a trace file starts with the trace's own file:line:col,
// says what is wrong and what was expected, whichever stage finds it (YAML, schema, checks across fields).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseJobTrace, readJobTrace } from "../../src/control/placement/trace.js";

const GOOD = `tenants:
  blue: { isolate: leaf }
jobs:
  - id: a
    arrival: 0s
    tenant: blue
    gpus: 64
    training: { model: llama3-8b, tp: 8, steps: 100 }
  - id: b
    arrival: 30s
    gpus: 16
    inference: { model: llama3-8b, tp: 8, duration: 10min }
`;

/** GOOD with line `line` (1-based) replaced. */
function withLine(line: number, text: string): string {
  const lines = GOOD.split("\n");
  lines[line - 1] = text;
  return lines.join("\n");
}

function errorOf(text: string, file = "trace.yaml"): string {
  try {
    parseJobTrace(text, file);
  } catch (e) {
    return (e as Error).message;
  }
  return "(no error)";
}

describe("job trace errors", () => {
  it("reads a good trace with its defaults", () => {
    const t = parseJobTrace(GOOD, "trace.yaml");
    expect(t.tenants).toEqual({ blue: { isolate: "leaf" } });
    expect(t.jobs[1]).toMatchObject({ id: "b", tenant: "default", priority: 0, arrival: 30 });
    expect(t.jobs[1].work).toEqual({ kind: "inference", model: "llama3-8b", tp: 8, duration: 600, rate: 1 });
  });

  it("a value of the wrong kind: the value's line and column", () => {
    expect(errorOf(withLine(7, "    gpus: many"))).toBe(
      'trace.yaml:7:11: jobs[0].gpus: expected a number, got string "many"',
    );
    expect(errorOf(withLine(10, "    arrival: 30 seconds"))).toMatch(
      /^trace\.yaml:10:14: jobs\[1\]\.arrival: "30 seconds" has unit "seconds", which is not a time unit; expected a time such as /,
    );
  });

  it("an unknown key: the key itself, with the keys allowed", () => {
    expect(errorOf(withLine(7, "    gpu: 64"))).toMatch(
      /^trace\.yaml:4:5: missing required key "gpus" in jobs\[0\]; expected a number\ntrace\.yaml:7:5: unknown key "gpu" in jobs\[0\]; did you mean "gpus"\? expected one of: id, arrival, tenant, gpus, priority, training, inference$/,
    );
  });

  it("a missing key: the mapping that lacks it", () => {
    expect(errorOf(withLine(8, "    training: { model: llama3-8b, tp: 8 }"))).toBe(
      'trace.yaml:8:15: missing required key "steps" in jobs[0].training; expected a number',
    );
  });

  it("checks across fields: the key they are about", () => {
    expect(errorOf(withLine(7, "    gpus: 60"))).toBe(
      "trace.yaml:7:11: 60 GPUs do not split into tp 8 × pp 1; expected a multiple of 8",
    );
    expect(errorOf(withLine(9, "  - id: a"))).toBe(
      'trace.yaml:9:9: job id "a" appears twice (first on line 4); expected a unique id per job',
    );
    expect(errorOf(withLine(12, "    priority: 1"))).toBe(
      "trace.yaml:9:5: job b has neither training nor inference; expected exactly one of them",
    );
    expect(errorOf(`${GOOD}    training: { model: llama3-8b, steps: 1 }\n`)).toBe(
      "trace.yaml:12:5: job b has both training and inference; expected exactly one",
    );
  });

  it("checks the layout against the model: global batch, pipeline stages, heads", () => {
    expect(
      errorOf(
        withLine(8, "    training: { model: llama3-8b, tp: 8, steps: 100, globalBatch: 3, microBatch: 1 }"),
      ),
    ).toBe("trace.yaml:8:67: globalBatch 3 must be a multiple of microBatch × dp = 1 × 8 = 8");
    expect(errorOf(withLine(8, "    training: { model: llama3-8b, tp: 1, pp: 64, steps: 100 }"))).toBe(
      "trace.yaml:8:46: pp 64 is more than the 32 layers of llama3-8b; expected pp ≤ 32",
    );
    const tp3 = withLine(8, "    training: { model: llama3-8b, tp: 3, steps: 100 }").replace(
      "gpus: 64",
      "gpus: 48",
    );
    expect(errorOf(tp3)).toMatch(/^trace\.yaml:8:39: tp 3 must divide the 32 attention heads of llama3-8b/);
  });

  it("YAML and shape errors", () => {
    expect(errorOf(withLine(7, "    gpus: [64"))).toMatch(
      /^trace\.yaml:\d+:\d+: YAML syntax error: .*expected valid YAML/,
    );
    expect(errorOf("- a\n- b\n")).toBe(
      "trace.yaml:1:1: the job trace must be a mapping with jobs: [...] (and optionally tenants:); got a list",
    );
    expect(errorOf("tenants: {}\n")).toBe(
      'trace.yaml:1:1: missing required key "jobs" in the document; expected a list',
    );
    expect(errorOf("jobs: []\n")).toBe("trace.yaml:1:7: jobs: expected at least 1 entry");
  });

  it("a file: errors name it; a file that cannot be read says so", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "weft-trace-"));
    const file = path.join(dir, "jobs.yaml");
    writeFileSync(file, withLine(6, "    tenant: [blue]"));
    expect(() => readJobTrace(file)).toThrow(`${file}:6:13: jobs[0].tenant: expected a string, got a list`);
    expect(() => readJobTrace(path.join(dir, "none.yaml"))).toThrow(
      /none\.yaml: no such file; expected a YAML or JSON file with jobs: \[\.\.\.\]/,
    );
  });
});
