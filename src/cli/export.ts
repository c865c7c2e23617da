/** `weft export FILE --format F --out DIR`: cabling plan, graph, SONiC configs or host plan, written atomically. */
import { EXPORT_FORMATS, type ExportFormat, exportFabric, isInfiniBand } from "../control/export/index.js";
import { writeExport } from "../control/export/write.js";
import {
  loadTenantServers,
  partitionKeys,
  type TenantServers,
  vrfOfCableFn,
} from "../control/tenants/assignment.js";
import { WeftError } from "../errors.js";
import { checkOutputDir } from "../files/write.js";
import { loadScenario } from "../scenario/load.js";
import { buildScenarioFabric } from "../topology/build.js";

export interface ExportFlags {
  format: string;
  out: string;
  json?: boolean;
  tenants?: string;
}

export async function exportCommand(file: string, flags: ExportFlags): Promise<void> {
  const formats = flags.format.split(",").map((f) => f.trim());
  for (const f of formats) {
    if (!(EXPORT_FORMATS as readonly string[]).includes(f)) {
      throw new WeftError(`--format ${f}: unknown format; expected one of ${EXPORT_FORMATS.join(", ")}`);
    }
  }
  checkOutputDir(flags.out, "--out");
  const scenario = loadScenario(file);
  const tenants = flags.tenants ? loadTenantServers(flags.tenants) : undefined;
  const fabric = buildScenarioFabric(scenario);
  const written: string[] = [];
  const warnings: string[] = [];
  const sw = scenario.cluster.scaleOut.switch.id;
  if (tenants && isInfiniBand(sw) && formats.includes("sonic")) warnings.push(infiniBandTenants(sw, tenants));
  for (const format of formats as ExportFormat[]) {
    written.push(
      ...writeExport(
        exportFabric(scenario, fabric, format, { warnings, vrfOfCable: tenants && vrfOfCableFn(tenants) }),
        flags.out,
      ),
    );
  }
  if (flags.json) process.stdout.write(`${JSON.stringify({ files: written, warnings }, null, 2)}\n`);
  else {
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    const shown = written.length > 6 ? [...written.slice(0, 5), `… ${written.length - 5} more`] : written;
    process.stdout.write(
      `wrote ${written.length.toLocaleString("en-US")} file(s) under ${flags.out}:\n  ${shown.join("\n  ")}\n`,
    );
  }
}

/** On InfiniBand a tenant is a partition key, which no export writes yet: say which key each would get. */
function infiniBandTenants(sw: string, tenants: TenantServers): string {
  const keys = [...partitionKeys(tenants)].map(([t, k]) => `${t} ${k}`).join(", ");
  return `tenants: ${sw} is an InfiniBand switch, where tenants are partition keys (${keys}); the SONiC configs carry them as VRFs, and no export writes an InfiniBand partition table yet`;
}
