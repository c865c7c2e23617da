/**
 * Finished points go to the store in small batches: DuckDB commits one statement at a time, and a commit
 * per point would cost more than the point. A batch is written when it holds `maxRows` points or when its
 * oldest point has waited `maxDelayMs`, so a sweep that is killed loses at most that last fraction of a
 * second of work (those points simply run again on resume).
 */
import type { PointRow, Store } from "../store/store.js";

export interface PointWriter {
  add(row: PointRow): Promise<void>;
  /** Writes whatever is buffered; call before reading the store back. */
  flush(): Promise<void>;
}

export function pointWriter(
  store: Store,
  onWritten: (rows: PointRow[]) => void = () => {},
  maxRows = 64,
  maxDelayMs = 200,
): PointWriter {
  let buffer: PointRow[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let failure: unknown;
  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const rows = buffer;
    buffer = [];
    if (rows.length > 0)
      writing = writing.then(() =>
        store.putPoints(rows).then(
          () => onWritten(rows),
          (e) => {
            failure ??= e;
          },
        ),
      );
    return writing.then(() => {
      if (failure) throw failure;
    });
  };
  return {
    async add(row) {
      if (failure) throw failure;
      buffer.push(row);
      if (buffer.length >= maxRows) await flush();
      else timer ??= setTimeout(() => void flush().catch(() => {}), maxDelayMs);
    },
    flush,
  };
}
