/**
 * The normalized scenario written back as a SCENARIO-v1 document, for `weft validate --print`: every
 * default filled in, catalog entries the scenario changed or added under `hardware`, and every quantity
 * exact (a unit string when one reads back to the same number, the plain SI number otherwise), so the
 * printed document loads back as the same scenario.
 */
import { builtinCatalog, CATALOG_KINDS } from "../catalog/index.js";
import type { Catalog } from "../catalog/types.js";
import { parseQuantity, type QuantityKind, UNITS } from "../units/index.js";
import type { Job } from "./job-trace.js";
import type { ManagerSpec } from "./manager.js";
import type {
  FailureSpec,
  FailureTarget,
  GroupSpec,
  InstancePool,
  JobSpec,
  LengthDistribution,
  ModelSpec,
  ScaleOutSpec,
  Scenario,
  TransportSpec,
  Workload,
} from "./types.js";

type Plain = Record<string, unknown>;

/** Units tried for each kind, largest first; bandwidths of links try bits first (`400Gbps`). */
const PREFERRED: Record<QuantityKind | "lineRate", string[]> = {
  size: ["TiB", "GiB", "MiB", "KiB", "TB", "GB", "MB", "KB", "B"],
  bandwidth: ["TB/s", "GB/s", "MB/s", "KB/s", "B/s"],
  lineRate: ["Tbps", "Gbps", "Mbps", "Kbps", "bps"],
  time: ["h", "min", "s", "ms", "us", "ns", "ps"],
  rate: ["/s"],
  percent: [],
};

/**
 * `value` in a unit that reads back to exactly `value`: a count from 1 to 999 of a unit (`500ns`) first,
 * then a fraction of the next unit up (`0.5us`, where 500 × 1e-9 is one off), then any count (`16384GiB`);
 * the plain number when none reads back. Within a tier the shortest text wins, so a switch buffer of
 * 713,800 B prints as `713.8KB`, not `697.0703125KiB`; on a tie, the unit listed first.
 */
export function exactQuantity(kind: QuantityKind | "lineRate", value: number): string | number {
  const parseKind: QuantityKind = kind === "lineRate" ? "bandwidth" : kind;
  const tries: [number, number][] = [
    [1, 1000],
    [0.001, 1],
    [1, Number.POSITIVE_INFINITY],
  ];
  for (const [low, high] of tries) {
    let best: string | undefined;
    for (const unit of PREFERRED[kind]) {
      const scaled = value / UNITS[parseKind][unit];
      if (Math.abs(scaled) < low || Math.abs(scaled) >= high) continue;
      const text = `${Number(scaled.toPrecision(12))}${unit}`;
      if (parseQuantity(parseKind, text) !== value) continue;
      if (best === undefined || text.length < best.length) best = text;
    }
    if (best !== undefined) return best;
  }
  return value;
}

/** A catalog entry (or inline spec) that came from the scenario file rather than the catalog. */
const isInline = (e: { vendor: string; source: string }) =>
  e.vendor === "custom" && e.source === "scenario file";

export function scenarioDocument(s: Scenario): Plain {
  const prices = groupPrice(s.cluster.groups);
  const hardware = catalogChanges(s.catalog);
  return {
    name: s.name,
    cluster: {
      groups: s.cluster.groups.map(groupDocument),
      scaleOut: scaleOutDocument(s.cluster.scaleOut),
      transport: transportDocument(s.cluster.transport),
    },
    ...(s.jobs ? { jobs: s.jobs.map(jobDocument) } : { workload: workloadDocument(s.workload) }),
    simulation: {
      fidelity: s.simulation.fidelity,
      sharing: s.simulation.sharing,
      seed: s.simulation.seed,
      failureDetection: exactQuantity("time", s.simulation.failureDetection),
    },
    failures: s.failures.map(failureDocument),
    ...(prices !== undefined ? { prices: { acceleratorHour: prices } } : {}),
    ...(s.manager ? { manager: managerDocument(s.manager) } : {}),
    ...(Object.keys(hardware).length ? { hardware } : {}),
  };
}

/** The trace file by its absolute path (it loads from anywhere), or the jobs inline with every default. */
function managerDocument(m: ManagerSpec): Plain {
  return {
    jobs: m.traceFile ?? m.trace.jobs.map(traceJobDocument),
    tenants: Object.fromEntries(Object.entries(m.trace.tenants).map(([t, p]) => [t, { ...p }])),
    policies: [...m.policies],
  };
}

function traceJobDocument(j: Job): Plain {
  const w = j.work;
  const work =
    w.kind === "training"
      ? {
          training: {
            model: w.model,
            tp: w.tp,
            pp: w.pp,
            steps: w.steps,
            globalBatch: w.globalBatch,
            microBatch: w.microBatch,
            ...(w.seqLength !== undefined ? { seqLength: w.seqLength } : {}),
          },
        }
      : {
          inference: {
            model: w.model,
            tp: w.tp,
            duration: exactQuantity("time", w.duration),
            rate: exactQuantity("rate", w.rate),
          },
        };
  const arrival = exactQuantity("time", j.arrival);
  return { id: j.id, arrival, tenant: j.tenant, gpus: j.gpus, priority: j.priority, ...work };
}

/** The one price per accelerator-hour that overrides the catalog's, if the scenario set one. */
function groupPrice(groups: GroupSpec[]): number | undefined {
  const changed = groups.find((g) => g.accelerator && g.priceUsdPerHour !== g.accelerator.priceUsdPerHour);
  return changed?.priceUsdPerHour;
}

/** Entries of the scenario's catalog that the built-in catalog lacks or has with other figures, in full. */
function catalogChanges(catalog: Catalog): Plain {
  const builtin = builtinCatalog();
  const out: Plain = {};
  for (const kind of CATALOG_KINDS) {
    const changed = Object.entries(catalog[kind]).filter(
      ([id, e]) => JSON.stringify(e) !== JSON.stringify(builtin[kind][id]),
    );
    if (changed.length) out[kind] = Object.fromEntries(changed);
  }
  return out;
}

function groupDocument(g: GroupSpec): Plain {
  const nics = { count: g.nics.count, bandwidth: exactQuantity("lineRate", g.nics.bandwidth) };
  if (g.kind !== "accelerator" || !g.accelerator || !g.scaleUp) {
    return {
      name: g.name,
      kind: g.kind,
      nodes: g.nodes,
      nics,
      ...(g.capacity !== undefined ? { capacity: exactQuantity("size", g.capacity) } : {}),
      ...(g.mediaBandwidth !== undefined
        ? { mediaBandwidth: exactQuantity("bandwidth", g.mediaBandwidth) }
        : {}),
    };
  }
  const u = g.scaleUp;
  return {
    name: g.name,
    kind: g.kind,
    nodes: g.nodes,
    accelerator: g.accelerator.id,
    acceleratorsPerNode: g.acceleratorsPerNode,
    scaleUp: {
      ...(isInline(u) ? {} : { id: u.id }),
      bandwidth: exactQuantity("bandwidth", u.bandwidth),
      latency: exactQuantity("time", u.latency),
      topology: u.topology,
      domain: u.domain,
      inNetworkReduction: u.inNetworkReduction,
    },
    nics,
  };
}

function scaleOutDocument(so: ScaleOutSpec): Plain {
  const sw = so.switch;
  return {
    topology: so.topology,
    tiers: so.tiers,
    switch: {
      ...(isInline(sw) ? {} : { id: sw.id }),
      radix: sw.radix,
      portBandwidth: exactQuantity("lineRate", sw.portBandwidth),
      latency: exactQuantity("time", sw.latency),
      buffer: exactQuantity("size", sw.buffer),
      powerW: sw.powerW,
      priceUsd: sw.priceUsd,
      ...(sw.inNetworkReduction !== undefined ? { inNetworkReduction: sw.inNetworkReduction } : {}),
    },
    oversubscription: { ...so.oversubscription },
    linkLatency: exactQuantity("time", so.linkLatency),
    planes: so.planes,
  };
}

function transportDocument(t: TransportSpec): Plain {
  return {
    loadBalancing: t.loadBalancing,
    congestionControl: t.congestionControl,
    mtu: exactQuantity("size", t.mtu),
    ...(t.ecn
      ? { ecn: { min: exactQuantity("size", t.ecn.min), max: exactQuantity("size", t.ecn.max) } }
      : {}),
    trimming: t.trimming,
    pfc: t.pfc,
  };
}

function modelDocument(m: ModelSpec): Plain {
  const moe = m.moe && {
    experts: m.moe.experts,
    topK: m.moe.topK,
    expertFfnHidden: m.moe.expertFfnHidden,
    sharedExperts: m.moe.sharedExperts,
    denseLayers: m.moe.denseLayers,
    ...(m.moe.groups !== undefined ? { groups: m.moe.groups } : {}),
    ...(m.moe.groupsPerToken !== undefined ? { groupsPerToken: m.moe.groupsPerToken } : {}),
  };
  return { ...m, ...(moe ? { moe } : {}), ...(m.mla ? { mla: { ...m.mla } } : {}) };
}

function lengthDocument(d: LengthDistribution): Plain {
  if (d.kind === "fixed") return { dist: "fixed", value: d.value };
  if (d.kind === "uniform") return { dist: "uniform", min: d.min, max: d.max };
  return { dist: "lognormal", mean: d.mean, sigma: d.sigma };
}

function poolDocument(p: InstancePool): Plain {
  return { ...p };
}

/** A job as `jobs:` takes it; its placement as written, so it resolves to the same ranks again. */
function jobDocument(j: JobSpec): Plain {
  const workload = workloadDocument(j.workload);
  // A job's collective runs on its own accelerators: the rank count comes from the placement.
  if (j.workload.kind === "collective") delete (workload.collective as Plain).ranks;
  return {
    name: j.name,
    placement: j.placement,
    ...(j.accelerators !== undefined ? { accelerators: j.accelerators } : {}),
    start: exactQuantity("time", j.startS),
    // An inference job serves its requests once; training and inference compute comes from the model.
    ...(j.workload.kind === "inference" ? {} : { steps: j.steps }),
    ...(j.workload.kind === "training" || j.workload.kind === "inference"
      ? {}
      : { compute: exactQuantity("time", j.computeS) }),
    ...workload,
  };
}

function workloadDocument(w: Workload): Plain {
  switch (w.kind) {
    case "collective":
      return {
        collective: {
          op: w.op,
          // Two sizes would read as a [min, max] range: the factor between them says it is exactly these two.
          sizes: w.sizes.map((b) => exactQuantity("size", b)),
          ...(w.sizes.length === 2 ? { factor: w.sizes[1] / w.sizes[0] } : {}),
          algorithm: w.algorithm,
          ranks: w.ranks,
        },
      };
    case "training":
      return {
        training: {
          group: w.group,
          model: modelDocument(w.model),
          parallelism: { ...w.parallelism },
          microBatch: w.microBatch,
          globalBatch: w.globalBatch,
          precision: w.precision,
          recompute: w.recompute,
          attention: w.attention,
          ...(w.schedule ? { schedule: w.schedule } : {}),
        },
      };
    case "inference":
      return {
        inference: {
          model: modelDocument(w.model),
          prefill: poolDocument(w.prefill),
          ...(w.decode ? { decode: poolDocument(w.decode) } : {}),
          requests: {
            ...(w.requests.rate !== undefined ? { rate: exactQuantity("rate", w.requests.rate) } : {}),
            count: w.requests.count,
            promptTokens: lengthDocument(w.requests.promptTokens),
            outputTokens: lengthDocument(w.requests.outputTokens),
            seed: w.requests.seed,
            ...(w.requests.trace ? { trace: w.requests.trace } : {}),
          },
          kvCache: { ...w.kvCache },
          slo: { ttft: exactQuantity("time", w.slo.ttft), tpot: exactQuantity("time", w.slo.tpot) },
          precision: w.precision,
        },
      };
    case "traffic":
      return {
        traffic: {
          pattern: w.pattern,
          ...(w.pattern === "file" ? { file: w.file } : { size: exactQuantity("size", w.size) }),
          ...(w.senders !== undefined ? { senders: w.senders } : {}),
        },
      };
  }
}

function failureDocument(f: FailureSpec): Plain {
  return { at: exactQuantity("time", f.at), ...failureTargetDocument(f.target), degrade: f.degrade };
}

/** A failure's target as the scenario writes it: `link: { tier, count }`, `link: NAME` or `switch: NAME`. */
export function failureTargetDocument(t: FailureTarget): Plain {
  if (t.kind === "links") return { link: { tier: t.tier, count: t.count } };
  return t.kind === "link" ? { link: t.name } : { switch: t.name };
}
