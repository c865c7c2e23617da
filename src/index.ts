/**
 * The library API: `import { loadScenario, run } from "weft"`. Everything the CLI does is available here as
 * plain functions over plain data.
 */
export { run, setupNetwork, type NetworkSetup, type RunOptions } from "./run.js";
export { loadScenario, parseScenario, describeScenario, positionOf } from "./scenario/index.js";
export type * from "./scenario/types.js";
export { builtinCatalog, mergeCatalog, findEntry } from "./catalog/index.js";
export type * from "./catalog/types.js";
export { buildFabric, buildScenarioFabric } from "./topology/build.js";
export type * from "./topology/fabric.js";
export { makeRouter, ecmpIndex } from "./routing/index.js";
export { engineFor, analyticalEngine, flowEngine } from "./sim/engines/index.js";
export type { FlowSet, FlowSetResult } from "./sim/flows.js";
export { collectiveTime, runCollectiveWorkload } from "./collectives/run.js";
export { planSummary, formatPlanTable } from "./report/plan.js";
export { formatResults } from "./report/format.js";
export type * from "./report/results.js";
export * from "./units/index.js";
export { WeftError } from "./errors.js";
