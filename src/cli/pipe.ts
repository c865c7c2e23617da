/**
 * `weft … --json | head` closes stdout early; that is the reader's choice, not an error. A closed pipe
 * ends the process quietly with success instead of printing an EPIPE stack.
 */
export function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(0);
      throw err;
    });
  }
}
