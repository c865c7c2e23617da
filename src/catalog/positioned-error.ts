/**
 * A WeftError whose message already starts with `file:line:col: `, so that the message alone (what tests
 * and library callers read) and `toString()` (what the CLI prints) both show the position exactly once.
 */
import { formatPosition, type SourcePosition, WeftError } from "../errors.js";

export class PositionedError extends WeftError {
  override toString(): string {
    return this.message;
  }
}

/** `file:line:col: text` as a WeftError at that position. */
export function positionedError(position: SourcePosition, text: string): WeftError {
  return new PositionedError(`${formatPosition(position)}${text}`, position);
}
