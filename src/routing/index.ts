export { ecmpHash, ecmpIndex, fmix32 } from "./ecmp.js";
export { makeRouter } from "./router.js";
export type { Router, RoutingOptions } from "./types.js";
