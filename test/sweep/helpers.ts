// Shared by the sweep tests: sweep files in a temp folder, and `weft` started as a child process.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../helpers/data.js";

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function example(name: string): string {
  return path.join(REPO_ROOT, "examples", name);
}

export function writeSweep(dir: string, name: string, yaml: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

/** `weft ARGS` from source as a child process, with its stdout and stderr collected. */
export function startWeft(args: string[]): ChildProcess & { out: string[]; err: string[] } {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(REPO_ROOT, "src/cli/main.ts"), ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  ) as ChildProcess & { out: string[]; err: string[] };
  child.out = [];
  child.err = [];
  child.stdout?.on("data", (d) => child.out.push(String(d)));
  child.stderr?.on("data", (d) => child.err.push(String(d)));
  return child;
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

/** Resolves once the child's stderr has `n` lines matching `pattern`. */
export function linesSeen(
  child: { err: string[]; stderr: ChildProcess["stderr"] },
  pattern: RegExp,
  n: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const count = child.err
        .join("")
        .split("\n")
        .filter((l) => pattern.test(l)).length;
      if (count >= n) {
        child.stderr?.off("data", check);
        resolve();
      }
    };
    child.stderr?.on("data", check);
    child.stderr?.once("close", () =>
      reject(new Error(`stderr closed before ${n} lines matched ${pattern}: ${child.err.join("")}`)),
    );
    check();
  });
}
