/**
 * How the CLI fails: a WeftError prints `file:line:col: message` and exits with its code; anything else
 * prints its message. The stack only with --debug.
 */

import { WeftError } from "../errors.js";
import { UnitError } from "../units/quantity.js";

export function reportError(err: unknown, debug: boolean): number {
  if (err instanceof WeftError) {
    process.stderr.write(`error: ${err.toString()}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  if (err instanceof UnitError) {
    process.stderr.write(`error: ${err.message}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return 2;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "EACCES" || code === "EISDIR") {
    process.stderr.write(`error: ${e.message}\n`);
    return 2;
  }
  process.stderr.write(`error: ${e.message}\n`);
  if (debug) process.stderr.write(`${e.stack ?? ""}\n`);
  else process.stderr.write("(an internal error: run again with --debug for the stack trace)\n");
  return 1;
}
