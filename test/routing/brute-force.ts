// Reference enumeration of shortest up-down paths by depth-first search over the whole graph, to check the
// router's closed forms and searches on small fabrics.
import { type Fabric, LinkTier } from "../../src/topology/fabric.js";

export interface BruteOptions {
  failed?: Uint8Array;
  /** Allow scale-up links (the router uses them only inside a domain). */
  withScaleUp?: boolean;
  maxLength?: number;
}

/** All shortest up-down paths from src to dst, as link-id lists. */
export function bruteForcePaths(fabric: Fabric, src: number, dst: number, o: BruteOptions = {}): number[][] {
  if (src === dst) return [[]];
  const { links, outStart, outLinks } = fabric;
  const maxLength = o.maxLength ?? 12;
  const found: number[][] = [];
  const path: number[] = [];
  const ok = (l: number) => (o.withScaleUp || links.tier[l] !== LinkTier.scaleUp) && !o.failed?.[l];
  const walk = (u: number, descending: boolean) => {
    if (u === dst) {
      found.push([...path]);
      return;
    }
    if (path.length >= maxLength) return;
    for (let i = outStart[u]; i < outStart[u + 1]; i++) {
      const l = outLinks[i];
      if (!ok(l)) continue;
      const isUp = links.up[l] === 1;
      const isDown = links.up[l] === 0 && links.up[links.reverse[l]] === 1;
      if ((descending && !isDown) || (!isUp && !isDown)) continue;
      path.push(l);
      walk(links.to[l], descending || isDown);
      path.pop();
    }
  };
  walk(src, false);
  if (!found.length) return [];
  const shortest = Math.min(...found.map((p) => p.length));
  return found.filter((p) => p.length === shortest);
}
