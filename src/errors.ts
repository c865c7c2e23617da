/**
 * Errors meant for people. A WeftError carries where in the input it happened (file:line:col) and what was
 * expected; the CLI prints `message` alone and exits non-zero, and shows the stack only with --debug.
 */
export interface SourcePosition {
  file?: string;
  line?: number; // 1-based
  col?: number; // 1-based
}

export class WeftError extends Error {
  readonly position: SourcePosition;
  /** The message without the position. */
  readonly detail: string;
  readonly exitCode: number;
  /**
   * The scenario key (dotted, `workload.inference.decode`) that caused a check made after loading, where
   * the position is not known yet; `run` turns it into `file:line:col`.
   */
  readonly key?: string;

  /** `message` becomes `file:line:col: detail`, so callers and the CLI see the position exactly once. */
  constructor(detail: string, position: SourcePosition = {}, exitCode = 2, key?: string) {
    super(`${formatPosition(position)}${detail}`);
    this.name = "WeftError";
    this.position = position;
    this.detail = detail;
    this.exitCode = exitCode;
    if (key !== undefined) this.key = key;
  }

  override toString(): string {
    return this.message;
  }
}

/** `file:line:col: text` as a WeftError at that position. */
export function positionedError(position: SourcePosition, text: string): WeftError {
  return new WeftError(text, position);
}

/** An error about the scenario key `key`, raised where only the key is known (during a run). */
export function keyError(key: string, text: string): WeftError {
  return new WeftError(text, {}, 2, key);
}

export function formatPosition(p: SourcePosition): string {
  const parts = [p.file, p.line, p.col].filter((x) => x !== undefined && x !== "");
  return parts.length ? `${parts.join(":")}: ` : "";
}
