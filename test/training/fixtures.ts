// Programmatic training scenarios and a fabric skeleton (accelerator index and summary only), so the step
// simulator can be exercised without the YAML loader or the topology builders.
import { ACCELERATORS } from "../../src/catalog/accelerators.js";
import { NICS } from "../../src/catalog/nics.js";
import { OPTICS } from "../../src/catalog/optics.js";
import { SCALE_UP } from "../../src/catalog/scale-up.js";
import { SWITCHES } from "../../src/catalog/switches.js";
import type {
  ModelSpec,
  ParallelismSpec,
  Recompute,
  ScaleOutTopology,
  Scenario,
  TrainingWorkload,
} from "../../src/scenario/types.js";
import type { Fabric } from "../../src/topology/fabric.js";

export interface ClusterOptions {
  accelerator: string;
  nodes: number;
  acceleratorsPerNode?: number;
  scaleUp: string;
  nics: { count: number; bandwidth: number };
  switch: string;
  topology?: ScaleOutTopology;
  tiers?: 1 | 2 | 3;
  oversubscription?: { leaf: number; spine: number };
}

export interface JobOptions {
  model: ModelSpec;
  parallelism: Partial<ParallelismSpec> & { tp: number; pp: number; dp: number };
  microBatch: number;
  globalBatch: number;
  recompute?: Recompute;
  precision?: "bf16" | "fp8";
}

export function trainingScenario(name: string, c: ClusterOptions, j: JobOptions): Scenario {
  const accelerator = ACCELERATORS[c.accelerator];
  const scaleUp = SCALE_UP[c.scaleUp];
  if (!accelerator || !scaleUp || !SWITCHES[c.switch]) throw new Error(`unknown catalog id in ${name}`);
  const apn = c.acceleratorsPerNode ?? 8;
  const workload: TrainingWorkload = {
    kind: "training",
    model: j.model,
    parallelism: { ep: 1, cp: 1, vpp: 1, zero: 0, sequenceParallel: false, ...j.parallelism },
    microBatch: j.microBatch,
    globalBatch: j.globalBatch,
    precision: j.precision ?? "bf16",
    attention: "flash",
    recompute: j.recompute ?? "none",
  };
  return {
    name,
    cluster: {
      groups: [
        {
          name: "gpu",
          kind: "accelerator",
          nodes: c.nodes,
          acceleratorsPerNode: apn,
          accelerator,
          scaleUp: { ...scaleUp, domain: apn },
          nics: c.nics,
          priceUsdPerHour: accelerator.priceUsdPerHour,
        },
      ],
      scaleOut: {
        topology: c.topology ?? "fat-tree",
        tiers: c.tiers ?? 2,
        switch: SWITCHES[c.switch],
        oversubscription: c.oversubscription ?? { leaf: 1, spine: 1 },
        linkLatency: 500e-9,
        planes: 1,
      },
      transport: {
        loadBalancing: "ecmp",
        congestionControl: "dcqcn",
        mtu: 4096,
        trimming: false,
        pfc: false,
      },
    },
    workload,
    simulation: { fidelity: "analytical", sharing: "max-min", seed: 1, failureDetection: 0 },
    failures: [],
    catalog: {
      accelerators: ACCELERATORS,
      scaleUp: SCALE_UP,
      nics: NICS,
      switches: SWITCHES,
      optics: OPTICS,
    },
  };
}

/** A fabric with only its accelerator index filled in (no switches or links). */
export function skeletonFabric(scenario: Scenario): Fabric {
  const g = scenario.cluster.groups[0];
  const n = g.nodes * g.acceleratorsPerNode;
  const domain = g.scaleUp?.domain ?? g.acceleratorsPerNode;
  const idx = (f: (i: number) => number) => Int32Array.from({ length: n }, (_, i) => f(i));
  return {
    nodes: {
      count: n,
      kind: new Uint8Array(n),
      tier: new Uint8Array(n),
      group: new Int16Array(n),
      plane: new Int16Array(n).fill(-1),
      pod: new Int32Array(n).fill(-1),
      names: [],
    },
    links: {
      count: 0,
      from: new Int32Array(0),
      to: new Int32Array(0),
      bandwidth: new Float64Array(0),
      latency: new Float64Array(0),
      tier: new Uint8Array(0),
      up: new Uint8Array(0),
      reverse: new Int32Array(0),
    },
    outStart: new Int32Array(n + 1),
    outLinks: new Int32Array(0),
    accelerators: {
      count: n,
      node: idx((i) => i),
      group: new Int16Array(n),
      server: idx((i) => Math.floor(i / g.acceleratorsPerNode)),
      local: Int16Array.from({ length: n }, (_, i) => i % g.acceleratorsPerNode),
      domain: idx((i) => Math.floor(i / domain)),
    },
    groups: [{ name: g.name, kind: "accelerator", servers: g.nodes, endpoints: idx((i) => i), firstRank: 0 }],
    tiers: scenario.cluster.scaleOut.tiers,
    bom: {
      switches: {},
      cables: {},
      optics: {},
      costUsd: { switches: 0, optics: 0, nics: 0, accelerators: 0, total: 0 },
      powerW: { switches: 0, optics: 0, nics: 0, accelerators: 0, total: 0 },
      unusedPorts: {},
      warnings: [],
    },
  };
}
