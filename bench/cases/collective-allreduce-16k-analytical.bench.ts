/** allreduce-16k-analytical: the closed-form case of collective-allreduce-16k.bench.ts (target 50 ms). */
import { analyticalCase } from "./collective-allreduce-16k.bench.js";

export default analyticalCase;
