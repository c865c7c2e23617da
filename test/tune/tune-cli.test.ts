import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { weft } from "../cli/run-cli.js";
import { example, tempDir } from "../sweep/helpers.js";

const published = path.join(path.dirname(example("x")), "validation/megatron-gpt3-175b-1024-a100.yaml");
const dir = tempDir("weft-tune-");

// The 2021 recipe had no distributed optimizer: the search keeps ZeRO at 0, as the published run did.
const FLAGS = ["--zero", "0", "--top-k", "1", "--workers", "1", "--json"];

describe("weft tune", () => {
  it("finds a layout at least as fast as the published GPT-3 175B layout on 1,024 A100, and a different winner on a 4:1 fabric, with the reason", () => {
    const r = weft(["tune", published, ...FLAGS]);
    expect(r.status).toBe(0);
    const flat = JSON.parse(r.stdout);
    expect(flat.baseline.label).toBe("tp8 pp16 dp8 mb1 full-recompute zero0");
    expect(flat.top).toHaveLength(10);
    const best = flat.top[0];
    expect(best.stepTimeS).toBeLessThanOrEqual(flat.baseline.stepTimeS);
    expect(best.flowStepTimeS).toBeDefined();
    for (const t of flat.top) {
      expect(t.layout.tp * t.layout.pp * t.layout.dp * t.layout.cp).toBe(1024);
      expect(t.memoryBytes).toBeLessThanOrEqual(80e9);
      expect(t.mfu).toBeGreaterThan(0);
    }
    // Ranked by step time, best first (the top one re-timed at flow fidelity).
    const analytical = flat.top.slice(1).map((t: { analyticalStepTimeS: number }) => t.analyticalStepTimeS);
    expect(analytical).toEqual([...analytical].sort((a, b) => a - b));
    expect(flat.explanation).toMatch(/same layout wins on a non-blocking fabric/);

    const oversub = path.join(dir, "gpt3-4to1.yaml");
    writeFileSync(
      oversub,
      readFileSync(published, "utf8").replace("oversubscription: 1", "oversubscription: 4"),
    );
    const o = JSON.parse(weft(["tune", oversub, ...FLAGS]).stdout);
    expect(o.oversubscribed).toBe(true);
    expect(o.analyticalWinner.label).not.toBe(o.nonBlockingWinner.label);
    // The non-blocking winner is the one the non-blocking fabric picked.
    expect(o.nonBlockingWinner.label).toBe(flat.analyticalWinner.label);
    expect(o.explanation).toMatch(
      /^On a non-blocking fabric .* would win .* on this 4:1 fabric .* exposed \w+ [\w-]+ on the \w+ tier/,
    );
    expect(o.analyticalWinner.analyticalStepTimeS).toBeLessThan(o.nonBlockingWinner.analyticalStepTimeS);
  });

  it("refuses a scenario without a training or an inference workload", () => {
    const r = weft(["tune", example("quickstart.yaml"), "--workers", "1"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/quickstart\.yaml: weft tune needs a training or an inference workload/);
  });

  it("finds the cheapest serving pools that meet the SLO: prefill and decode tp, instances and split", () => {
    // The 32-H100 disaggregated Llama 3 70B service, on 500 requests to keep the test short.
    const file = path.join(dir, "serving.yaml");
    writeFileSync(
      file,
      readFileSync(example("inference-llama70b-disaggregated-h100.yaml"), "utf8").replace(
        "count: 2000",
        "count: 500",
      ),
    );
    const r = weft(["tune", file, "--workers", "1", "--json"]);
    expect(r.status).toBe(0);
    const o = JSON.parse(r.stdout);
    const slo = o.slo;
    const winner = o.winner;
    expect(winner.meetsSlo).toBe(true);
    expect(winner.ttftP99S).toBeLessThanOrEqual(slo.ttftS);
    expect(winner.tpotP99S).toBeLessThanOrEqual(slo.tpotS);
    // Never dearer than the pools as written, and cheaper here: the written 2×tp8 + 2×tp8 is more than it needs.
    expect(winner.costUsdPerHour).toBeLessThan(o.baseline.costUsdPerHour);
    expect(winner.accelerators).toBeLessThan(32);
    // Designs meeting the SLO come first, cheapest first; a row meets it exactly when both p99s are within.
    const meets = o.top.map((t: { meetsSlo: boolean }) => t.meetsSlo);
    expect(meets).toEqual([...meets].sort((a: boolean, b: boolean) => Number(b) - Number(a)));
    for (const t of o.top) {
      const within = t.ttftP99S <= slo.ttftS && t.tpotP99S <= slo.tpotS;
      expect(t.meetsSlo).toBe(within);
    }
    const costs = o.top
      .filter((t: { meetsSlo: boolean }) => t.meetsSlo)
      .map((t: { costUsdPerHour: number }) => t.costUsdPerHour);
    expect(costs).toEqual([...costs].sort((a: number, b: number) => a - b));
    expect(o.explanation).toMatch(/is the cheapest design that meets the SLO/);
    expect(o.explanation).toMatch(/With fewer instances: prefill \d+×tp\d+ misses TTFT p99/);
  });
});
