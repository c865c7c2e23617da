import { readdirSync } from "node:fs";
import { stringify } from "yaml";
import { loadScenario, parseScenario } from "../src/scenario/load.js";
import { describeScenario } from "../src/scenario/print.js";
for (const f of readdirSync("examples").filter((f) => f.endsWith(".yaml"))) {
  const file = `examples/${f}`;
  try {
    const a = describeScenario(loadScenario(file));
    const b = describeScenario(parseScenario(stringify(a), file));
    console.log(f, JSON.stringify(a) === JSON.stringify(b) ? "same" : "DIFF");
  } catch (e) { console.log(f, "ERR", (e as Error).message.slice(0, 300)); }
}
