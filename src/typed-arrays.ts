/** Typed arrays the simulators grow as they fill (flow routes, transfers, collective steps, graph drafts). */
export type GrowableArray = Uint8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A new array of `a`'s type with `length` elements, `a` copied to its start and zeros after. */
export function grownTo<T extends GrowableArray>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}
