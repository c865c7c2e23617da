/** A progress bar on stderr for long runs, shown only to people (a TTY) and never with --json. */
import cliProgress from "cli-progress";

export type ProgressFn = (done: number, total: number, label?: string) => void;

export function makeProgress(enabled: boolean): { update: ProgressFn; stop: () => void } {
  if (!enabled || !process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  let bar: cliProgress.SingleBar | undefined;
  const started = Date.now();
  return {
    update(done, total, label = "") {
      // Only bother people with a bar once a run has taken over a second.
      if (!bar && Date.now() - started < 1000) return;
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: " {bar} {value}/{total} {label} | {duration_formatted}",
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done, { label });
      }
      bar.setTotal(total);
      bar.update(done, { label });
    },
    stop() {
      bar?.stop();
    },
  };
}
