/**
 * Scale-up domains: consecutive accelerators in rank order within a group, `scaleUp.domain` at a time (so a
 * domain may span servers: 72 = 18 trays × 4 GPUs for NVL72). With B the per-accelerator, per-direction
 * bandwidth and t the accelerator-to-accelerator latency:
 * - switch: one logical non-blocking switch `nvsw-d<domain>`; each accelerator has one link of B to it,
 *   t/2 each way (so accelerator → switch → accelerator costs t);
 * - mesh: a direct link between every pair of B/(D−1) (MI300X: 448/7 = 64 GB/s), latency t;
 * - ring: links to the two neighbours of B/2 each, latency t per hop (a domain of 2 has one link of B).
 * D is the designed domain size; a last, partial domain keeps the designed per-link bandwidth.
 */
import type { ClusterSpec } from "../scenario/types.js";
import { scaleUpSwitchChips } from "./chips.js";
import type { AcceleratorIndex } from "./fabric.js";
import { LinkTier, NodeKind, SwitchTier } from "./fabric.js";
import { addCable, addNode, type GraphDraft } from "./graph.js";
import { type ScaleUpLayout, ScaleUpTopologyCode } from "./layout.js";

export function addScaleUp(
  d: GraphDraft,
  cluster: ClusterSpec,
  accelerators: AcceleratorIndex,
  firstRanks: number[],
  warnings: string[],
  chipsPerDomain: Record<string, number> = {},
): ScaleUpLayout {
  const sizes: number[] = [];
  const starts: number[] = [];
  const groupOf: number[] = [];
  cluster.groups.forEach((g, gi) => {
    if (g.kind !== "accelerator") return;
    const count = g.nodes * g.acceleratorsPerNode;
    const size = Math.max(1, Math.floor(g.scaleUp?.domain ?? 1));
    for (let first = 0; first < count; first += size) {
      starts.push(firstRanks[gi] + first);
      sizes.push(size);
      groupOf.push(gi);
    }
    if (count % size !== 0) {
      warnings.push(
        `group ${g.name}: ${count} accelerators do not fill domains of ${size}; the last domain has ${count % size}`,
      );
    }
    const spec = g.scaleUp;
    if (spec && spec.maxDomain > 0 && size > spec.maxDomain) {
      warnings.push(
        `group ${g.name}: scale-up domain ${size} exceeds ${spec.id}'s largest (${spec.maxDomain})`,
      );
    }
  });
  const n = starts.length;
  const layout: ScaleUpLayout = {
    count: n,
    firstRank: new Int32Array(n + 1),
    topology: new Uint8Array(n),
    designSize: new Int32Array(n),
    switchNode: new Int32Array(n).fill(-1),
    linkBase: new Int32Array(n).fill(-1),
    chips: new Int32Array(n),
  };
  for (let dom = 0; dom < n; dom++) {
    layout.firstRank[dom] = starts[dom];
    layout.designSize[dom] = sizes[dom];
  }
  layout.firstRank[n] = accelerators.count;
  for (let dom = 0; dom < n; dom++) {
    const first = layout.firstRank[dom];
    const last = layout.firstRank[dom + 1];
    for (let r = first; r < last; r++) accelerators.domain[r] = dom;
    const group = cluster.groups[groupOf[dom]];
    const spec = group.scaleUp;
    if (!spec || last - first < 2) continue;
    if (spec.topology === "switch")
      layout.chips[dom] = scaleUpSwitchChips(spec, sizes[dom], chipsPerDomain[group.name]);
    layout.topology[dom] = ScaleUpTopologyCode[spec.topology];
    if (spec.topology === "switch")
      addSwitched(d, dom, first, last, spec.bandwidth, spec.latency, accelerators, layout);
    else if (spec.topology === "mesh")
      addMesh(d, dom, first, last, spec.bandwidth, spec.latency, accelerators, layout);
    else addRing(d, dom, first, last, spec.bandwidth, spec.latency, accelerators, layout);
  }
  return layout;
}

function addSwitched(
  d: GraphDraft,
  dom: number,
  first: number,
  last: number,
  bandwidth: number,
  latency: number,
  acc: AcceleratorIndex,
  layout: ScaleUpLayout,
): void {
  const sw = addNode(d, {
    kind: NodeKind.switch,
    tier: SwitchTier.scaleUp,
    group: -1,
    plane: -1,
    pod: dom,
    name: `nvsw-d${dom}`,
  });
  layout.switchNode[dom] = sw;
  for (let r = first; r < last; r++) {
    const l = addCable(d, acc.node[r], sw, bandwidth, latency / 2, latency / 2, LinkTier.scaleUp, true);
    if (r === first) layout.linkBase[dom] = l;
  }
}

function addMesh(
  d: GraphDraft,
  dom: number,
  first: number,
  last: number,
  bandwidth: number,
  latency: number,
  acc: AcceleratorIndex,
  layout: ScaleUpLayout,
): void {
  const perLink = bandwidth / (layout.designSize[dom] - 1);
  for (let i = first; i < last; i++) {
    for (let j = i + 1; j < last; j++) {
      const l = addCable(d, acc.node[i], acc.node[j], perLink, latency, latency, LinkTier.scaleUp, false);
      if (i === first && j === first + 1) layout.linkBase[dom] = l;
    }
  }
}

function addRing(
  d: GraphDraft,
  dom: number,
  first: number,
  last: number,
  bandwidth: number,
  latency: number,
  acc: AcceleratorIndex,
  layout: ScaleUpLayout,
): void {
  const size = last - first;
  if (size === 2) {
    layout.linkBase[dom] = addCable(
      d,
      acc.node[first],
      acc.node[first + 1],
      bandwidth,
      latency,
      latency,
      LinkTier.scaleUp,
      false,
    );
    return;
  }
  for (let i = 0; i < size; i++) {
    const a = acc.node[first + i];
    const b = acc.node[first + ((i + 1) % size)];
    const l = addCable(d, a, b, bandwidth / 2, latency, latency, LinkTier.scaleUp, false);
    if (i === 0) layout.linkBase[dom] = l;
  }
}
