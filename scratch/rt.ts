import { readdirSync } from "node:fs";
import { stringify } from "yaml";
import { loadScenario, parseScenario } from "../src/scenario/load.js";
import { scenarioDocument } from "../src/scenario/document.js";
const strip = (s: any) => { const { file, sourceMap, warnings, ...rest } = s; return rest; };
for (const f of readdirSync("examples").filter((f) => f.endsWith(".yaml"))) {
  const file = `examples/${f}`;
  try {
    const a = loadScenario(file);
    const text = stringify(scenarioDocument(a));
    const b = parseScenario(text, "<stdin>");
    const same = JSON.stringify(strip(a)) === JSON.stringify(strip(b));
    console.log(f, same ? "same" : "DIFF");
    if (!same) { const ja = JSON.stringify(strip(a)), jb = JSON.stringify(strip(b)); let i = 0; while (ja[i] === jb[i]) i++; console.log(ja.slice(i - 100, i + 100)); console.log(jb.slice(i - 100, i + 100)); }
  } catch (e) { console.log(f, "ERR", (e as Error).message.slice(0, 300)); }
}
