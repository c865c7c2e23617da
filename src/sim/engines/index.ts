/** The fluid engines by fidelity (the packet engine lives in engines/packet). */
import { WeftError } from "../../errors.js";
import { analyticalEngine } from "./analytical.js";
import { flowEngine } from "./flow/engine.js";
import type { FlowEngine } from "./types.js";

export { analyticalEngine } from "./analytical.js";
export { flowEngine, runFlowEngine } from "./flow/engine.js";
export type { EngineOptions, FlowEngine } from "./types.js";

export function engineFor(fidelity: "analytical" | "flow"): FlowEngine {
  if (fidelity === "analytical") return analyticalEngine;
  if (fidelity === "flow") return flowEngine;
  throw new WeftError(`no fluid engine for fidelity "${String(fidelity)}": expected "analytical" or "flow"`);
}
