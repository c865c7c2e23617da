/**
 * Schema errors for people: each zod issue becomes `file:line:col: what is wrong; what was expected`, at
 * the node that is wrong (the key itself for an unknown key, the enclosing mapping for a missing one).
 */
import type { z } from "zod";
import { didYouMean, unknownKeyMessage } from "../catalog/nearest.js";
import type { SourcePosition } from "../errors.js";
import { WHY } from "../limits.js";
import { at, type Ctx, keyAt } from "./context.js";
import { humanPath } from "./source-map.js";

type Issue = z.core.$ZodIssue & { input?: unknown; params?: { missing?: boolean } };

export interface PositionedMessage {
  position: SourcePosition;
  message: string;
}

/** Marker prefix of the message that the error map below gives unknown-key issues. */
const ALLOWED = "allowed:";

/**
 * Passed to safeParse: strict objects report unknown keys without saying which keys they allow; the issue
 * still holds its schema here (not once finalized), so the allowed keys are passed on in the message.
 */
export function issueMap(iss: { code?: string; inst?: unknown }): string | undefined {
  if (iss.code !== "unrecognized_keys") return undefined;
  const shape = (iss.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } })?._zod?.def?.shape;
  return shape ? `${ALLOWED}${Object.keys(shape).join(",")}` : undefined;
}

/** A value as an error message names it: `number 3`, `string "x"`, `a mapping`; NaN and ±Infinity by name. */
export function describeValue(v: unknown): string {
  if (v === null) return "an empty value";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "number" && !Number.isFinite(v)) return `number ${v}`; // JSON would print null
  return `${typeof v} ${JSON.stringify(v)}`;
}

const TYPE_WORDS: Record<string, string> = {
  int: "a whole number",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "a mapping",
  array: "a list",
};

function bound(
  iss: { minimum?: unknown; maximum?: unknown; inclusive?: boolean; message?: string },
  small: boolean,
): string {
  // A documented limit carries its reason: "≤ 1,048,576 (2^20 nodes; ...)".
  if (iss.message?.startsWith(WHY)) return `${small ? "≥" : "≤"} ${iss.message.slice(WHY.length)}`;
  const limit = Number(small ? iss.minimum : iss.maximum);
  if (small) return `${iss.inclusive ? "≥" : ">"} ${limit}`;
  return `${iss.inclusive ? "≤" : "<"} ${limit}`;
}

function isMissing(iss: Issue): boolean {
  if (iss.code === "custom") return iss.params?.missing === true;
  if (iss.code === "unrecognized_keys") return false;
  return !("input" in iss) || iss.input === undefined;
}

/** One issue → one or more positioned messages (one per unknown key). */
export function formatIssue(iss: Issue, ctx: Ctx): PositionedMessage[] {
  const path = iss.path as (string | number)[];
  const where = humanPath(path);
  if (iss.code === "unrecognized_keys") {
    const allowed = iss.message.startsWith(ALLOWED) ? iss.message.slice(ALLOWED.length).split(",") : [];
    return iss.keys.map((key) => ({
      position: keyAt(ctx, [...path, key]),
      message: unknownKeyMessage(key, where, allowed),
    }));
  }
  if (isMissing(iss)) {
    const parent = path.slice(0, -1);
    const key = path[path.length - 1];
    return [
      {
        position: at(ctx, parent),
        message: `missing required key "${key}" in ${humanPath(parent)}; ${expectation(iss)}`,
      },
    ];
  }
  // A mapping where a union also takes a name (an inline switch or scale-up spec): what is wrong is inside
  // the mapping, so report the mapping branch's own issues at their keys.
  if (iss.code === "invalid_union") {
    const inner = mappingBranch(iss);
    if (inner)
      return inner.flatMap((sub) => formatIssue({ ...sub, path: [...path, ...sub.path] } as Issue, ctx));
  }
  // A whole number past 2^53 fails `int()` too; the field's own documented limit says it better.
  if (iss.code === "too_big" && iss.maximum === Number.MAX_SAFE_INTEGER) return [];
  return [{ position: at(ctx, path), message: `${where}: ${problem(iss)}` }];
}

/** For a mapping given to a union, the issues of the branch that takes mappings (none when no branch does). */
function mappingBranch(iss: Issue & { code: "invalid_union" }): Issue[] | undefined {
  const input = iss.input;
  if (input === null || typeof input !== "object" || Array.isArray(input)) return undefined;
  const branches = ((iss as { errors?: Issue[][] }).errors ?? []).filter(
    (list) => list.length > 0 && !list.some((sub) => sub.path.length === 0 && sub.code === "invalid_type"),
  );
  return branches.length === 1 ? branches[0] : undefined;
}

/** What the value should have been, for a missing key. */
function expectation(iss: Issue): string {
  switch (iss.code) {
    case "invalid_type":
      return `expected ${TYPE_WORDS[iss.expected] ?? iss.expected}`;
    case "invalid_value":
      return `expected one of: ${iss.values.map(String).join(", ")}`;
    default:
      return iss.message.startsWith("expected") ? iss.message : `expected ${iss.message}`;
  }
}

function problem(iss: Issue): string {
  switch (iss.code) {
    case "invalid_type":
      return `expected ${TYPE_WORDS[iss.expected] ?? iss.expected}, got ${describeValue(iss.input)}`;
    case "invalid_value": {
      const values = iss.values.map(String);
      const hint = typeof iss.input === "string" ? didYouMean(iss.input, values) : undefined;
      return `${describeValue(iss.input)} is not allowed${hint ? `; did you mean "${hint}"?` : ";"} expected one of: ${values.join(", ")}`;
    }
    case "too_small":
      if (iss.origin === "array")
        return `expected at least ${iss.minimum} entr${Number(iss.minimum) === 1 ? "y" : "ies"}`;
      if (iss.origin === "string") return "expected a non-empty string";
      return `expected a number ${bound(iss, true)}, got ${describeValue(iss.input)}`;
    case "too_big":
      if (iss.origin === "array") return `expected at most ${iss.maximum} entries`;
      if (iss.origin === "string") return `expected at most ${iss.maximum} characters`;
      return `expected a number ${bound(iss, false)}, got ${describeValue(iss.input)}`;
    case "invalid_union":
      return iss.message.startsWith("expected")
        ? `${iss.message}, got ${describeValue(iss.input)}`
        : iss.message;
    default:
      return iss.message;
  }
}
