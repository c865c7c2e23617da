/** `weft export FILE --format F --out DIR`: cabling plan, graph, SONiC configs or host plan, written atomically. */
import { realpathSync } from "node:fs";
import path from "node:path";
import {
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportOptions,
  exportFabric,
  isInfiniBand,
  mayWrite,
} from "../control/export/index.js";
import { writeExport } from "../control/export/write.js";
import {
  loadTenantServers,
  partitionKeys,
  type TenantServers,
  tenantOfCableFn,
  vrfOfCableFn,
} from "../control/tenants/assignment.js";
import { WeftError } from "../errors.js";
import { sameFile } from "../files/same-file.js";
import { checkOutputDir } from "../files/write.js";
import { loadScenario } from "../scenario/load.js";
import { buildScenarioFabric } from "../topology/build.js";
import { type InputFile, scenarioInputs } from "./outputs.js";

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
  const inputs = scenarioInputs(scenario);
  if (flags.tenants) inputs.push({ file: flags.tenants, what: "the tenants file (--tenants)" });
  checkExportFolder(flags.out, formats as ExportFormat[], inputs);
  const tenants = flags.tenants ? loadTenantServers(flags.tenants) : undefined;
  const fabric = buildScenarioFabric(scenario);
  const warnings: string[] = [];
  const sw = scenario.cluster.scaleOut.switch.id;
  if (tenants && isInfiniBand(sw) && formats.includes("sonic")) warnings.push(infiniBandTenants(sw, tenants));
  const options: ExportOptions = { warnings };
  if (tenants) {
    options.vrfOfCable = vrfOfCableFn(tenants);
    options.tenantOfCable = (f, cables) => tenantOfCableFn(tenants, f, cables);
  }
  const files = (formats as ExportFormat[]).flatMap((format) =>
    exportFabric(scenario, fabric, format, options),
  );
  // Every file is known now and none is written yet: a name the folder check could not foresee (a hard
  // link to an input) still stops the export before it writes anything.
  for (const f of files) checkNotOverInput(flags.out, path.join(flags.out, f.path), inputs);
  const written = writeExport(files, flags.out);
  if (flags.json) process.stdout.write(`${JSON.stringify({ files: written, warnings }, null, 2)}\n`);
  else {
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    const shown = written.length > 6 ? [...written.slice(0, 5), `… ${written.length - 5} more`] : written;
    process.stdout.write(
      `wrote ${written.length.toLocaleString("en-US")} file(s) under ${flags.out}:\n  ${shown.join("\n  ")}\n`,
    );
  }
}

/**
 * Refuses, before anything is built, an export folder in which a format would write over one of the
 * inputs (`weft export cabling.csv --format cabling --out .`).
 */
function checkExportFolder(out: string, formats: ExportFormat[], inputs: InputFile[]): void {
  const dir = realPath(out);
  if (dir === undefined) return; // a folder still to be made holds no input
  for (const input of inputs) {
    const file = realPath(input.file);
    if (file === undefined) continue;
    const rel = path.relative(dir, file);
    if (formats.some((f) => mayWrite(f, rel))) refuse(out, path.join(out, rel), input);
  }
}

function checkNotOverInput(out: string, target: string, inputs: InputFile[]): void {
  const input = inputs.find((x) => sameFile(target, x.file));
  if (input) refuse(out, target, input);
}

function refuse(out: string, target: string, input: InputFile): never {
  throw new WeftError(
    `--out ${out}: ${target} is ${input.what}; the export would overwrite it. Expected another folder for the export`,
  );
}

/** The path with every link resolved, or undefined when nothing is there. */
function realPath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** On InfiniBand a tenant is a partition key, which no export writes yet: say which key each would get. */
function infiniBandTenants(sw: string, tenants: TenantServers): string {
  const keys = [...partitionKeys(tenants)].map(([t, k]) => `${t} ${k}`).join(", ");
  return `tenants: ${sw} is an InfiniBand switch, where tenants are partition keys (${keys}); the SONiC configs carry them as VRFs, and no export writes an InfiniBand partition table yet`;
}
