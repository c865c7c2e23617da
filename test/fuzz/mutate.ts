// Mutations of example scenarios, as fast-check arbitraries: a key deleted or its value replaced by a wrong
// type, zero, a negative, NaN, 1e308, a huge or tiny number, a bad unit, and whole-file damage (alias
// bombs, deep nesting, garbage). Each mutation is plain text, so the loader sees exactly what a user's
// file would hold.
import fc from "fast-check";
import { isMap, isScalar, isSeq, type Node, parseDocument } from "yaml";

export type Path = (string | number)[];

/** Every path in the document that holds a value, leaves and containers both. */
export function valuePaths(text: string): Path[] {
  const doc = parseDocument(text);
  const out: Path[] = [];
  const walk = (node: Node | null | undefined, path: Path): void => {
    if (!node) return;
    if (path.length > 0) out.push(path);
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        walk(pair.value as Node | null, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        walk(item as Node, [...path, i]);
      });
    }
  };
  walk(doc.contents as Node, []);
  return out;
}

/** Values a careless or hostile file puts where a number, a quantity or a name belongs. */
export const BAD_VALUES: unknown[] = [
  0,
  -1,
  -0.5,
  Number.NaN,
  1e308,
  -1e308,
  2 ** 53 + 2,
  2 ** 32 + 128,
  1e12,
  1e-300,
  1e-12,
  0.5,
  1.0000001,
  1_000_000,
  1_000_000_000,
  "",
  "x",
  "1e400B",
  "1,5Tbps",
  "5 parsecs",
  "-4GiB",
  "1e-300/s",
  "1e308s",
  "0.000001B",
  "NaNGbps",
  "0x10",
  true,
  null,
  [],
  [1, 2, 3],
  {},
  { a: 1 },
  "a".repeat(5000),
];

export type Mutation =
  | { kind: "delete"; path: Path }
  | { kind: "replace"; path: Path; value: unknown }
  | { kind: "text"; name: string };

const TEXT_DAMAGE: Record<string, (text: string) => string> = {
  "alias bomb": (t) =>
    `${t}\nlaughs:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n  f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n`,
  "unresolved alias": (t) => t.replace(/^name:.*$/m, "name: *nowhere"),
  "many aliases": (t) => `${t}\nx: &x 1\nxs: [${Array(1200).fill("*x").join(", ")}]\n`,
  "deep flow nesting": (t) => `${t}\ndeep: ${"[".repeat(5000)}${"]".repeat(5000)}\n`,
  "deep block nesting": (t) =>
    `${t}\ndeep:\n${Array.from({ length: 400 }, (_, i) => `${" ".repeat(i + 1)}- `).join("\n")}x\n`,
  "nesting of 400": (t) => `${t}\ndeep: ${"[".repeat(400)}${"]".repeat(400)}\n`,
  garbage: (t) => `${t.slice(0, Math.floor(t.length / 2))}\u0000\u001b[31m}{][:::\n\t- -`,
  truncated: (t) => t.slice(0, Math.floor(t.length * 0.6)),
  "tabs for indentation": (t) => t.replace(/\n {2}/g, "\n\t"),
  "duplicate key": (t) => t.replace(/^name:(.*)$/m, "name:$1\nname:$1"),
  empty: () => "",
  "a list": () => "- 1\n- 2\n",
  "a scalar": () => "42\n",
};

export const TEXT_DAMAGE_NAMES = Object.keys(TEXT_DAMAGE);

/** A mutation of a document with these paths. */
export function mutationOf(paths: Path[]): fc.Arbitrary<Mutation> {
  const path = fc.constantFrom(...paths);
  return fc.oneof(
    { weight: 2, arbitrary: path.map((p): Mutation => ({ kind: "delete", path: p })) },
    {
      weight: 8,
      arbitrary: fc
        .tuple(path, fc.constantFrom(...BAD_VALUES))
        .map(([p, value]): Mutation => ({ kind: "replace", path: p, value })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...TEXT_DAMAGE_NAMES).map((name): Mutation => ({ kind: "text", name })),
    },
  );
}

/** The mutated file's text. */
export function applyMutation(text: string, m: Mutation): string {
  if (m.kind === "text") return TEXT_DAMAGE[m.name](text);
  const doc = parseDocument(text);
  if (m.kind === "delete") doc.deleteIn(m.path);
  else doc.setIn(m.path, m.value);
  return doc.toString({ lineWidth: 0 });
}

export function describeMutation(m: Mutation): string {
  if (m.kind === "text") return m.name;
  const where = m.path.join(".");
  return m.kind === "delete" ? `delete ${where}` : `${where} = ${JSON.stringify(m.value)?.slice(0, 40)}`;
}
