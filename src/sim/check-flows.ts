/** Input checks shared by the engines: a malformed FlowSet is an error for people, not a NaN later. */
import { WeftError } from "../errors.js";
import type { FlowSet } from "./flows.js";

export function checkFlowSet(flows: FlowSet): void {
  const n = flows.count;
  if (!Number.isInteger(n) || n < 0)
    throw new WeftError(`flow set: count must be a whole number >= 0, got ${n}`);
  for (const key of ["src", "dst", "bytes", "start"] as const) {
    if (flows[key].length < n) {
      throw new WeftError(
        `flow set: ${key} has ${flows[key].length} entries, expected at least count = ${n}`,
      );
    }
  }
  if (flows.klass && flows.klass.length < n) {
    throw new WeftError(`flow set: klass has ${flows.klass.length} entries, expected at least count = ${n}`);
  }
  for (let f = 0; f < n; f++) {
    const bytes = flows.bytes[f];
    if (!(bytes >= 0 && bytes < Number.POSITIVE_INFINITY)) {
      throw new WeftError(`flow ${f}: bytes must be a finite number >= 0, got ${bytes}`);
    }
    const start = flows.start[f];
    if (!(start >= 0 && start < Number.POSITIVE_INFINITY)) {
      throw new WeftError(`flow ${f}: start must be a finite time >= 0 s, got ${start}`);
    }
  }
}
