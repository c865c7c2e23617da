/** Writes exported files under a folder, each atomically (temp file + rename). */
import path from "node:path";
import { writeFileAtomic } from "../../files/write.js";
import type { ExportFile } from "./index.js";

export function writeExport(files: ExportFile[], outDir: string): string[] {
  return files.map((f) => {
    const target = path.join(outDir, f.path);
    writeFileAtomic(target, f.content);
    return target;
  });
}
