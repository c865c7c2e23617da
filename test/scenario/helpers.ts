// Scenario fixtures for the loader tests: small YAML documents built from parts.
import { WeftError } from "../../src/errors.js";
import { parseScenario } from "../../src/scenario/load.js";

/** The error parseScenario throws for this text, or a failure when it throws none. */
export function loadError(text: string, file = "fixture.yaml"): WeftError {
  try {
    parseScenario(text, file);
  } catch (e) {
    if (e instanceof WeftError) return e;
    throw new Error(`expected a WeftError, got ${String(e)}`);
  }
  throw new Error("expected the scenario to be rejected, but it loaded");
}

/** A minimal valid scenario: one group of H100 nodes and a collective, with extra YAML appended. */
export function h100(
  nodes: number,
  workload = "workload:\n  collective: { op: all-reduce, sizes: [1MB] }\n",
): string {
  return `name: test
cluster:
  groups:
    - name: gpu
      nodes: ${nodes}
      accelerator: H100-SXM
${workload}`;
}
