/**
 * The field types every scenario schema is built from: quantities with units (parsed to SI, sign and
 * range checked, so a unit error carries the path of its value), counts and numbers within their
 * documented ranges (src/limits.ts), and non-empty text. schema.ts and the job-trace schema share them.
 */
import { z } from "zod";
import { COUNT_LIMITS, type Limit, NUMBER_LIMITS, QUANTITY_LIMITS, WHY } from "../limits.js";
import { expectedQuantity, formatCount, parseQuantity, type QuantityKind } from "../units/index.js";
import { describeValue } from "./issues.js";

type Bound = "positive" | "nonNegative" | "fraction";
type QuantityLimit = keyof typeof QUANTITY_LIMITS;

/** A quantity with a unit (or a plain SI number), parsed to SI; sign and range checked. */
export function quantity(kind: QuantityKind, bound: Bound = "positive", range?: QuantityLimit) {
  return z.unknown().transform((v, ctx): number => {
    const issue = (message: string, missing = false): never => {
      ctx.issues.push({ code: "custom", message, input: v, params: { missing } });
      return z.NEVER as never;
    };
    if (v === undefined) return issue(`expected ${expectedQuantity(kind)}`, true);
    if (typeof v !== "string" && typeof v !== "number") {
      return issue(`expected ${expectedQuantity(kind)}, got ${describeValue(v)}`);
    }
    let x: number;
    try {
      x = parseQuantity(kind, v);
    } catch (e) {
      return issue(e instanceof Error ? e.message : String(e));
    }
    if (bound === "positive" && !(x > 0)) return issue(`${JSON.stringify(v)} must be greater than zero`);
    if (bound === "nonNegative" && !(x >= 0)) return issue(`${JSON.stringify(v)} must not be negative`);
    if (bound === "fraction" && !(x >= 0 && x <= 1)) {
      return issue(
        `${JSON.stringify(v)} is not between 0% and 100%; expected ${expectedQuantity(kind)} or a fraction 0..1`,
      );
    }
    const r = range && QUANTITY_LIMITS[range];
    if (r && (x < r.min || x > r.max)) {
      return issue(`${JSON.stringify(v)} is out of range; expected ${r.why}`);
    }
    return x;
  });
}

/** A number within a documented range; the message names the range and why. */
export function ranged(base: z.ZodNumber, l: Limit) {
  // A lower bound of 0 or 1 explains itself; any other names its reason.
  const low = l.min === 0 || l.min === 1 ? base.min(l.min) : base.min(l.min, { error: reason(l.min, l) });
  return low.max(l.max, { error: reason(l.max, l) });
}
function reason(bound: number, l: Limit): string {
  return `${WHY}${formatCount(bound)} (${l.why})`;
}
/** A whole number within `COUNT_LIMITS[name]`. */
export const count = (name: keyof typeof COUNT_LIMITS) => ranged(z.number().int(), COUNT_LIMITS[name]);
/** A plain number within `NUMBER_LIMITS[name]`. */
export const num = (name: keyof typeof NUMBER_LIMITS) => ranged(z.number(), NUMBER_LIMITS[name]);
export const text = z.string().min(1).max(4096);
