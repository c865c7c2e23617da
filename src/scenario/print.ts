/**
 * The normalized scenario as plain data with quantities in human units, for `weft validate --print`:
 * every default filled in, catalog entries shown only where they are used.
 */

import {
  formatBandwidth,
  formatBytes,
  formatCount,
  formatLineRate,
  formatPercent,
  formatPower,
  formatTime,
  formatUsd,
} from "../units/index.js";
import { failureTargetDocument } from "./document.js";
import type {
  FailureSpec,
  GroupSpec,
  InstancePool,
  LengthDistribution,
  ManagerSpec,
  ModelSpec,
  ScaleOutSpec,
  Scenario,
  TransportSpec,
  Workload,
} from "./types.js";

type Plain = Record<string, unknown>;

const flops = (x: number): string => `${formatCount(Number((x / 1e12).toFixed(1)))} TFLOP/s`;
const perHour = (usd: number): string => `${formatUsd(usd)}/h`;
/** Vendor memory sizes are decimal (80 GB), whatever their power-of-two factors. */
const decimalGB = (bytes: number): string => `${Number((bytes / 1e9).toFixed(1))} GB`;

export function describeScenario(s: Scenario): Plain {
  return {
    name: s.name,
    ...(s.file ? { file: s.file } : {}),
    cluster: {
      groups: s.cluster.groups.map(describeGroup),
      scaleOut: describeScaleOut(s.cluster.scaleOut, s.cluster.groups),
      transport: describeTransport(s.cluster.transport),
    },
    workload: describeWorkload(s.workload),
    simulation: {
      fidelity: s.simulation.fidelity,
      sharing: s.simulation.sharing,
      seed: s.simulation.seed,
      failureDetection: formatTime(s.simulation.failureDetection),
    },
    failures: s.failures.map(describeFailure),
    ...(s.manager ? { manager: describeManager(s.manager) } : {}),
    warnings: s.warnings ?? [],
  };
}

/** The jobs in brief (not the trace file's path: the server shows this, and its folders are private). */
function describeManager(m: ManagerSpec): Plain {
  const { jobs, tenants } = m.trace;
  return {
    jobs: `${formatCount(jobs.length)} arriving over ${formatTime(jobs[jobs.length - 1].arrival)}`,
    tenants: Object.fromEntries(Object.entries(tenants).map(([t, p]) => [t, `isolate ${p.isolate}`])),
    policies: [...m.policies],
  };
}

function describeGroup(g: GroupSpec): Plain {
  const nics = `${g.nics.count} × ${formatLineRate(g.nics.bandwidth)}`;
  if (g.kind !== "accelerator" || !g.accelerator || !g.scaleUp) {
    return {
      name: g.name,
      kind: g.kind,
      nodes: g.nodes,
      nics,
      ...(g.capacity !== undefined ? { capacity: formatBytes(g.capacity) } : {}),
      ...(g.mediaBandwidth !== undefined ? { mediaBandwidth: formatBandwidth(g.mediaBandwidth) } : {}),
    };
  }
  const a = g.accelerator;
  const u = g.scaleUp;
  return {
    name: g.name,
    kind: g.kind,
    nodes: g.nodes,
    acceleratorsPerNode: g.acceleratorsPerNode,
    accelerators: g.nodes * g.acceleratorsPerNode,
    accelerator: {
      id: a.id,
      bf16: flops(a.peakFlops.bf16),
      ...(a.peakFlops.fp8 !== undefined ? { fp8: flops(a.peakFlops.fp8) } : {}),
      ...(a.peakFlops.fp4 !== undefined ? { fp4: flops(a.peakFlops.fp4) } : {}),
      hbm: decimalGB(a.hbmBytes),
      hbmBandwidth: formatBandwidth(a.hbmBandwidth),
      power: formatPower(a.powerW),
      source: a.source,
    },
    scaleUp: {
      id: u.id,
      bandwidth: `${formatBandwidth(u.bandwidth)} per accelerator per direction`,
      latency: formatTime(u.latency),
      topology: u.topology,
      domain: u.domain,
      inNetworkReduction: u.inNetworkReduction,
    },
    nics,
    price: perHour(g.priceUsdPerHour),
  };
}

function describeScaleOut(so: ScaleOutSpec, groups: GroupSpec[]): Plain {
  const sw = so.switch;
  return {
    topology: so.topology,
    tiers: so.tiers,
    switch: {
      id: sw.id,
      radix: sw.radix,
      portBandwidth: formatLineRate(sw.portBandwidth),
      latency: formatTime(sw.latency),
      buffer: formatBytes(sw.buffer),
      power: formatPower(sw.powerW),
      price: formatUsd(sw.priceUsd),
    },
    oversubscription: `${so.oversubscription.leaf}:1 leaf, ${so.oversubscription.spine}:1 spine`,
    linkLatency: formatTime(so.linkLatency),
    planes: so.planes,
    endpointPortsPerPlane: formatCount(groups.reduce((s, g) => s + g.nodes * g.nics.count, 0)),
  };
}

function describeTransport(t: TransportSpec): Plain {
  return {
    loadBalancing: t.loadBalancing,
    congestionControl: t.congestionControl,
    mtu: formatBytes(t.mtu),
    ...(t.ecn ? { ecn: { min: formatBytes(t.ecn.min), max: formatBytes(t.ecn.max) } } : {}),
    trimming: t.trimming,
    pfc: t.pfc,
  };
}

function describeModel(m: ModelSpec): Plain {
  return { ...m };
}

function describeLength(d: LengthDistribution): string {
  if (d.kind === "fixed") return `${formatCount(d.value)} tokens`;
  if (d.kind === "uniform") return `uniform ${formatCount(d.min)}..${formatCount(d.max)} tokens`;
  return `lognormal, mean ${formatCount(d.mean)} tokens, sigma ${d.sigma}`;
}

function describePool(p: InstancePool): Plain {
  return { ...p, acceleratorsPerInstance: p.tp * p.dp };
}

function describeWorkload(w: Workload): Plain {
  switch (w.kind) {
    case "collective":
      return {
        collective: {
          op: w.op,
          sizes: w.sizes.map(formatBytes),
          algorithm: w.algorithm,
          ranks: w.ranks,
        },
      };
    case "training":
      return {
        training: {
          group: w.group,
          model: describeModel(w.model),
          parallelism: w.parallelism,
          microBatch: w.microBatch,
          globalBatch: w.globalBatch,
          precision: w.precision,
          recompute: w.recompute,
          schedule: w.schedule ?? "1f1b",
        },
      };
    case "inference":
      return {
        inference: {
          model: describeModel(w.model),
          prefill: describePool(w.prefill),
          ...(w.decode ? { decode: describePool(w.decode) } : { decode: "co-located on the prefill pool" }),
          requests: {
            ...(w.requests.rate !== undefined ? { rate: `${w.requests.rate}/s` } : {}),
            count: w.requests.count,
            promptTokens: describeLength(w.requests.promptTokens),
            outputTokens: describeLength(w.requests.outputTokens),
            seed: w.requests.seed,
            ...(w.requests.trace ? { trace: w.requests.trace } : {}),
          },
          kvCache: { ...w.kvCache, prefixHitRate: formatPercent(w.kvCache.prefixHitRate) },
          slo: { ttft: formatTime(w.slo.ttft), tpot: formatTime(w.slo.tpot) },
          precision: w.precision,
        },
      };
    case "traffic":
      return {
        traffic: {
          pattern: w.pattern,
          ...(w.pattern === "file" ? { file: w.file } : { size: formatBytes(w.size) }),
          ...(w.senders !== undefined ? { senders: w.senders } : {}),
        },
      };
  }
}

function describeFailure(f: FailureSpec): Plain {
  return { at: formatTime(f.at), ...failureTargetDocument(f.target), degrade: formatPercent(f.degrade) };
}
