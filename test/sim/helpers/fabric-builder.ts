/**
 * Builds a Fabric by hand: add nodes, add cables (two directed links with `reverse`), then `finish` fills
 * the struct-of-arrays and the out-link adjacency per the Fabric contract.
 */
import { type Fabric, NodeKind } from "../../../src/topology/fabric.js";

export interface FabricBuilder {
  node(kind: number, tier: number, name: string, pod?: number): number;
  /** A cable between a lower and an upper node; returns the id of the up link (the down link is id + 1). */
  cable(lower: number, upper: number, bandwidth: number, latency: number, tier: number): number;
  finish(tiers: number): Fabric;
}

export function fabricBuilder(): FabricBuilder {
  const kinds: number[] = [];
  const tiers: number[] = [];
  const pods: number[] = [];
  const names: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const bandwidth: number[] = [];
  const latency: number[] = [];
  const linkTier: number[] = [];
  const up: number[] = [];
  return {
    node(kind, tier, name, pod = -1) {
      kinds.push(kind);
      tiers.push(tier);
      pods.push(pod);
      names.push(name);
      return kinds.length - 1;
    },
    cable(lower, upper, bw, lat, tier) {
      const id = from.length;
      from.push(lower, upper);
      to.push(upper, lower);
      bandwidth.push(bw, bw);
      latency.push(lat, lat);
      linkTier.push(tier, tier);
      up.push(1, 0);
      return id;
    },
    finish(scaleOutTiers) {
      const nNodes = kinds.length;
      const nLinks = from.length;
      const reverse = Int32Array.from({ length: nLinks }, (_, l) => l ^ 1);
      const outStart = new Int32Array(nNodes + 1);
      for (const f of from) outStart[f + 1]++;
      for (let n = 0; n < nNodes; n++) outStart[n + 1] += outStart[n];
      const fill = outStart.slice(0, nNodes);
      const outLinks = new Int32Array(nLinks);
      from.forEach((f, l) => {
        outLinks[fill[f]++] = l;
      });
      const endpoints = Int32Array.from(kinds.flatMap((k, n) => (k === NodeKind.host ? [n] : [])));
      const group = new Int16Array(nNodes).fill(-1);
      for (const n of endpoints) group[n] = 0;
      return {
        nodes: {
          count: nNodes,
          kind: Uint8Array.from(kinds),
          tier: Uint8Array.from(tiers),
          group,
          plane: new Int16Array(nNodes).fill(-1),
          pod: Int32Array.from(pods),
          names,
        },
        links: {
          count: nLinks,
          from: Int32Array.from(from),
          to: Int32Array.from(to),
          bandwidth: Float64Array.from(bandwidth),
          latency: Float64Array.from(latency),
          tier: Uint8Array.from(linkTier),
          up: Uint8Array.from(up),
          reverse,
        },
        outStart,
        outLinks,
        accelerators: {
          count: 0,
          node: new Int32Array(0),
          group: new Int16Array(0),
          server: new Int32Array(0),
          local: new Int16Array(0),
          domain: new Int32Array(0),
        },
        groups: [{ name: "hosts", kind: "host", servers: endpoints.length, endpoints, firstRank: 0 }],
        tiers: scaleOutTiers,
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
    },
  };
}
