/** `weft catalog [kind]`: the built-in hardware, one table per kind, each entry with its source. */
import { builtinCatalog, type CatalogKind } from "../catalog/index.js";
import { formatTable } from "../report/table.js";

/** The command's words for the catalog's kinds (`scale-up` on the command line, `scaleUp` in scenarios). */
const KINDS: Record<string, CatalogKind> = {
  accelerators: "accelerators",
  "scale-up": "scaleUp",
  nics: "nics",
  switches: "switches",
  optics: "optics",
};

export async function catalogCommand(kind: string | undefined, flags: { json?: boolean }): Promise<void> {
  const catalog = builtinCatalog();
  const words = kind ? [kind] : Object.keys(KINDS);
  if (flags.json) {
    const out = Object.fromEntries(words.map((w) => [KINDS[w], Object.values(catalog[KINDS[w]])]));
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const sections = words.map((w) => {
    const rows = Object.values(catalog[KINDS[w]]).map((e) => [e.id, e.name, e.vendor, e.source]);
    return `# ${w} (${rows.length})\n${formatTable(["id", "name", "vendor", "source"], rows)}`;
  });
  process.stdout.write(`${sections.join("\n\n")}\n`);
}
