// The limits table in docs/scenarios.md says what src/limits.ts enforces: every reason, with its bounds.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { COUNT_LIMITS, NUMBER_LIMITS, QUANTITY_LIMITS } from "../../src/limits.js";
import { formatCount } from "../../src/units/format.js";
import { REPO_ROOT } from "../helpers/data.js";

const docs = readFileSync(path.join(REPO_ROOT, "docs/scenarios.md"), "utf8");
const rows = docs.split("\n").filter((l) => l.startsWith("| "));

describe("docs/scenarios.md#limits", () => {
  it.each(Object.entries({ ...COUNT_LIMITS, ...QUANTITY_LIMITS, ...NUMBER_LIMITS }))("%s", (_, limit) => {
    const row = rows.find((r) => r.endsWith(`| ${limit.why} |`));
    expect(row, limit.why).toBeDefined();
  });
  it.each(Object.entries(COUNT_LIMITS))("%s: the row gives its min and max", (_, limit) => {
    const row = rows.find((r) => r.endsWith(`| ${limit.why} |`)) ?? "";
    expect(row).toContain(`| ${formatCount(limit.min)} | ${formatCount(limit.max)} |`);
  });
});
