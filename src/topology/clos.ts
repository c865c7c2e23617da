/**
 * Sizing the switch tiers above a set of leaves (the folded Clos of Al-Fares et al., SIGCOMM'08, with
 * oversubscription per tier). Rules, for radix k, leaf down ports d = downPorts(k, o_leaf), U = k − d
 * uplinks per leaf:
 * - 2 tiers: S spines, S the fewest that divide U evenly and have room for every leaf's links:
 *   S | U and L·(U/S) <= k. Leaf uplink j goes to spine j mod S (U/S parallel links per leaf–spine pair).
 * - 3 tiers: pods of spineDown = downPorts(k, o_spine) leaves, each pod with U spines (leaf uplink j →
 *   pod spine j); spine uplinks V = k − spineDown go to U core groups of Cg cores, Cg the fewest with
 *   Cg | V and pods·(V/Cg) <= k; spine j's uplink i goes to core (j, i mod Cg).
 * Partial pods and partial scalable units still get their full spines and uplinks.
 * For k-ary fat-trees this gives k²/2 edge, k²/2 aggregation and k²/4 core switches; for the DGX B200
 * SuperPOD it gives the published counts (data/calibration/dgx_b200_superpod_compute_fabric.csv).
 */
import { WeftError } from "../errors.js";
import { downPorts } from "../scenario/clos-capacity.js";

export interface ClosSize {
  /** 1 (one switch), 2 (leaf–spine) or 3 (leaf–spine–core). */
  tiers: 1 | 2 | 3;
  leaves: number;
  /** Endpoint ports per leaf (the radix for a 1-tier network). */
  leafDown: number;
  /** Uplinks per leaf (U). */
  leafUp: number;
  /** 2-tier: spines S; each leaf has U/S parallel links (`copies`) to each. 3-tier: spines per pod (= U). */
  spineSets: number;
  copies: number;
  /** 3-tier: leaves per pod, uplinks per spine, pods. */
  spineDown: number;
  spineUp: number;
  pods: number;
  /** 3-tier: cores per spine index j (Cg); a spine has spineUp/Cg parallel links (`coreCopies`) to each. */
  coreGroup: number;
  coreCopies: number;
  spines: number;
  cores: number;
}

export interface Oversubscription {
  leaf: number;
  spine: number;
}

/** Down ports of a leaf in a fabric of this many tiers (a lone switch uses all its ports). */
export function leafDownPorts(radix: number, tiers: number, o: Oversubscription): number {
  return tiers <= 1 ? radix : downPorts(radix, o.leaf);
}

/** The fewest tiers whose switches can connect `leaves` leaves (the leaves are already placed). */
export function tiersForLeaves(leaves: number, radix: number, o: Oversubscription): 1 | 2 | 3 | undefined {
  if (leaves <= 1) return 1;
  if (leaves <= radix) return 2;
  return Math.ceil(leaves / downPorts(radix, o.spine)) <= radix ? 3 : undefined;
}

/** Smallest divisor s of n with fits(s), or undefined. */
function smallestDivisor(n: number, fits: (s: number) => boolean): number | undefined {
  for (let s = 1; s <= n; s++) if (n % s === 0 && fits(s)) return s;
  return undefined;
}

export function sizeClos(leaves: number, tiers: 1 | 2 | 3, radix: number, o: Oversubscription): ClosSize {
  const size: ClosSize = {
    tiers,
    leaves,
    leafDown: leafDownPorts(radix, tiers, o),
    leafUp: 0,
    spineSets: 0,
    copies: 0,
    spineDown: 0,
    spineUp: 0,
    pods: 0,
    coreGroup: 0,
    coreCopies: 0,
    spines: 0,
    cores: 0,
  };
  if (tiers === 1) {
    if (leaves > 1) throw new WeftError(`a 1-tier fabric has one switch, but ${leaves} leaves were needed`);
    return size;
  }
  const u = radix - size.leafDown;
  if (u < 1) {
    throw new WeftError(
      `leaf oversubscription ${o.leaf} leaves no uplinks on a ${radix}-port switch; expected a ratio below ${radix - 1}`,
    );
  }
  size.leafUp = u;
  if (tiers === 2) {
    const s = smallestDivisor(u, (x) => leaves * (u / x) <= radix);
    if (s === undefined)
      throw new WeftError(`2 tiers of ${radix}-port switches cannot connect ${leaves} leaves`);
    size.spineSets = s;
    size.copies = u / s;
    size.spines = s;
    return size;
  }
  size.spineDown = downPorts(radix, o.spine);
  const v = radix - size.spineDown;
  if (v < 1) {
    throw new WeftError(
      `spine oversubscription ${o.spine} leaves no uplinks on a ${radix}-port switch; expected a ratio below ${radix - 1}`,
    );
  }
  size.spineUp = v;
  size.spineSets = u;
  size.copies = 1;
  size.pods = Math.ceil(leaves / size.spineDown);
  const cg = smallestDivisor(v, (x) => size.pods * (v / x) <= radix);
  if (cg === undefined) {
    throw new WeftError(
      `3 tiers of ${radix}-port switches cannot connect ${leaves} leaves (${size.pods} pods for at most ${radix}); ` +
        "use switches with more ports, more planes or less oversubscription",
    );
  }
  size.coreGroup = cg;
  size.coreCopies = v / cg;
  size.spines = size.pods * u;
  size.cores = u * cg;
  return size;
}

/**
 * What a sized Clos builds for nothing, as warnings: spines or cores that join a single leaf or pod (an
 * explicit `tiers` above what the leaves need), and a tier whose switches' count is set by the divisors of
 * the uplinks below it rather than by their ports — links are spread evenly, so 13 uplinks per leaf go to 1
 * or 13 spines, and 6 leaves get 13 spines using 6 of 64 ports each. Such a warning names the nearest uplink
 * counts that spread over few switches and the oversubscription that gives them.
 */
export function closWarnings(size: ClosSize, radix: number): string[] {
  const out: string[] = [];
  if (size.tiers === 2 && size.leaves === 1) {
    out.push(`one leaf: its ${size.spines} spine(s) join nothing; tiers: auto builds a single switch`);
  }
  if (size.tiers === 3 && size.pods === 1) {
    out.push(
      `one pod of ${size.leaves} leaves: its ${size.cores} cores join nothing its spines do not; tiers: 2 gives the same paths without them`,
    );
  }
  if (size.tiers === 2 && size.leaves > 1) {
    const w = spreadWarning("leaf", "spines", size.leafUp, size.leaves, size.spines, radix);
    if (w) out.push(w);
  }
  if (size.tiers === 3 && size.pods > 1) {
    const w = spreadWarning("spine", "cores per spine group", size.spineUp, size.pods, size.coreGroup, radix);
    if (w) out.push(w);
  }
  return out;
}

/**
 * A warning when `built` switches (each taking `below`·u/built links) are more than twice the fewest whose
 * ports would hold the `below`·u links, because u's divisors allow no count in between.
 */
function spreadWarning(
  tier: "leaf" | "spine",
  what: string,
  u: number,
  below: number,
  built: number,
  radix: number,
): string | undefined {
  const fewest = (x: number) => Math.ceil((below * x) / radix);
  if (built <= 2 * fewest(u)) return undefined;
  const balanced = (x: number) => smallestDivisor(x, (s) => below * (x / s) <= radix);
  const unit = tier === "leaf" ? "leaf" : "spine";
  const better: string[] = [];
  for (const x of [u - 1, u + 1, u - 2, u + 2, u - 3, u + 3, u - 4, u + 4]) {
    if (x < 1 || x >= radix || better.length === 2) continue;
    const s = balanced(x);
    if (s === undefined || s > 2 * fewest(x)) continue;
    better.push(`${x} (${tier} oversubscription ${ratioFor(radix, radix - x)}) would need ${s}`);
  }
  const hint = better.length ? `; ${better.join(", ")}` : "";
  return (
    `${u} uplinks per ${unit}, spread evenly, need a divisor of ${u} ${what}: ${built} for ` +
    `${below} ${tier === "leaf" ? "leaves" : "pods"}, each using ${(below * u) / built} of ${radix} ports${hint}`
  );
}

/** The shortest oversubscription (2 or 3 decimals) whose split of `radix` ports has `down` ports down. */
function ratioFor(radix: number, down: number): string {
  for (const scale of [100, 1000]) {
    const o = Math.ceil((down / (radix - down)) * scale) / scale;
    if (downPorts(radix, o) === down) return `${o}`;
  }
  return `${down}/${radix - down}`;
}
