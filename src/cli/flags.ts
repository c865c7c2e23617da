/** Checks of flag values shared by the commands: a bad value is a usage error that names the flag. */
import { WeftError } from "../errors.js";

/** `text` as a whole number of at least `min`; otherwise a usage error naming `flag`. */
export function wholeNumber(text: string, flag: string, min = 1): number {
  const n = Number(text);
  // Digits only: Number() also takes "", "0x10" and "1e3", which nobody means as a count.
  if (!/^\s*\d+\s*$/.test(text) || n < min)
    throw new WeftError(`${flag}: expected a whole number${min > 0 ? ` ≥ ${min}` : ""}, got "${text}"`);
  return n;
}

/** A comma-separated list of whole numbers, each at least `min` (and at most `max`). */
export function wholeNumbers(
  text: string,
  flag: string,
  expected: string,
  min = 1,
  max = Infinity,
): number[] {
  const items = text.split(",").map((x) => x.trim());
  const bad = items.find((x) => !/^\d+$/.test(x) || Number(x) < min || Number(x) > max);
  if (bad !== undefined) throw new WeftError(`${flag}: expected ${expected}, got "${text}"`);
  return items.map(Number);
}
