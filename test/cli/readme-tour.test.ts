// The README's tour shows real output: every line of its quickstart table and training excerpt is a line
// the command prints today (spacing aside), so a model change that moves a figure moves the README too.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/data.js";
import { weft } from "./run-cli.js";

const README = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

/** The lines of the README's code block that starts with `first`. */
function block(first: string): string[] {
  const start = README.indexOf(`\`\`\`\n${first}`);
  expect(start, `README block starting "${first}"`).toBeGreaterThanOrEqual(0);
  const body = README.slice(start + 4, README.indexOf("```", start + 4));
  return body.split("\n").filter((line) => line.trim() !== "");
}

const squeeze = (line: string) => line.trim().replace(/\s+/g, " ");

function expectPrinted(shown: string[], printed: string): void {
  const lines = new Set(printed.split("\n").map(squeeze));
  for (const line of shown) expect(lines.has(squeeze(line)), `README line "${line}"`).toBe(true);
}

describe("the README's tour", () => {
  it("quickstart: the table's rows are what `weft run examples/quickstart.yaml` prints", () => {
    const r = weft(["run", "examples/quickstart.yaml"]);
    expect(r.status, r.stderr).toBe(0);
    expectPrinted(block("# Quickstart"), r.stdout);
  });

  it("training: the excerpt's rows are what the oversubscribed Llama 3 70B example prints", () => {
    const r = weft(["run", "examples/training-llama3-70b-512-h100-oversub4.yaml"]);
    expect(r.status, r.stderr).toBe(0);
    expectPrinted(block("step time"), r.stdout);
  });
});
