/**
 * inference-100k: 100,000 requests of Llama 3 70B (Poisson at 70/s, lognormal prompts of 2,048 and outputs
 * of 256 tokens on average) served disaggregated on 64 H100 (8 prefill instances, tp 8) and 64 H200
 * (8 decode instances, tp 8) over a 400G rail-optimized fabric, with layer-wise KV transfers contending in
 * the fluid model and TP all-reduces timed by the collective algorithms. Target: under 10 s on one core.
 * Quick: 5,000 requests.
 */
import { setupNetwork } from "../../src/run.js";
import { parseScenario } from "../../src/scenario/load.js";
import { simulateInference } from "../../src/workload/inference/run.js";
import { collectiveCommModel } from "../../src/workload/training/comm.js";
import type { BenchCase } from "../case.js";

function scenarioText(count: number): string {
  return `
name: inference-100k
cluster:
  groups:
    - { name: h100, nodes: 8, accelerator: H100-SXM, nics: { count: 8, bandwidth: 400Gbps } }
    - { name: h200, nodes: 8, accelerator: H200-SXM, nics: { count: 8, bandwidth: 400Gbps } }
  scaleOut: { topology: rail-optimized, switch: QM9700 }
workload:
  inference:
    model: llama3-70b
    prefill: { group: h100, tp: 8, instances: 8, maxBatch: 64 }
    decode: { group: h200, tp: 8, instances: 8, maxBatch: 256 }
    requests:
      rate: 70/s
      count: ${count}
      promptTokens: { dist: lognormal, mean: 2048, sigma: 0.6 }
      outputTokens: { dist: lognormal, mean: 256, sigma: 0.6 }
      seed: 7
    kvCache: { transfer: layerwise }
    slo: { ttft: 1s, tpot: 30ms }
simulation: { fidelity: flow, seed: 1 }
`;
}

const inference100k: BenchCase = {
  name: "inference-100k",
  description:
    "100,000 Llama 3 70B requests, disaggregated on 64 H100 (prefill) + 64 H200 (decode), flow fidelity",
  targetS: 10,
  quick: true,
  run({ quick }) {
    const scenario = parseScenario(scenarioText(quick ? 5_000 : 100_000), "<inference-100k>");
    const net = setupNetwork(scenario);
    const out = simulateInference(scenario, {
      fabric: net.fabric,
      router: net.router,
      engine: net.engine,
      comm: collectiveCommModel(net.collectives),
    });
    const r = out.results;
    return {
      requests: r.requests,
      events: out.events,
      simulatedS: r.makespanS,
      extra: {
        ttftP99S: r.ttftS.p99,
        tpotP50S: r.tpotS.p50,
        throughputTokensPerS: r.throughputTokensPerS,
        goodput: r.goodputFraction,
      },
    };
  },
};

export default inference100k;
