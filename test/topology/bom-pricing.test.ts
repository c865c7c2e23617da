// The bill of materials prices scale-up switch chips, counts accelerators' capital cost when a purchase
// price is given, and reports the ports a design leaves unused.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { builtinCatalog } from "../../src/catalog/index.js";
import { fabricSummary, planSummary } from "../../src/report/plan.js";
import { loadScenario, parseScenario } from "../../src/scenario/load.js";
import { buildScenarioFabric } from "../../src/topology/build.js";
import { scaleUpLinksPerAccelerator } from "../../src/topology/chips.js";

const QUICKSTART = "examples/quickstart.yaml";

function plan(scenario = loadScenario(QUICKSTART)) {
  return planSummary(buildScenarioFabric(scenario), scenario);
}

describe("bill of materials", () => {
  it("every built-in scale-up switch chip with a radix has a stated power and price", () => {
    const described = Object.values(builtinCatalog().scaleUp).filter(
      (u) => u.topology === "switch" && u.switchRadix,
    );
    expect(described.length).toBeGreaterThan(3);
    for (const u of described) {
      expect(u.switchPowerW, u.id).toBeGreaterThan(0);
      expect(u.switchPriceUsd, u.id).toBeGreaterThan(0);
      expect(u.notes, u.id).toMatch(/ESTIMATES/);
    }
  });

  it("prices and powers the scale-up switch chips with the scale-out switches", () => {
    const s = loadScenario(QUICKSTART);
    const p = plan(s);
    const sw = s.cluster.scaleOut.switch;
    const chip = s.cluster.groups[0].scaleUp!;
    const scaleOut = p.switches.leaf + p.switches.spine;
    expect(p.switches.scaleUp).toBeGreaterThan(0);
    expect(p.costUsd.switches).toBe(scaleOut * sw.priceUsd + p.switches.scaleUp * chip.switchPriceUsd!);
    expect(p.powerW.switches).toBe(scaleOut * sw.powerW + p.switches.scaleUp * chip.switchPowerW!);
    expect(p.warnings.join("\n")).not.toMatch(/switch chip/);
  });

  it("counts accelerators' capital cost when the catalog has a purchase price, and says when it has none", () => {
    const without = plan();
    expect(without.costUsd.accelerators).toBe(0);
    expect(without.warnings.join("\n")).toMatch(/no purchase price for accelerator H100-SXM/);
    const text = `${readQuickstart()}\nhardware:\n  accelerators:\n    H100-SXM: { priceUsd: 25000 }\n`;
    const priced = plan(parseScenario(text, "<test>"));
    expect(priced.costUsd.accelerators).toBe(256 * 25_000);
    expect(priced.costUsd.total).toBe(without.costUsd.total + 256 * 25_000);
    expect(priced.warnings.join("\n")).not.toMatch(/purchase price/);
  });

  it("reports unused ports per tier: radix × switches minus links, scale-up chips included", () => {
    const s = loadScenario(QUICKSTART);
    const p = plan(s);
    const radix = s.cluster.scaleOut.switch.radix;
    expect(p.unusedPorts.leaf.total).toBe(p.switches.leaf * radix);
    // 256 accelerators on a non-blocking 2-tier fat-tree of 64-port leaves: 32 down + 32 up per leaf, all used.
    expect(p.unusedPorts.leaf.unused).toBe(0);
    const chip = s.cluster.groups[0].scaleUp!;
    const total = p.switches.scaleUp * chip.switchRadix!;
    expect(p.unusedPorts.scaleUp).toEqual({ unused: total - 256 * scaleUpLinksPerAccelerator(chip), total });
    expect(p.unusedPorts.scaleUp.unused).toBeGreaterThan(0);
    expect(p.warnings).toContain(
      `scaleUp: ${p.unusedPorts.scaleUp.unused.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} ports unused`,
    );
  });
});

function readQuickstart(): string {
  return readFileSync(QUICKSTART, "utf8");
}

describe("switch counts without the bill of materials", () => {
  it("every example's fabric summary counts the switches the bill of materials lists, scale-up chips included", () => {
    const files = readdirSync("examples").filter((f) => f.endsWith(".yaml"));
    let chips = 0;
    for (const file of files) {
      const scenario = loadScenario(`examples/${file}`);
      const fabric = buildScenarioFabric(scenario);
      const counted = fabricSummary(fabric).switches;
      expect(counted, file).toEqual(fabric.bom.switches);
      chips += counted.scaleUp;
    }
    expect(files.length).toBeGreaterThan(20);
    expect(chips).toBeGreaterThan(0);
  });

  it("prices the bill of materials on first read, once, with the scenario's catalog", () => {
    const scenario = loadScenario(QUICKSTART);
    const fabric = buildScenarioFabric(scenario);
    expect(Object.getOwnPropertyDescriptor(fabric, "bom")?.get).toBeTypeOf("function");
    const first = fabric.bom;
    expect(fabric.bom).toBe(first);
    expect(first.costUsd.total).toBe(plan(scenario).costUsd.total);
  });
});
