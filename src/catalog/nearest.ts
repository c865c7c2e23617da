/** "Did you mean" suggestions: the known names closest to a misspelt one, by edit distance. */

/** Levenshtein distance (insert, delete, substitute = 1 each). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, sub));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Case-insensitive distance. People often type the start of an id (`H100` for `H100-SXM`), so a name that
 * contains the word counts as close, and so does one whose prefix is close to the word.
 */
function closeness(word: string, candidate: string): number {
  const w = word.toLowerCase();
  const c = candidate.toLowerCase();
  if (w === c) return 0;
  const d = editDistance(w, c);
  if (c.includes(w) || w.includes(c)) return Math.min(d, 1);
  if (c.length > w.length) return Math.min(d, editDistance(w, c.slice(0, w.length)) + 0.5);
  return d;
}

/** The candidates sorted by closeness to `word`, at most `limit` of them. */
export function nearestNames(word: string, candidates: Iterable<string>, limit = 3): string[] {
  return [...candidates]
    .map((c) => ({ c, d: closeness(word, c) }))
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, limit)
    .map((x) => x.c);
}

/** The one candidate close enough to be a likely typo of `word` (distance ≤ max(2, a third of its length)). */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const [best] = nearestNames(word, candidates, 1);
  if (best === undefined) return undefined;
  return closeness(word, best) <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** `unknown key "bandwith" in cluster.groups[0].nics; did you mean "bandwidth"? expected one of: count, bandwidth` */
export function unknownKeyMessage(key: string, where: string, allowed: readonly string[]): string {
  const hint = didYouMean(key, allowed);
  const suggestion = hint ? `; did you mean "${hint}"?` : ";";
  return `unknown key "${key}" in ${where}${suggestion} expected one of: ${allowed.join(", ")}`;
}
