// The fuzzer: thousands of mutated example scenarios (seeded, so every run draws the same cases; FC_SEED
// explores others), each loaded and run at analytical fidelity. Every case must end as a located error
// (`file:line:col: …`) or a result that passed the checks on the way out, within 20 s: no crash, no hang,
// no unchecked number. WEFT_FUZZ_CASES=<n> runs more (the default fits CI).
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WeftError } from "../../src/errors.js";
import { run } from "../../src/run.js";
import { parseScenario } from "../../src/scenario/load.js";
import { REPO_ROOT } from "../helpers/data.js";
import { applyMutation, describeMutation, mutationOf, valuePaths } from "./mutate.js";

const CASES = Number(process.env.WEFT_FUZZ_CASES ?? 3000);
const CASE_LIMIT_MS = 20_000;

/** The examples that run in milliseconds at analytical fidelity, one of each workload and topology kind. */
const EXAMPLES = [
  "quickstart.yaml",
  "dgx-h100-allreduce.yaml",
  "a3mega-2node-allreduce.yaml",
  "mi300x-mesh-single-switch.yaml",
  "trainium2-ring-allreduce.yaml",
  "ualink-pod.yaml",
  "rail-only-h100.yaml",
  "htsim-default-one.yaml",
  "htsim-default-incast.yaml",
  "training-mixtral-8x7b-ep8.yaml",
  "training-llama3-70b-512-h100-rail.yaml",
  "inference-llama70b-colocated-h100.yaml",
  "inference-llama70b-disaggregated-h100.yaml",
];

type Outcome = "located error" | "checked result";

/** Loads and runs one file; anything but a located error or a checked result throws, saying which. */
async function outcomeOf(text: string, file: string): Promise<Outcome> {
  try {
    const scenario = parseScenario(text, file);
    // Runs the estimate puts past a few seconds stop before they start (a located error), so that a
    // case over 20 s is a hang, not a large run.
    await run(scenario, { fidelity: "analytical", limits: { seconds: 5 } });
    return "checked result";
  } catch (err) {
    if (err instanceof WeftError && err.position.line !== undefined && err.position.file !== undefined)
      return "located error";
    const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new Error(`not a located error: ${what.slice(0, 400)}`);
  }
}

describe("fuzzing the examples", () => {
  const bases = EXAMPLES.map((name) => {
    const file = path.join(REPO_ROOT, "examples", name);
    const text = readFileSync(file, "utf8");
    return { name, file, text, paths: valuePaths(text) };
  });

  it(`${CASES} mutated examples each end as a located error or a checked result, within ${CASE_LIMIT_MS / 1000} s`, async () => {
    const tally: Record<Outcome, number> = { "located error": 0, "checked result": 0 };
    const cases = fc
      .nat({ max: bases.length - 1 })
      .chain((i) => mutationOf(bases[i].paths).map((m) => ({ example: bases[i].name, m })));
    await fc.assert(
      fc.asyncProperty(cases, async ({ example, m }) => {
        const base = bases.find((b) => b.name === example) ?? bases[0];
        const started = performance.now();
        let outcome: Outcome;
        try {
          outcome = await outcomeOf(applyMutation(base.text, m), base.file);
        } catch (err) {
          throw new Error(`${base.name} with ${describeMutation(m)}: ${(err as Error).message}`);
        }
        const ms = performance.now() - started;
        if (ms > CASE_LIMIT_MS)
          throw new Error(`${base.name} with ${describeMutation(m)} took ${Math.round(ms)} ms`);
        tally[outcome]++;
      }),
      { numRuns: CASES, endOnFailure: true },
    );
    // Both kinds of ending occur: the mutations reach past the schema into the runs.
    expect(tally["located error"]).toBeGreaterThan(CASES / 4);
    expect(tally["checked result"]).toBeGreaterThan(CASES / 50);
  }, 600_000);
});
