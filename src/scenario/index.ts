/** Scenario loading: YAML/JSON → validated, normalized Scenario (see docs/scenarios.md). */

export { expandSizes } from "./collective.js";
export { exactQuantity, scenarioDocument } from "./document.js";
export { loadScenario, parseScenario } from "./load.js";
export { modelPreset, modelPresetNames } from "./model.js";
export { describeScenario } from "./print.js";
export { humanPath, positionOf, scenarioError } from "./source-map.js";
export type * from "./types.js";
