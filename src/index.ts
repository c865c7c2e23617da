/**
 * The library API: `import { loadScenario, run } from "weft"`. Everything the CLI does is available here as
 * plain functions over plain data.
 */

export { builtinCatalog, findEntry, mergeCatalog } from "./catalog/index.js";
export type * from "./catalog/types.js";
export { collectiveTime, runCollectiveWorkload } from "./collectives/run.js";
export { WeftError } from "./errors.js";
export { formatResults } from "./report/format.js";
export { formatPlanTable, planSummary } from "./report/plan.js";
export type * from "./results/types.js";
export { ecmpIndex, makeRouter } from "./routing/index.js";
export { type NetworkSetup, type RunOptions, run, setupNetwork } from "./run.js";
export { describeScenario, loadScenario, parseScenario, positionOf } from "./scenario/index.js";
export type * from "./scenario/types.js";
export { analyticalEngine, engineFor, flowEngine } from "./sim/engines/index.js";
export type { FlowSet, FlowSetResult } from "./sim/flows.js";
export { buildFabric, buildScenarioFabric } from "./topology/build.js";
export type * from "./topology/fabric.js";
export * from "./units/index.js";
