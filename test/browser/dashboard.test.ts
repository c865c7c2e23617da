/// <reference lib="dom" />
// The dashboard in a real browser: load the quickstart, run it, see its chart and table; break the YAML
// and see the error under its line; the fabric view of the B200 SuperPOD counts its switches.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedSweep } from "../server/seed-sweep.js";
import { canvasDrawn, openDashboard, type Session, screenshot, TOKEN } from "./harness.js";

let s: Session;
beforeAll(async () => {
  s = await openDashboard(seedSweep);
  await s.page.goto(`${s.url}/#token=${TOKEN}`);
}, 120_000);
afterAll(async () => {
  await s?.close();
});

describe("dashboard", () => {
  it("loads the quickstart, runs it, and draws the busbw chart and the table", async () => {
    const { page } = s;
    await page.getByTestId("validation").filter({ hasText: "Quickstart" }).waitFor();
    // The token left the address bar once read.
    expect(page.url()).not.toContain(TOKEN);
    await screenshot(page, "editor");
    await page.getByTestId("run").click();
    await page.getByTestId("busbw-chart").waitFor({ timeout: 60_000 });
    await page.waitForTimeout(300);
    expect(await canvasDrawn(page, '[data-testid="busbw-chart"]')).toBeGreaterThan(5);
    const rows = page.locator('[data-testid="collective-table"] tbody tr');
    expect(await rows.count()).toBe(7);
    expect(await rows.first().textContent()).toContain("1 MiB");
    await screenshot(page, "results-collective");
  });

  it("shows a YAML error under the line it belongs to", async () => {
    const { page } = s;
    await page.getByTestId("tab-scenario").click();
    // Line 7 is `      nodes: 32`: make it invalid.
    const line = page.locator(".cm-line").nth(6);
    expect(await line.textContent()).toContain("nodes: 32");
    await line.click();
    await page.keyboard.press("End");
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Backspace");
    await page.keyboard.type("-3");
    const error = page.getByTestId("editor-error");
    await error.waitFor();
    expect(await error.getAttribute("data-line")).toBe("7");
    expect(await error.textContent()).toMatch(/nodes.*≥ 1/);
    // The message is drawn right below line 7.
    const lineBox = await line.boundingBox();
    const errorBox = await error.boundingBox();
    expect(errorBox!.y).toBeGreaterThanOrEqual(lineBox!.y + lineBox!.height - 1);
    expect(errorBox!.y).toBeLessThan(lineBox!.y + 2 * lineBox!.height + 2);
    await expect.poll(() => page.getByTestId("run").isDisabled()).toBe(true);
    await screenshot(page, "editor-error");
  });

  it("draws the fabric of the B200 SuperPOD and counts its switches", async () => {
    const { page } = s;
    await page.getByTestId("tab-scenario").click();
    await page.getByTestId("examples").selectOption("b200-superpod-rail-optimized");
    await page.getByTestId("validation").filter({ hasText: "B200" }).waitFor();
    await page.getByTestId("tab-fabric").click();
    const graph = page.getByTestId("fabric-graph");
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="fabric-graph"]')?.getAttribute("data-rendered-ms"),
    );
    const counts = await page.evaluate(() => {
      const { graph } = (
        window as unknown as {
          weftFabric: { graph: { forEachNode: (f: (n: string, a: { role: string }) => void) => void } };
        }
      ).weftFabric;
      const byRole: Record<string, number> = {};
      graph.forEachNode((_, a) => {
        byRole[a.role] = (byRole[a.role] ?? 0) + 1;
      });
      return byRole;
    });
    // 128 DGX B200 nodes (1,024 GPUs) rail-optimized: 32 leaf and 16 spine switches, as `weft plan` counts.
    expect(counts).toMatchObject({ accelerator: 1024, leaf: 32, spine: 16 });
    // One edge per cable: 1,024 NVLink (GPU to its scale-up domain), 1,024 GPU-leaf, 1,024 leaf-spine.
    expect(await graph.getAttribute("data-edges")).toBe(String(3 * 1024));
    // WebGL drew something: the canvas is not blank.
    const png = await graph.screenshot();
    expect(distinctColours(png)).toBeGreaterThan(3);
    // Clicking a device lists its ports.
    await page.evaluate(() =>
      (window as unknown as { weftFabric: { clickNode: (n: string) => void } }).weftFabric.clickNode(
        "leaf-0",
      ),
    );
    await page.getByTestId("ports").waitFor();
    expect(await page.locator('[data-testid="ports"] tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByTestId("bom-table").textContent()).toContain("total");
    await screenshot(page, "fabric-b200");
  });
});

describe("sweeps, runs and other workloads", () => {
  it("runs a traffic example, then colours its fabric by each cable's load in that run", async () => {
    const { page } = s;
    await page.getByTestId("tab-scenario").click();
    await page.getByTestId("examples").selectOption("htsim-default-perm128");
    await page.getByTestId("validation").filter({ hasText: "128" }).waitFor();
    await page.getByTestId("run").click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="tab-results"]')?.classList.contains("active"),
      null,
      { timeout: 90_000 },
    );
    await page.getByTestId("tab-fabric").click();
    await page.getByTestId("fabric-summary").filter({ hasText: "colour: load" }).waitFor({ timeout: 60_000 });
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="fabric-graph"]')?.getAttribute("data-rendered-ms"),
    );
    const png = await page.getByTestId("fabric-graph").screenshot();
    expect(distinctColours(png)).toBeGreaterThan(3);
    await screenshot(page, "fabric-load");
  });

  it("a sweep's Pareto chart shows its points", async () => {
    const { page } = s;
    await page.getByTestId("tab-sweeps").click();
    const chart = page.getByTestId("pareto-chart");
    await chart.waitFor();
    await page.waitForTimeout(300);
    expect(await canvasDrawn(page, '[data-testid="pareto-chart"]')).toBeGreaterThan(5);
    const title = await page.locator(".sweeps h3").first().textContent();
    expect(title).toMatch(/6 points, \d+ on the Pareto frontier/);
    const frontierRows = await page.locator('[data-testid="frontier-table"] tbody tr').count();
    expect(frontierRows).toBeGreaterThan(0);
    expect(title).toContain(`${frontierRows} on the Pareto frontier`);
    await screenshot(page, "sweep-pareto");
    // A frontier point opens its results.
    await page.locator('[data-testid="frontier-table"] tbody tr button').first().click();
    await page.getByTestId("busbw-chart").waitFor();
  });

  it("runs a training example and shows its breakdown, timeline and causes", async () => {
    const { page } = s;
    await page.getByTestId("tab-scenario").click();
    await page.getByTestId("examples").selectOption("training-llama3-70b-512-h100-rail");
    await page.getByTestId("validation").filter({ hasText: "70B" }).waitFor();
    await page.getByTestId("run").click();
    await page.getByTestId("timeline-chart").waitFor({ timeout: 90_000 });
    await page.waitForTimeout(300);
    expect(await canvasDrawn(page, '[data-testid="timeline-chart"]')).toBeGreaterThan(5);
    expect(await canvasDrawn(page, '[data-testid="breakdown-chart"]')).toBeGreaterThan(5);
    expect(await page.locator('[data-testid="causes-table"] tbody tr').count()).toBeGreaterThan(0);
    await screenshot(page, "results-training");
  });

  it("runs a serving example and draws its latency distributions and pools", async () => {
    const { page } = s;
    await page.getByTestId("tab-scenario").click();
    await page.getByTestId("examples").selectOption("inference-llama70b-colocated-h100");
    await page.getByTestId("validation").filter({ hasText: "70B" }).waitFor();
    await page.getByTestId("run").click();
    await page.getByTestId("latency-cdf").waitFor({ timeout: 90_000 });
    await page.waitForTimeout(300);
    expect(await canvasDrawn(page, '[data-testid="latency-cdf"]')).toBeGreaterThan(5);
    expect(await canvasDrawn(page, '[data-testid="latency-chart"]')).toBeGreaterThan(5);
    expect(await page.locator('[data-testid="pools-table"] tbody tr').count()).toBeGreaterThan(0);
    await screenshot(page, "results-inference");
  });

  it("lists past runs and compares two side by side", async () => {
    const { page } = s;
    await page.getByTestId("tab-runs").click();
    const rows = page.locator('[data-testid="runs-table"] tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    const boxes = page.locator('[data-testid="runs-table"] input[type="checkbox"]:not([disabled])');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByTestId("compare-table").waitFor();
    // A training run and a collective share their fabric figures.
    expect(await page.locator('[data-testid="compare-table"] tbody tr').count()).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId("compare-table").textContent()).toContain("fabric.accelerators");
    await screenshot(page, "runs-compare");
  });
});

/** Distinct colours in a PNG's raw bytes, roughly: enough to tell a drawn picture from a blank one. */
function distinctColours(png: Buffer): number {
  const seen = new Set<string>();
  for (let i = 64; i < png.length - 3 && seen.size < 100; i += 97)
    seen.add(png.subarray(i, i + 3).toString("hex"));
  return seen.size;
}
