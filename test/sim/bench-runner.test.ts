import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const cases = path.resolve("test/sim/fixtures/bench");
const dir = mkdtempSync(path.join(os.tmpdir(), "weft-bench-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bench(args: string[]) {
  const out = path.join(dir, `${args.join("_").replace(/\W/g, "")}.json`);
  try {
    const r = await run(process.execPath, [
      "--import",
      "tsx",
      "bench/run.ts",
      "--cases",
      cases,
      "--out",
      out,
      ...args,
    ]);
    return { code: 0, stdout: r.stdout, out };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout, out };
  }
}

describe("bench runner", () => {
  it("runs each case in a child, marks misses, survives a crash and exits non-zero for it", async () => {
    const r = await bench(["--json"]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(JSON.parse(readFileSync(r.out, "utf8"))).toEqual(doc);
    const byName = Object.fromEntries(doc.results.map((x: { name: string }) => [x.name, x]));
    expect(Object.keys(byName)).toEqual(["fixture-fast", "fixture-crash", "fixture-slow"]);
    expect(byName["fixture-fast"].pass).toBe(true);
    expect(byName["fixture-fast"].figures.flows).toBe(1000);
    expect(byName["fixture-fast"].flowsPerS).toBeGreaterThan(0);
    expect(byName["fixture-fast"].peakRssBytes).toBeGreaterThan(1e6);
    expect(byName["fixture-crash"].error).toMatch(/code 3/);
    expect(byName["fixture-slow"].pass).toBe(false);
    expect(byName["fixture-slow"].wallS).toBeGreaterThanOrEqual(0.04);
    expect(byName["fixture-slow"].packetsPerS).toBeGreaterThan(0);
  });

  it("--quick runs only quick cases, small variant; --filter narrows; a miss alone exits 0", async () => {
    const r = await bench(["--quick", "--filter", "fast"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fixture-fast/);
    expect(r.stdout).not.toMatch(/fixture-slow|fixture-crash/);
    const doc = JSON.parse(readFileSync(r.out, "utf8"));
    expect(doc.results).toHaveLength(1);
    expect(doc.results[0].figures.extra.quick).toBe(1);
    const slow = await bench(["--quick", "--filter", "slow"]);
    expect(slow.code).toBe(0);
    expect(slow.stdout).toMatch(/MISS/);
    // Written through a temp file and renamed: no temp file is left behind.
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });
});
