// A user's clone has only the repository: no source, test, benchmark or example may name a folder beside it.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/data.js";

const FOLDERS = ["src", "test", "bench", "examples"];
// Built from parts so that this file does not name the folder it forbids.
const SIBLING = ["..", "shared"].join("/");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** Paths (relative to the repository) of the files that name the sibling folder. */
function filesNamingSibling(root: string): string[] {
  return FOLDERS.flatMap((folder) => filesUnder(path.join(root, folder)))
    .filter((file) => readFileSync(file, "utf8").includes(SIBLING))
    .map((file) => path.relative(root, file));
}

describe("the repository is self-contained", () => {
  it(`nothing under ${FOLDERS.join(", ")} names ${SIBLING}`, () => {
    expect(filesNamingSibling(REPO_ROOT)).toEqual([]);
  });

  it("the check finds a file that names it", () => {
    const root = mkdtempSync(path.join(tmpdir(), "weft-self-contained-"));
    try {
      for (const folder of FOLDERS) mkdirSync(path.join(root, folder));
      writeFileSync(path.join(root, "test", "reads.ts"), `readFileSync("${SIBLING}/data/x.csv")`);
      writeFileSync(path.join(root, "src", "clean.ts"), `readFileSync("data/x.csv")`);
      expect(filesNamingSibling(root)).toEqual([path.join("test", "reads.ts")]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("every path an example names stays inside the repository and exists", () => {
    const examples = path.join(REPO_ROOT, "examples");
    const files = readdirSync(examples).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(path.join(examples, file), "utf8");
      for (const [, ref] of text.matchAll(/:\s*["']?(\.\.?\/[^\s"'#]+)/g)) {
        const resolved = path.resolve(examples, ref);
        expect(path.relative(REPO_ROOT, resolved).startsWith(".."), `${file}: ${ref}`).toBe(false);
        expect(() => statSync(resolved), `${file}: ${ref}`).not.toThrow();
      }
    }
  });
});
