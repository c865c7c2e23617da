/**
 * Scenario failures → directed fabric links: the packet engine fails them at their time; the fluid engines
 * apply them from the start (applyStaticFailures).
 * - `{ link: { tier, count } }`: `count` cables of that tier (named by their upper end: leaf, spine, core,
 *   scaleUp, host) chosen by the seed; both directions fail;
 * - `{ link: "leaf-0:up-1" }`: a cable by name: `<node>:up-<i>` / `<node>:down-<i>` is the i-th (from 0)
 *   up- or down-going cable of the node, `<node>:<node>` the cable between two nodes;
 * - `{ switch: "leaf-3" }`: every cable of the switch.
 */
import { keyError, WeftError } from "../errors.js";
import { makePrng, nextUint32 } from "../prng.js";
import type { FailureSpec } from "../scenario/types.js";
import { type Fabric, LINK_TIER_NAMES, NodeKind } from "../topology/fabric.js";
import type { LinkFailure } from "./engines/packet/params.js";

export function resolveFailures(fabric: Fabric, failures: FailureSpec[], seed: number): LinkFailure[] {
  if (failures.length === 0) return []; // no names to look up (a 16K fabric has ~20,000)
  const byName = new Map<string, number>();
  fabric.nodes.names.forEach((name, id) => {
    byName.set(name, id);
  });
  const prng = makePrng(seed ^ 0x5f3759df);
  return failures.map((f, i) => {
    let cables: number[];
    const t = f.target;
    if (t.kind === "links") cables = cablesOfTier(fabric, t.tier, t.count, prng, i);
    else if (t.kind === "link") cables = [cableByName(fabric, byName, t.name, i)];
    else cables = cablesOfSwitch(fabric, byName, t.name, i);
    const links: number[] = [];
    for (const l of cables) links.push(l, fabric.links.reverse[l]);
    return { atS: f.at, links: Int32Array.from(links), degrade: f.degrade };
  });
}

function cablesOfTier(
  fabric: Fabric,
  tier: string,
  count: number,
  prng: ReturnType<typeof makePrng>,
  i: number,
) {
  const code = (LINK_TIER_NAMES as readonly string[]).indexOf(tier);
  if (code < 0)
    throw keyError(
      `failures.${i}.link.tier`,
      `failures[${i}]: unknown link tier "${tier}"; expected ${LINK_TIER_NAMES.join(", ")}`,
    );
  const { links } = fabric;
  const pool: number[] = [];
  for (let l = 0; l < links.count; l++) if (links.tier[l] === code && l < links.reverse[l]) pool.push(l);
  if (count > pool.length) {
    throw keyError(
      `failures.${i}.link.count`,
      `failures[${i}]: ${count} ${tier} cables asked to fail, the fabric has ${pool.length}`,
    );
  }
  for (let k = 0; k < count; k++) {
    const j = k + Math.floor((nextUint32(prng) / 4294967296) * (pool.length - k));
    [pool[k], pool[j]] = [pool[j], pool[k]];
  }
  return pool.slice(0, count);
}

function node(byName: Map<string, number>, name: string, i: number): number {
  const id = byName.get(name);
  if (id === undefined) {
    throw new WeftError(
      `failures[${i}]: no node named "${name}"; names are as \`weft plan\` prints them (leaf-0, spine-3, ...)`,
    );
  }
  return id;
}

function cableByName(fabric: Fabric, byName: Map<string, number>, name: string, i: number): number {
  const colon = name.lastIndexOf(":");
  if (colon < 0)
    throw new WeftError(
      `failures[${i}]: link "${name}" should be <node>:up-<i>, <node>:down-<i> or <node>:<node>`,
    );
  const a = node(byName, name.slice(0, colon), i);
  const rest = name.slice(colon + 1);
  const m = /^(up|down)-(\d+)$/.exec(rest);
  const { links } = fabric;
  if (m) {
    const up = m[1] === "up" ? 1 : 0;
    let k = Number(m[2]);
    for (let j = fabric.outStart[a]; j < fabric.outStart[a + 1]; j++) {
      const l = fabric.outLinks[j];
      if (links.up[l] === up && k-- === 0) return l;
    }
    throw new WeftError(`failures[${i}]: ${name.slice(0, colon)} has no ${m[1]}-link number ${m[2]}`);
  }
  const b = node(byName, rest, i);
  for (let j = fabric.outStart[a]; j < fabric.outStart[a + 1]; j++) {
    const l = fabric.outLinks[j];
    if (links.to[l] === b) return l;
  }
  throw new WeftError(`failures[${i}]: no cable between ${name.slice(0, colon)} and ${rest}`);
}

function cablesOfSwitch(fabric: Fabric, byName: Map<string, number>, name: string, i: number): number[] {
  const s = node(byName, name, i);
  if (fabric.nodes.kind[s] !== NodeKind.switch)
    throw new WeftError(`failures[${i}]: "${name}" is not a switch`);
  const out: number[] = [];
  for (let j = fabric.outStart[s]; j < fabric.outStart[s + 1]; j++) out.push(fabric.outLinks[j]);
  return out;
}

/**
 * The fluid engines have no notion of time inside a phase, so they see every failure from the start:
 * a degraded link keeps (1 − degrade) of its bandwidth, a dead one is marked in the returned mask that the
 * router avoids and keeps no bandwidth, so that every model counting capacity (the closed form's bundles
 * of shared links, NIC ports) loses it too. Returns the mask (1 = down) and a warning when any failure was
 * scheduled after time 0.
 */
export function applyStaticFailures(
  fabric: Fabric,
  failures: LinkFailure[],
): { failed: Uint8Array | undefined; warnings: string[] } {
  if (failures.length === 0) return { failed: undefined, warnings: [] };
  const failed = new Uint8Array(fabric.links.count);
  let anyDown = false;
  for (const f of failures) {
    for (let i = 0; i < f.links.length; i++) {
      const l = f.links[i];
      if (f.degrade >= 1) {
        failed[l] = 1;
        fabric.links.bandwidth[l] = 0;
        anyDown = true;
      } else fabric.links.bandwidth[l] *= 1 - f.degrade;
    }
  }
  const late = failures.some((f) => f.atS > 0);
  return {
    failed: anyDown ? failed : undefined,
    warnings: late
      ? [
          "the analytical and flow engines apply every failure from time 0; use the packet engine for timed failures",
        ]
      : [],
  };
}
