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

export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const dir = path.dirname(path.resolve(file));
  mkdirSync(dir, { recursive: true });
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
