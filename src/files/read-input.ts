/**
 * Reading a file that a scenario names (a traffic matrix, a request trace, an htsim topology) or the
 * scenario itself: it must be a regular file under MAX_FILE_BYTES. A FIFO would block forever, a device
 * such as /dev/zero would fill memory, and a directory says nothing; each is an error saying so.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";
import { MAX_FILE_BYTES } from "../limits.js";
import { formatBytes } from "../units/format.js";

/** Why `file` cannot be read as input, or undefined when it can. */
export function inputFileProblem(file: string): string | undefined {
  let fd: number;
  try {
    // Non-blocking, so that opening a FIFO with no writer returns at once instead of waiting.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return openProblem(e as NodeJS.ErrnoException);
  }
  try {
    return statProblem(fd);
  } finally {
    closeSync(fd);
  }
}

/** The text of `file`; throws an Error naming the file and what is wrong with it. */
export function readInputFile(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new Error(`${file}: ${openProblem(e as NodeJS.ErrnoException)}`);
  }
  try {
    const problem = statProblem(fd);
    if (problem) throw new Error(`${file}: ${problem}`);
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}

function openProblem(e: NodeJS.ErrnoException): string {
  if (e.code === "ENOENT") return "no such file";
  if (e.code === "EACCES") return "permission denied";
  if (e.code === "EISDIR") return "a directory, not a file";
  return e.message;
}

function statProblem(fd: number): string | undefined {
  const st = fstatSync(fd);
  if (st.isDirectory()) return "a directory, not a file";
  if (!st.isFile()) return "not a regular file but a device, FIFO or socket";
  if (st.size > MAX_FILE_BYTES)
    return `${formatBytes(st.size)} is more than the ${formatBytes(MAX_FILE_BYTES)} an input file may have`;
  return undefined;
}
