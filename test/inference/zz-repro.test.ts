import { it } from "vitest";
import { simulateInference } from "../../src/workload/inference/run.js";
import { servingScenario } from "./scenarios.js";
import { depsFor, load } from "./setup.js";
const CXL = "    - { name: cxl, kind: memory, nodes: 1, capacity: 1TB, nics: { count: 2, bandwidth: 400Gbps } }\n";
it("repro", () => {
  const k = {"colocated":false,"decodeTp":2,"rate":1,"count":6,"promptMean":1097,"outputMax":3000,"transfer":"whole" as const,"prefixHitRate":0,"offload":false,"maxBatch":1,"seed":0};
  const s = load(servingScenario({ decodeGroup: "h100", decodeTp: k.decodeTp, rate: `${k.rate}/s`, count: k.count,
    prompt: `{ dist: lognormal, mean: ${k.promptMean}, sigma: 0.3 }`, output: `{ dist: uniform, min: 1, max: ${k.outputMax} }`,
    transfer: k.transfer, prefixHitRate: k.prefixHitRate, maxBatch: k.maxBatch, seed: k.seed, extraGroups: CXL }));
  const run = simulateInference(s, depsFor(s));
  const { sim, results } = run;
  console.log(results.completed, results.warnings, run.events, sim.now);
  console.log("pools", run.pools.map(p => [p.role, p.tp, p.kvCapacityTokens, p.instances, p.maxBatch]));
  for (let r = 0; r < sim.n; r++) console.log(r, sim.req.arrival[r], sim.req.prompt[r], sim.req.output[r], sim.state[r], sim.generated[r], sim.kv[r], sim.tDone[r], sim.decodeInst[r], sim.preemptions[r]);
  console.log("inst", sim.inst.used, sim.inst.runCount, sim.inst.assigned, sim.inst.busy);
});
