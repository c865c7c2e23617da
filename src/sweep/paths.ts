/**
 * Dotted paths into a scenario document, as sweep axes write them: `cluster.groups[0].nics.bandwidth`,
 * `workload.training.parallelism.tp` (a `.0` works like `[0]`).
 */
export type Segment = string | number;

export function parsePath(path: string): Segment[] | undefined {
  if (!/^[A-Za-z_][\w]*((\[\d+\])|(\.[A-Za-z_]\w*)|(\.\d+))*$/.test(path)) return undefined;
  const out: Segment[] = [];
  for (const m of path.matchAll(/([A-Za-z_]\w*)|\[(\d+)\]|\.(\d+)/g)) {
    out.push(m[1] !== undefined ? m[1] : Number(m[2] ?? m[3]));
  }
  return out;
}

export function getPath(doc: unknown, path: readonly Segment[]): unknown {
  let v: unknown = doc;
  for (const s of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[s];
  }
  return v;
}

/**
 * Sets a value, creating the mappings on the way (a missing list index is an error: a sweep cannot invent
 * a node group). Returns a reason when it cannot.
 */
export function setPath(
  doc: Record<string, unknown>,
  path: readonly Segment[],
  value: unknown,
): string | undefined {
  let v: Record<string | number, unknown> = doc;
  for (let i = 0; i < path.length - 1; i++) {
    const s = path[i];
    let next = v[s];
    if (next === undefined || next === null) {
      if (typeof path[i + 1] === "number")
        return `${pathText(path.slice(0, i + 1))} is not a list in the base scenario`;
      next = {};
      v[s] = next;
    }
    if (typeof next !== "object")
      return `${pathText(path.slice(0, i + 1))} is ${JSON.stringify(next)}, not a mapping`;
    if (typeof path[i + 1] === "number" && !Array.isArray(next))
      return `${pathText(path.slice(0, i + 1))} is not a list in the base scenario`;
    if (Array.isArray(next) && typeof path[i + 1] === "number" && (path[i + 1] as number) >= next.length)
      return `${pathText(path.slice(0, i + 2))} does not exist: the list has ${next.length} entries`;
    v = next as Record<string | number, unknown>;
  }
  v[path[path.length - 1]] = value;
  return undefined;
}

export function pathText(path: readonly Segment[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out;
}
