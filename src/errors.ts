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

  /** `message` becomes `file:line:col: detail`, so callers and the CLI see the position exactly once. */
  constructor(detail: string, position: SourcePosition = {}, exitCode = 2) {
    super(`${formatPosition(position)}${detail}`);
    this.name = "WeftError";
    this.position = position;
    this.detail = detail;
    this.exitCode = exitCode;
  }

  override toString(): string {
    return this.message;
  }
}

/** `file:line:col: text` as a WeftError at that position. */
export function positionedError(position: SourcePosition, text: string): WeftError {
  return new WeftError(text, position);
}

export function formatPosition(p: SourcePosition): string {
  const parts = [p.file, p.line, p.col].filter((x) => x !== undefined && x !== "");
  return parts.length ? `${parts.join(":")}: ` : "";
}
