export * from "./format.js";
export * from "./quantity.js";
