/** Flow sets for tests, built from plain lists. */
import { type FlowSet, makeFlowSet } from "../../../src/sim/flows.js";

export interface FlowSpec {
  src: number;
  dst: number;
  bytes: number;
  start?: number;
  klass?: number;
}

export function flowSetOf(specs: FlowSpec[]): FlowSet {
  const flows = makeFlowSet(specs.length);
  const withClass = specs.some((s) => s.klass !== undefined);
  if (withClass) flows.klass = new Int32Array(specs.length).fill(-1);
  specs.forEach((s, i) => {
    flows.src[i] = s.src;
    flows.dst[i] = s.dst;
    flows.bytes[i] = s.bytes;
    flows.start[i] = s.start ?? 0;
    if (flows.klass && s.klass !== undefined) flows.klass[i] = s.klass;
  });
  return flows;
}
