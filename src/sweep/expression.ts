/**
 * The small expression language of sweep constraints and derived values:
 * `tp * pp <= 64`, `cluster.groups[0].nics.bandwidth >= 400Gbps && microBatch != 3`,
 * `dp = 1024 / (tp * pp)`. Numbers, quantities with units (compared in SI: `400Gbps` is 5e10 B/s),
 * strings in quotes, names (dotted paths, resolved by the caller), `+ - * / %`, comparisons, `&& || !`
 * (also `and or not`), parentheses and `min max floor ceil abs log2`. Parsed once, evaluated per point.
 */
import { parseQuantity, type QuantityKind } from "../units/index.js";

export type Value = number | string | boolean;

export type Expr =
  | { op: "lit"; value: Value }
  | { op: "name"; name: string }
  | { op: "call"; fn: string; args: Expr[] }
  | { op: "not" | "neg"; arg: Expr }
  | { op: string; left: Expr; right: Expr };

/** A syntax error, with the column (1-based) in the expression text. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

const FUNCTIONS: Record<string, (...xs: number[]) => number> = {
  min: Math.min,
  max: Math.max,
  floor: Math.floor,
  ceil: Math.ceil,
  abs: Math.abs,
  log2: Math.log2,
};

interface Token {
  kind: "num" | "str" | "name" | "op" | "end";
  text: string;
  value?: Value;
  at: number;
}

const OPERATORS = ["&&", "||", "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "%", "!", "(", ")", ","];
const WORD_OPS: Record<string, string> = { and: "&&", or: "||", not: "!" };
const QUANTITY_KINDS: QuantityKind[] = ["bandwidth", "size", "time", "rate", "percent"];

/** A string that reads as a quantity (`400Gbps`, `16GiB`, `1.5us`), in SI units; undefined otherwise. */
export function quantityValue(text: string): number | undefined {
  for (const kind of QUANTITY_KINDS) {
    try {
      return parseQuantity(kind, text);
    } catch {
      // not this kind
    }
  }
  return undefined;
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i + 1;
    const num = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?([A-Za-z/%]+)?/.exec(src.slice(i));
    if (num) {
      const text = num[0];
      const value = num[4] === undefined ? Number(text) : quantityValue(text);
      if (value === undefined) throw new ExpressionError(`"${text}" is not a number or a quantity`, at);
      tokens.push({ kind: "num", text, value, at });
      i += text.length;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new ExpressionError("unterminated string", at);
      tokens.push({ kind: "str", text: src.slice(i, end + 1), value: src.slice(i + 1, end), at });
      i = end + 1;
      continue;
    }
    const name = /^[A-Za-z_][\w]*(\[\d+\]|\.[A-Za-z_][\w]*)*/.exec(src.slice(i));
    if (name) {
      const text = name[0];
      if (WORD_OPS[text]) tokens.push({ kind: "op", text: WORD_OPS[text], at });
      else if (text === "true" || text === "false")
        tokens.push({ kind: "num", text, value: text === "true", at });
      else tokens.push({ kind: "name", text, at });
      i += text.length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExpressionError(`unexpected "${c}"`, at);
    tokens.push({ kind: "op", text: op, at });
    i += op.length;
  }
  tokens.push({ kind: "end", text: "end of the expression", at: src.length + 1 });
  return tokens;
}

/** Binding power of each binary operator: higher binds tighter. */
const BINARY: Record<string, number> = {
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
  "%": 6,
};

export function parseExpression(src: string): Expr {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const expect = (text: string) => {
    const t = tokens[pos++];
    if (t.text !== text) throw new ExpressionError(`expected "${text}", found "${t.text}"`, t.at);
  };
  const primary = (): Expr => {
    const t = tokens[pos++];
    if (t.kind === "num" || t.kind === "str") return { op: "lit", value: t.value as Value };
    if (t.kind === "name") {
      if (peek().text !== "(") return { op: "name", name: t.text };
      if (!FUNCTIONS[t.text])
        throw new ExpressionError(
          `unknown function "${t.text}"; expected one of ${Object.keys(FUNCTIONS).join(", ")}`,
          t.at,
        );
      pos++;
      const args: Expr[] = [];
      if (peek().text !== ")") {
        args.push(binary(0));
        while (peek().text === ",") {
          pos++;
          args.push(binary(0));
        }
      }
      expect(")");
      return { op: "call", fn: t.text, args };
    }
    if (t.text === "(") {
      const e = binary(0);
      expect(")");
      return e;
    }
    if (t.text === "!") return { op: "not", arg: primary() };
    if (t.text === "-") return { op: "neg", arg: primary() };
    throw new ExpressionError(`expected a number, a name or "(", found "${t.text}"`, t.at);
  };
  const binary = (minPower: number): Expr => {
    let left = primary();
    for (;;) {
      const t = peek();
      const power = t.kind === "op" ? BINARY[t.text] : undefined;
      if (power === undefined || power <= minPower) return left;
      pos++;
      left = { op: t.text, left, right: binary(power) };
    }
  };
  const e = binary(0);
  const t = peek();
  if (t.kind !== "end") throw new ExpressionError(`unexpected "${t.text}"`, t.at);
  return e;
}

/** Every name an expression reads. */
export function namesOf(e: Expr, out: string[] = []): string[] {
  if (e.op === "name") out.push((e as { name: string }).name);
  else if (e.op === "call") for (const a of (e as { args: Expr[] }).args) namesOf(a, out);
  else if ("arg" in e) namesOf(e.arg, out);
  else if ("left" in e) {
    namesOf(e.left, out);
    namesOf(e.right, out);
  }
  return out;
}

function num(v: Value): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  const q = quantityValue(v);
  if (q === undefined) throw new Error(`"${v}" is not a number`);
  return q;
}

function equal(a: Value, b: Value): boolean {
  if (typeof a === "string" && typeof b === "string")
    return a === b || (quantityValue(a) === quantityValue(b) && quantityValue(a) !== undefined);
  if (typeof a === "string" || typeof b === "string") {
    const x = typeof a === "string" ? quantityValue(a) : a;
    const y = typeof b === "string" ? quantityValue(b) : b;
    return x !== undefined && y !== undefined && num(x) === num(y);
  }
  return num(a) === num(b);
}

/** Evaluates an expression; `lookup` gives each name's value (throw to report an unknown name). */
export function evaluate(e: Expr, lookup: (name: string) => Value): Value {
  switch (e.op) {
    case "lit":
      return (e as { value: Value }).value;
    case "name":
      return lookup((e as { name: string }).name);
    case "call": {
      const c = e as { fn: string; args: Expr[] };
      return FUNCTIONS[c.fn](...c.args.map((a) => num(evaluate(a, lookup))));
    }
    case "not":
      return !truthy(evaluate((e as { arg: Expr }).arg, lookup));
    case "neg":
      return -num(evaluate((e as { arg: Expr }).arg, lookup));
  }
  const { left, right } = e as { left: Expr; right: Expr };
  if (e.op === "&&") return truthy(evaluate(left, lookup)) && truthy(evaluate(right, lookup));
  if (e.op === "||") return truthy(evaluate(left, lookup)) || truthy(evaluate(right, lookup));
  const a = evaluate(left, lookup);
  const b = evaluate(right, lookup);
  switch (e.op) {
    case "==":
      return equal(a, b);
    case "!=":
      return !equal(a, b);
    case "<":
      return num(a) < num(b);
    case "<=":
      return num(a) <= num(b);
    case ">":
      return num(a) > num(b);
    case ">=":
      return num(a) >= num(b);
    case "+":
      return num(a) + num(b);
    case "-":
      return num(a) - num(b);
    case "*":
      return num(a) * num(b);
    case "/":
      return num(a) / num(b);
    default:
      return num(a) % num(b);
  }
}

export function truthy(v: Value): boolean {
  return typeof v === "string" ? v.length > 0 : typeof v === "number" ? v !== 0 && !Number.isNaN(v) : v;
}
