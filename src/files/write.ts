/**
 * Results are written atomically: a temp file beside the target, flushed to disk, then renamed over it, so
 * a crash or a full disk never leaves a half-written file. A target that exists keeps its permissions
 * (a 0600 file stays private).
 */
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { WeftError } from "../errors.js";

export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const dir = outputFolder(file);
  const tmp = path.join(dir, `.weft-tmp-${process.pid}-${Date.now()}-${path.basename(file)}`);
  try {
    const mode = existingMode(file);
    const fd = openSync(tmp, "wx", mode ?? 0o666);
    try {
      // open() narrows the mode by the umask; a file that existed keeps exactly the bits it had.
      if (mode !== undefined) fchmodSync(fd, mode);
      const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    syncDir(dir);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // the temp file may never have been created
    }
    throw err;
  }
}

/** The permission bits of `file` when it exists. */
function existingMode(file: string): number | undefined {
  try {
    return statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** Makes the rename itself durable; some file systems cannot sync a folder, which is no error. */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}

/**
 * Fails at once, before any work is done, when `file` cannot be written as a file: a folder stands there,
 * or the nearest existing folder above it is a file. `what` names it in the message (a flag, say).
 */
export function checkOutputFile(file: string, what = file): void {
  if (kindOf(file) === "folder") throw new WeftError(`${what}: ${file} is a folder; expected a file path`);
  checkAncestor(path.dirname(path.resolve(file)), what);
}

/** The folder `file` will be written in, made where missing, once checkOutputFile has passed. */
export function outputFolder(file: string, what = file): string {
  checkOutputFile(file, what);
  const dir = path.dirname(path.resolve(file));
  makeDirs(dir);
  return dir;
}

/** As checkOutputFile, for a folder to write into: a file may not stand there. */
export function checkOutputDir(dir: string, what = dir): void {
  if (kindOf(dir) === "file")
    throw new WeftError(`${what}: ${dir} is a file; expected a folder to write into`);
  checkAncestor(path.resolve(dir), what);
}

/**
 * `mkdir -p`, one missing folder at a time from the nearest one that exists (Node 20's recursive mkdir
 * spins forever where mkdir answers ENOENT for a folder that exists, as under /proc).
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  while (kindOf(at) === "none") {
    missing.push(at);
    const up = path.dirname(at);
    if (up === at) break;
    at = up;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EEXIST" && kindOf(missing[i]) === "folder") continue;
      throw new WeftError(`cannot create the folder ${missing[i]} (${code ?? String(err)})`);
    }
  }
}

function checkAncestor(dir: string, what: string): void {
  let at = dir;
  while (kindOf(at) === "none" && path.dirname(at) !== at) at = path.dirname(at);
  if (kindOf(at) === "file")
    throw new WeftError(`${what}: ${at} is a file, so nothing can be written under it`);
}

function kindOf(p: string): "file" | "folder" | "none" {
  try {
    return statSync(p).isDirectory() ? "folder" : "file";
  } catch {
    return "none";
  }
}
