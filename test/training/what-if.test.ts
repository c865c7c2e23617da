// The non-blocking what-if runs only where it can differ: an oversubscribed fabric, unless turned off.
import { describe, expect, it } from "vitest";
import { isOversubscribed, run } from "../../src/run.js";
import { loadScenario } from "../../src/scenario/load.js";

const OVERSUBSCRIBED = "examples/training-llama3-70b-512-h100-oversub4.yaml";
const NON_BLOCKING = "examples/training-llama3-70b-512-h100-rail.yaml";

async function whatIf(file: string, options: { whatIf?: boolean } = {}) {
  const results = await run(loadScenario(file), { fidelity: "analytical", ...options });
  if (results.kind !== "training") throw new Error("expected a training run");
  return results.whatIf;
}

describe("non-blocking what-if", () => {
  it("is computed on an oversubscribed fabric and is never slower", async () => {
    expect(isOversubscribed(loadScenario(OVERSUBSCRIBED))).toBe(true);
    const w = await whatIf(OVERSUBSCRIBED);
    expect(w).toBeDefined();
    expect(w?.speedup).toBeGreaterThanOrEqual(1);
  });

  it("is skipped on a fabric that is already non-blocking", async () => {
    expect(isOversubscribed(loadScenario(NON_BLOCKING))).toBe(false);
    expect(await whatIf(NON_BLOCKING)).toBeUndefined();
  });

  it("is skipped when turned off", async () => {
    expect(await whatIf(OVERSUBSCRIBED, { whatIf: false })).toBeUndefined();
  });
});
