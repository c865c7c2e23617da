/**
 * Creates the scale-out switches and cables of a leaf plan, once per plane. With P planes, every NIC port
 * is split into P links of bandwidth/P, link q going to plane q's copy of its leaf (a multi-plane fabric
 * is P identical fabrics side by side). A port link runs at min(NIC bandwidth/P, switch port bandwidth).
 *
 * Latency of a cable: `linkLatency` each way, plus the switch's port-to-port latency on the direction that
 * enters a switch.
 */
import type { ClusterSpec } from "../scenario/types.js";
import { formatLineRate } from "../units/index.js";
import type { PortTable } from "./endpoints.js";
import { LinkTier, NodeKind, SwitchTier } from "./fabric.js";
import { addCable, addNode, type GraphDraft } from "./graph.js";
import type { ClosNetwork } from "./layout.js";
import type { LeafPlan, NetworkPlan } from "./leaf-plan.js";

export interface ScaleOutBuild {
  networks: ClosNetwork[];
  /** Per port and plane (index p·P + q): the up link into the leaf, and the leaf node. */
  portLink: Int32Array;
  portLeaf: Int32Array;
  /** Scale-out switch nodes with their network, index within the network and first up link. */
  switchNode: number[];
  switchNet: number[];
  switchIndex: number[];
  switchUpBase: number[];
  tiers: number;
}

interface Context {
  d: GraphDraft;
  cluster: ClusterSpec;
  out: ScaleOutBuild;
  prefix: string;
  plane: number;
}

export function addScaleOut(
  d: GraphDraft,
  cluster: ClusterSpec,
  ports: PortTable,
  plan: LeafPlan,
  warnings: string[],
): ScaleOutBuild {
  const planes = cluster.scaleOut.planes;
  const out: ScaleOutBuild = {
    networks: [],
    portLink: new Int32Array(ports.count * planes),
    portLeaf: new Int32Array(ports.count * planes),
    switchNode: [],
    switchNet: [],
    switchIndex: [],
    switchUpBase: [],
    tiers: 0,
  };
  for (const n of plan.networks) out.tiers = Math.max(out.tiers, n.size.tiers);
  warnFastNics(cluster, warnings);
  for (let q = 0; q < planes; q++) {
    const ctx: Context = { d, cluster, out, prefix: planes > 1 ? `p${q}-` : "", plane: q };
    const leafNodes = addLeaves(ctx, plan);
    addPortLinks(ctx, ports, plan, leafNodes);
    const firstNet = out.networks.length;
    let spineName = 0;
    let podBase = 0;
    for (const net of plan.networks) {
      const built = addSpines(ctx, net, spineName, podBase);
      spineName += built.spineCount;
      podBase += net.size.pods;
      out.networks.push(built);
    }
    let coreName = 0;
    for (let i = 0; i < plan.networks.length; i++) {
      coreName += addCores(ctx, out.networks[firstNet + i], coreName);
    }
    for (let i = 0; i < plan.networks.length; i++) {
      addUplinks(ctx, plan.networks[i], out.networks[firstNet + i], leafNodes);
    }
  }
  return out;
}

function warnFastNics(cluster: ClusterSpec, warnings: string[]): void {
  const { switch: sw, planes } = cluster.scaleOut;
  for (const g of cluster.groups) {
    if (g.nics.count > 0 && g.nics.bandwidth / planes > sw.portBandwidth * (1 + 1e-9)) {
      warnings.push(
        `group ${g.name}: NIC ports of ${formatLineRate(g.nics.bandwidth)} over ${planes} plane(s) exceed the ` +
          `${formatLineRate(sw.portBandwidth)} switch ports: links run at the switch port speed`,
      );
    }
  }
}

function leafPod(
  plan: LeafPlan,
  leaf: number,
  net: NetworkPlan | undefined,
  pos: number,
  podBase: number,
): number {
  if (net && net.size.tiers === 3) return podBase + Math.floor(pos / net.size.spineDown);
  if (plan.leafSu[leaf] >= 0) return plan.leafSu[leaf];
  return net && net.size.tiers === 1 ? -1 : 0;
}

function addLeaves(ctx: Context, plan: LeafPlan): Int32Array {
  const nodes = new Int32Array(plan.leaves);
  const netOf = new Int32Array(plan.leaves).fill(-1);
  const posOf = new Int32Array(plan.leaves);
  const podBaseOf = new Int32Array(plan.leaves);
  let podBase = 0;
  plan.networks.forEach((net, ni) => {
    net.leaves.forEach((leaf, pos) => {
      netOf[leaf] = ni;
      posOf[leaf] = pos;
      podBaseOf[leaf] = podBase;
    });
    podBase += net.size.pods;
  });
  const firstNet = ctx.out.networks.length;
  for (let leaf = 0; leaf < plan.leaves; leaf++) {
    const net = netOf[leaf] >= 0 ? plan.networks[netOf[leaf]] : undefined;
    nodes[leaf] = addNode(ctx.d, {
      kind: NodeKind.switch,
      tier: SwitchTier.leaf,
      group: -1,
      plane: ctx.plane,
      pod: leafPod(plan, leaf, net, posOf[leaf], podBaseOf[leaf]),
      name: `${ctx.prefix}leaf-${leaf}`,
    });
    ctx.out.switchNode.push(nodes[leaf]);
    ctx.out.switchNet.push(netOf[leaf] >= 0 ? firstNet + netOf[leaf] : -1);
    ctx.out.switchIndex.push(posOf[leaf]);
    ctx.out.switchUpBase.push(-1);
  }
  return nodes;
}

function addPortLinks(ctx: Context, ports: PortTable, plan: LeafPlan, leafNodes: Int32Array): void {
  const { switch: sw, linkLatency, planes } = ctx.cluster.scaleOut;
  for (let p = 0; p < ports.count; p++) {
    const leaf = leafNodes[plan.leafOfPort[p]];
    const bw = Math.min(ports.bandwidth[p] / planes, sw.portBandwidth);
    const l = addCable(
      ctx.d,
      ports.attach[p],
      leaf,
      bw,
      linkLatency + sw.latency,
      linkLatency,
      LinkTier.leaf,
      true,
    );
    ctx.out.portLink[p * planes + ctx.plane] = l;
    ctx.out.portLeaf[p * planes + ctx.plane] = leaf;
  }
}

function addSpines(ctx: Context, net: NetworkPlan, nameBase: number, podBase: number): ClosNetwork {
  const s = net.size;
  const first = ctx.d.nodeCount;
  for (let i = 0; i < s.spines; i++) {
    const pod = s.tiers === 3 ? podBase + Math.floor(i / s.spineSets) : -1;
    const id = addNode(ctx.d, {
      kind: NodeKind.switch,
      tier: SwitchTier.spine,
      group: -1,
      plane: ctx.plane,
      pod,
      name: `${ctx.prefix}spine-${nameBase + i}`,
    });
    ctx.out.switchNode.push(id);
    ctx.out.switchNet.push(ctx.out.networks.length);
    ctx.out.switchIndex.push(i);
    ctx.out.switchUpBase.push(-1);
  }
  return {
    plane: ctx.plane,
    rail: net.rail,
    tiers: s.tiers,
    leaves: s.leaves,
    leafDown: s.leafDown,
    leafUp: s.leafUp,
    spineSets: s.spineSets,
    copies: s.copies,
    spineDown: s.spineDown,
    spineUp: s.spineUp,
    pods: s.pods,
    coreGroup: s.coreGroup,
    coreCopies: s.coreCopies,
    firstSpine: first,
    spineCount: s.spines,
    firstCore: -1,
    coreCount: s.cores,
  };
}

function addCores(ctx: Context, net: ClosNetwork, nameBase: number): number {
  net.firstCore = ctx.d.nodeCount;
  const netId = ctx.out.networks.indexOf(net);
  for (let i = 0; i < net.coreCount; i++) {
    const id = addNode(ctx.d, {
      kind: NodeKind.switch,
      tier: SwitchTier.core,
      group: -1,
      plane: ctx.plane,
      pod: -1,
      name: `${ctx.prefix}core-${nameBase + i}`,
    });
    ctx.out.switchNode.push(id);
    ctx.out.switchNet.push(netId);
    ctx.out.switchIndex.push(i);
    ctx.out.switchUpBase.push(-1);
  }
  return net.coreCount;
}

/** Index into out.switch* of a node, found from the node id (switches were pushed in node order). */
function switchEntry(out: ScaleOutBuild, node: number): number {
  let lo = 0;
  let hi = out.switchNode.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (out.switchNode[mid] < node) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function addUplinks(ctx: Context, plan: NetworkPlan, net: ClosNetwork, leafNodes: Int32Array): void {
  const { switch: sw, linkLatency } = ctx.cluster.scaleOut;
  const lat = linkLatency + sw.latency;
  const bw = sw.portBandwidth;
  if (net.tiers < 2) return;
  plan.leaves.forEach((leaf, pos) => {
    const node = leafNodes[leaf];
    let base = -1;
    for (let j = 0; j < net.leafUp; j++) {
      const spine =
        net.tiers === 2
          ? net.firstSpine + (j % net.spineSets)
          : net.firstSpine + Math.floor(pos / net.spineDown) * net.spineSets + j;
      const l = addCable(ctx.d, node, spine, bw, lat, lat, LinkTier.spine, true);
      if (j === 0) base = l;
    }
    ctx.out.switchUpBase[switchEntry(ctx.out, node)] = base;
  });
  if (net.tiers < 3) return;
  for (let i = 0; i < net.spineCount; i++) {
    const spine = net.firstSpine + i;
    const j = i % net.spineSets;
    let base = -1;
    for (let u = 0; u < net.spineUp; u++) {
      const core = net.firstCore + j * net.coreGroup + (u % net.coreGroup);
      const l = addCable(ctx.d, spine, core, bw, lat, lat, LinkTier.core, true);
      if (u === 0) base = l;
    }
    ctx.out.switchUpBase[switchEntry(ctx.out, spine)] = base;
  }
}
