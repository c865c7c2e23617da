/**
 * A bad line quoted in an error message: short, and escaped, so that a file named by mistake (a secrets
 * file, a binary) never prints more than a glimpse of itself, and control characters never reach a
 * terminal.
 */
const MAX_EXCERPT = 24;

/** `"abc…"`: at most 24 characters of `line`, JSON-escaped, with an ellipsis when cut. */
export function excerpt(line: string): string {
  const t = line.trim();
  const cut = t.length > MAX_EXCERPT ? `${t.slice(0, MAX_EXCERPT)}…` : t;
  // JSON.stringify escapes quotes, backslashes and C0 controls; escape the rest of the non-printables too.
  return JSON.stringify(cut).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
