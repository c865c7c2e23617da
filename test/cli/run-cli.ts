// Runs the `weft` command from source, as a user would run the built one.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "../helpers/data.js";

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function weft(args: string[], cwd = REPO_ROOT): CliResult {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", path.join(REPO_ROOT, "src/cli/main.ts"), ...args],
    {
      cwd,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
      timeout: 120_000,
    },
  );
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
