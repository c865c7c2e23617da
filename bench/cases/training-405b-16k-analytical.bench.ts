/** training-405b-16k-analytical: the closed-form case of training-405b-16k.bench.ts (target 200 ms). */
import { analyticalCase } from "./training-405b-16k.bench.js";

export default analyticalCase;
