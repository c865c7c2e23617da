/** Whether two paths name the same file: the same inode when both exist (links included), else the same path. */
import { statSync } from "node:fs";
import path from "node:path";

export function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return path.resolve(a) === path.resolve(b);
  }
}
