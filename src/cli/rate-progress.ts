/**
 * Progress of runs made of many points (sweeps, tuning): a bar with points/s and ETA on a terminal, or,
 * with --log (CI logs, pipes), one line per finished point. Nothing with --json unless --log asks.
 */
import cliProgress from "cli-progress";

export interface RateProgress {
  /** `label` names the point that just finished. */
  update(done: number, total: number, label?: string): void;
  stop(): void;
}

export function makeRateProgress(options: { enabled: boolean; log?: boolean; unit?: string }): RateProgress {
  const unit = options.unit ?? "points";
  const started = Date.now();
  if (options.log) {
    return {
      update(done, total, label) {
        if (done === 0) return;
        const rate = done / Math.max((Date.now() - started) / 1000, 1e-9);
        process.stderr.write(`${done}/${total} ${unit} (${rate.toFixed(1)}/s)${label ? `: ${label}` : ""}\n`);
      },
      stop() {},
    };
  }
  if (!options.enabled || !process.stderr.isTTY) return { update() {}, stop() {} };
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(done, total, label = "") {
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: ` {bar} {value}/{total} ${unit} | {speed} ${unit}/s | ETA {eta_formatted} | {label}`,
            hideCursor: true,
            etaBuffer: 50,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done, { label, speed: "0.0" });
      }
      const speed = (done / Math.max((Date.now() - started) / 1000, 1e-9)).toFixed(1);
      bar.setTotal(total);
      bar.update(done, { label: label.slice(0, 40), speed });
    },
    stop() {
      bar?.stop();
    },
  };
}
