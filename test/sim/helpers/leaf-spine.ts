/**
 * Small hand-built two-tier leaf-spine fabrics and an up-down router for them, so the engines can be
 * tested on fabrics whose every number is known.
 */
import type { Router } from "../../../src/routing/types.js";
import { type Fabric, LinkTier, NodeKind, SwitchTier } from "../../../src/topology/fabric.js";
import { fabricBuilder } from "./fabric-builder.js";

export interface LeafSpineSpec {
  leaves: number;
  hostsPerLeaf: number;
  spines: number;
  /** Host ↔ leaf, bytes/s per direction. */
  hostBandwidth: number;
  /** Leaf ↔ spine, bytes/s per direction. */
  uplinkBandwidth: number;
  /** Per link, seconds. */
  latency: number;
}

export interface LeafSpine {
  fabric: Fabric;
  router: Router;
  /** Host node ids, leaf by leaf (0 .. hosts-1). */
  hosts: Int32Array;
  /** Link ids: host h → its leaf, and leaf → host h. */
  hostUp: Int32Array;
  hostDown: Int32Array;
  /** Link ids [leaf * spines + spine]: leaf → spine and spine → leaf. */
  leafUp: Int32Array;
  leafDown: Int32Array;
}

export function leafSpine(spec: LeafSpineSpec): LeafSpine {
  const { leaves, hostsPerLeaf, spines, latency } = spec;
  const nHosts = leaves * hostsPerLeaf;
  const b = fabricBuilder();
  for (let h = 0; h < nHosts; h++) b.node(NodeKind.host, SwitchTier.none, `host-${h}`);
  const leafNodes = Array.from({ length: leaves }, (_, i) =>
    b.node(NodeKind.switch, SwitchTier.leaf, `leaf-${i}`),
  );
  const spineNodes = Array.from({ length: spines }, (_, i) =>
    b.node(NodeKind.switch, SwitchTier.spine, `spine-${i}`),
  );
  const leafOf = (h: number) => Math.floor(h / hostsPerLeaf);
  const hostUp = Int32Array.from({ length: nHosts }, (_, h) =>
    b.cable(h, leafNodes[leafOf(h)], spec.hostBandwidth, latency, LinkTier.leaf),
  );
  const hostDown = hostUp.map((l) => l + 1);
  const leafUp = new Int32Array(leaves * spines);
  for (let l = 0; l < leaves; l++) {
    for (let s = 0; s < spines; s++) {
      leafUp[l * spines + s] = b.cable(
        leafNodes[l],
        spineNodes[s],
        spec.uplinkBandwidth,
        latency,
        LinkTier.spine,
      );
    }
  }
  const leafDown = leafUp.map((l) => l + 1);
  const fabric = b.finish(2);
  const router: Router = {
    maxHops: 4,
    maxSpread: 2 + 2 * spines,
    pathCount(src, dst) {
      if (src >= nHosts || dst >= nHosts) return 0;
      if (src === dst) return 1;
      return leafOf(src) === leafOf(dst) ? 1 : spines;
    },
    path(src, dst, k, out) {
      if (src === dst) return 0;
      out[0] = hostUp[src];
      if (leafOf(src) === leafOf(dst)) {
        out[1] = hostDown[dst];
        return 2;
      }
      out[1] = leafUp[leafOf(src) * spines + k];
      out[2] = leafDown[leafOf(dst) * spines + k];
      out[3] = hostDown[dst];
      return 4;
    },
    spread(src, dst, outLinks, outWeights) {
      if (src === dst) return 0;
      let n = 0;
      outLinks[n] = hostUp[src];
      outWeights[n++] = 1;
      if (leafOf(src) !== leafOf(dst)) {
        for (let s = 0; s < spines; s++) {
          outLinks[n] = leafUp[leafOf(src) * spines + s];
          outWeights[n++] = 1 / spines;
          outLinks[n] = leafDown[leafOf(dst) * spines + s];
          outWeights[n++] = 1 / spines;
        }
      }
      outLinks[n] = hostDown[dst];
      outWeights[n++] = 1;
      return n;
    },
  };
  return {
    fabric,
    router,
    hosts: Int32Array.from({ length: nHosts }, (_, i) => i),
    hostUp,
    hostDown,
    leafUp,
    leafDown,
  };
}
