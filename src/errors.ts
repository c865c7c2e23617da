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
  readonly exitCode: number;

  constructor(message: string, position: SourcePosition = {}, exitCode = 2) {
    super(message);
    this.name = "WeftError";
    this.position = position;
    this.exitCode = exitCode;
  }

  /** `file:line:col: message`, with whatever parts of the position are known. */
  override toString(): string {
    return `${formatPosition(this.position)}${this.message}`;
  }
}

export function formatPosition(p: SourcePosition): string {
  const parts = [p.file, p.line, p.col].filter((x) => x !== undefined && x !== "");
  return parts.length ? `${parts.join(":")}: ` : "";
}
