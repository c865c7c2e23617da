/** Exposed communication time by cause: which kind of parallelism, which collective, which fabric tier. */
import type { ExposedByKind } from "../../results/types.js";

export type CommKind = keyof ExposedByKind;

export interface Cause {
  kind: CommKind;
  collective: string;
  tier: string;
  exposedS: number;
}

/** Causes keyed by `kind|collective|tier`. */
export type Ledger = Map<string, Cause>;

export function addCause(l: Ledger, kind: CommKind, collective: string, tier: string, seconds: number): void {
  if (!(seconds > 0)) return;
  const key = `${kind}|${collective}|${tier}`;
  const c = l.get(key);
  if (c) c.exposedS += seconds;
  else l.set(key, { kind, collective, tier, exposedS: seconds });
}

/** Adds `times` × every cause of `from` into `into`. */
export function mergeLedger(into: Ledger, from: Ledger, times = 1): void {
  for (const c of from.values()) addCause(into, c.kind, c.collective, c.tier, c.exposedS * times);
}

export function byKind(l: Ledger): ExposedByKind {
  const out: ExposedByKind = { tp: 0, pp: 0, dp: 0, ep: 0, cp: 0 };
  for (const c of l.values()) out[c.kind] += c.exposedS;
  return out;
}

export function ledgerTotal(l: Ledger): number {
  let t = 0;
  for (const c of l.values()) t += c.exposedS;
  return t;
}
