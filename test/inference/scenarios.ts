// Scenario texts for the inference tests: one builder with the knobs the tests turn.
export interface ServingKnobs {
  model?: string;
  prefillGroup?: string;
  decodeGroup?: string | null;
  prefillTp?: number;
  decodeTp?: number;
  prefillInstances?: number;
  decodeInstances?: number;
  prefillExtra?: string;
  decodeExtra?: string;
  maxBatch?: number;
  rate?: string;
  count?: number;
  prompt?: string | number;
  output?: string | number;
  seed?: number;
  transfer?: "whole" | "layerwise";
  prefixHitRate?: number;
  offload?: string;
  nic?: string;
  nodes?: number;
  fidelity?: string;
  precision?: string;
  slo?: string;
  extraGroups?: string;
  loadBalancing?: string;
  /** HBM the tests' H100 / H200 expose: `marketed` (80 / 141 GB, the default) or the catalog's `exposed`. */
  hbm?: "marketed" | "exposed";
  /** Per-decode-step overhead of both accelerators' BF16 curves (`1ms`), or of `decodeStepCurve`'s. */
  decodeStepS?: string;
  decodeStepCurve?: "bf16" | "fp8";
}

// The serving tests were sized (token capacities, preemption cases) on the marketed 80 / 141 GB; they pin
// it, so they keep exercising the mechanics they name whatever the catalog's exposed memory.
function hardware(k: ServingKnobs): string {
  const fields = (marketed: string) => {
    const f: string[] = [];
    if (k.hbm !== "exposed") f.push(`hbmExposedBytes: ${marketed}`);
    if (k.decodeStepS)
      f.push(`efficiency: { ${k.decodeStepCurve ?? "bf16"}: { decodeStepS: ${k.decodeStepS} } }`);
    return `{ ${f.join(", ")} }`;
  };
  if (k.hbm === "exposed" && !k.decodeStepS) return "";
  return `hardware:
  accelerators:
    H100-SXM: ${fields("80GB")}
    H200-SXM: ${fields("141GB")}
`;
}

export function servingScenario(k: ServingKnobs = {}): string {
  const nodes = k.nodes ?? 2;
  const nic = k.nic ?? "400Gbps";
  const decodeGroup = k.decodeGroup === undefined ? "h200" : k.decodeGroup;
  const decode =
    decodeGroup === null
      ? ""
      : `    decode: { group: ${decodeGroup}, tp: ${k.decodeTp ?? 8}, instances: ${k.decodeInstances ?? 1}, maxBatch: ${k.maxBatch ?? 128}${k.decodeExtra ?? ""} }\n`;
  const kv = [`transfer: ${k.transfer ?? "whole"}`, `prefixHitRate: ${k.prefixHitRate ?? 0}`];
  if (k.offload) kv.push(`offload: ${k.offload}`);
  return `
name: serving test
cluster:
  groups:
    - { name: h100, nodes: ${nodes}, accelerator: H100-SXM, nics: { count: 8, bandwidth: ${nic} } }
    - { name: h200, nodes: ${nodes}, accelerator: H200-SXM, nics: { count: 8, bandwidth: ${nic} } }
${k.extraGroups ?? ""}  scaleOut: { topology: fat-tree, switch: QM9700 }
  transport: { loadBalancing: ${k.loadBalancing ?? "ecmp"} }
workload:
  inference:
    model: ${k.model ?? "llama3-70b"}
    precision: ${k.precision ?? "bf16"}
    prefill: { group: ${k.prefillGroup ?? "h100"}, tp: ${k.prefillTp ?? 8}, instances: ${k.prefillInstances ?? 1}, maxBatch: ${k.maxBatch ?? 128}${k.prefillExtra ?? ""} }
${decode}    requests: { rate: ${k.rate ?? "1/s"}, count: ${k.count ?? 1}, promptTokens: ${k.prompt ?? 2048}, outputTokens: ${k.output ?? 64}, seed: ${k.seed ?? 7} }
    kvCache: { ${kv.join(", ")} }
    slo: ${k.slo ?? "{ ttft: 2s, tpot: 50ms }"}
simulation: { fidelity: ${k.fidelity ?? "flow"}, seed: 1 }
${hardware(k)}`;
}

export interface DeepSeekKnobs {
  prefillExtra?: string;
  decodeExtra?: string;
  /** Requests, all arriving at once unless `rate` says. */
  count?: number;
  rate?: string;
  /** `efficiency:` of the H200 in a `hardware:` section (`{ fp8: { decodeStepS: 5ms } }`). */
  efficiency?: string;
}

/**
 * DeepSeek-V3 in FP8 on 4 × 8 H200, prefill and decode each one instance of tp 1 × dp 16 with expert
 * parallelism 16 (DeepSeek-style attention data parallelism), 1,024-token prompts and 64-token outputs.
 */
export function deepSeekEp16(k: DeepSeekKnobs = {}): string {
  const hardware = k.efficiency
    ? `hardware:\n  accelerators:\n    H200-SXM: { efficiency: ${k.efficiency} }\n`
    : "";
  return `
name: deepseek-v3 ep16
cluster:
  groups:
    - { name: gpu, nodes: 4, accelerator: H200-SXM }
  scaleOut: { topology: rail-optimized, switch: QM9700 }
workload:
  inference:
    model: deepseek-v3
    precision: fp8
    prefill: { group: gpu, tp: 1, dp: 16, ep: 16, instances: 1, maxBatch: 64${k.prefillExtra ?? ""} }
    decode: { group: gpu, tp: 1, dp: 16, ep: 16, instances: 1, maxBatch: 256${k.decodeExtra ?? ""} }
    requests: { rate: ${k.rate ?? "1000000/s"}, count: ${k.count ?? 1}, promptTokens: 1024, outputTokens: 64, seed: 3 }
simulation: { fidelity: analytical }
${hardware}`;
}
