/**
 * The terminal report of a training step: headline numbers, where the time goes, what the network costs,
 * the causes of exposed communication, memory per rank, and a per-stage Gantt chart of one step.
 */

import { parametersLine } from "../model/param-summary.js";
import type { TimelineSpan, TrainingResults } from "../results/types.js";
import { formatCount, formatPercent, formatTime, formatUsd } from "../units/index.js";
import { formatTable } from "./table.js";

/** Decimal gigabytes, as HBM capacities are quoted. */
function gb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB`;
}

const GLYPH: Record<TimelineSpan["kind"], string> = { compute: "█", comm: "▒", idle: "·" };
/** Columns of the Gantt chart and the most stage rows it prints. */
const CHART_WIDTH = 72;
const CHART_ROWS = 32;

/** One row of the chart: per column, the kind that fills most of that slice of time. */
function chartRow(spans: TimelineSpan[], stepS: number, width: number): string {
  const fill = new Float64Array(width * 3);
  const kinds: TimelineSpan["kind"][] = ["compute", "comm", "idle"];
  const dt = stepS / width;
  for (const s of spans) {
    const k = kinds.indexOf(s.kind);
    const a = Math.max(0, Math.floor(s.startS / dt));
    const b = Math.min(width - 1, Math.floor((s.endS - 1e-15) / dt));
    for (let c = a; c <= b; c++) {
      const lo = Math.max(s.startS, c * dt);
      const hi = Math.min(s.endS, (c + 1) * dt);
      if (hi > lo) fill[c * 3 + k] += hi - lo;
    }
  }
  let row = "";
  for (let c = 0; c < width; c++) {
    let best = 2;
    for (let k = 0; k < 3; k++) if (fill[c * 3 + k] > fill[c * 3 + best]) best = k;
    row += fill[c * 3] + fill[c * 3 + 1] + fill[c * 3 + 2] > 0 ? GLYPH[kinds[best]] : " ";
  }
  return row;
}

/** Per-stage Gantt chart of the timeline (every stage up to 32 stages, evenly sampled beyond). */
export function formatTimelineChart(r: TrainingResults, width = CHART_WIDTH): string {
  const byStage = new Map<number, TimelineSpan[]>();
  for (const s of r.timeline) {
    let list = byStage.get(s.stage);
    if (!list) {
      list = [];
      byStage.set(s.stage, list);
    }
    list.push(s);
  }
  const stages = [...byStage.keys()].sort((a, b) => a - b);
  const step = Math.max(1, Math.ceil(stages.length / CHART_ROWS));
  const shown = stages.filter((_, i) => i % step === 0 || i === stages.length - 1);
  const label = (s: number) => `stage ${String(s).padStart(String(stages.length - 1).length)}`;
  const lines = shown.map((s) => `${label(s)} |${chartRow(byStage.get(s) ?? [], r.stepTimeS, width)}|`);
  const pad = " ".repeat(label(0).length + 1);
  lines.push(
    `${pad}0${" ".repeat(Math.max(1, width - formatTime(r.stepTimeS).length))}${formatTime(r.stepTimeS)}`,
  );
  lines.push(
    `${pad}${GLYPH.compute} compute  ${GLYPH.comm} exposed communication  ${GLYPH.idle} idle (bubble, waiting)`,
  );
  if (shown.length < stages.length) lines.push(`${pad}(${shown.length} of ${stages.length} stages shown)`);
  return lines.join("\n");
}

export function formatTrainingReport(r: TrainingResults): string {
  const t = r.stepTimeS;
  const b = r.breakdown;
  const share = (x: number) => `${formatTime(x)} (${formatPercent(x / t)})`;
  const out: string[] = [];
  out.push(`Training: ${r.scenario} (${r.fidelity}, ${formatCount(r.fabric.accelerators)} accelerators)`);
  out.push("");
  out.push(
    formatTable(
      [
        { header: "metric", align: "left" },
        { header: "value", align: "left" },
      ],
      [
        ...(r.parameters ? [["model parameters", parametersLine(r.parameters)]] : []),
        ["step time", formatTime(t)],
        ["TFLOP/s per accelerator", r.tflopsPerAccelerator.toFixed(1)],
        ["MFU", formatPercent(r.mfu)],
        ["compute", share(b.computeS)],
        ["exposed communication", share(b.exposedCommS)],
        ["pipeline bubble", share(b.bubbleS)],
        ["other (optimizer)", share(b.otherS)],
        ["accelerator time idle on the network", formatPercent(r.networkIdleFraction)],
        [
          "cost of that idle time",
          `${formatUsd(r.networkIdleCostUsdPerHour)}/h, ${formatUsd(r.networkIdleCostUsdPerHour * 8760)}/year`,
        ],
        ...(r.whatIf
          ? [
              [
                "step on a non-blocking fabric",
                `${formatTime(r.whatIf.nonBlockingStepTimeS)} (${r.whatIf.speedup.toFixed(2)}× faster)`,
              ],
            ]
          : []),
      ],
    ),
  );
  out.push("");
  const k = r.exposedCommByKind;
  out.push(
    `Exposed communication by kind: tp ${formatTime(k.tp)}, pp ${formatTime(k.pp)}, dp ${formatTime(k.dp)}, ep ${formatTime(k.ep)}, cp ${formatTime(k.cp)}`,
  );
  if (r.causes.length > 0) {
    out.push("");
    out.push(
      formatTable(
        ["kind", "collective", "fabric tier", "exposed per step", "share of step"],
        r.causes
          .slice(0, 8)
          .map((c) => [c.kind, c.collective, c.tier, formatTime(c.exposedS), formatPercent(c.exposedS / t)]),
      ),
    );
  }
  out.push("");
  const m = r.memoryPerRankBytes;
  out.push(
    `Memory per accelerator: ${gb(m.total)} (weights ${gb(m.weights)}, gradients ${gb(m.gradients)}, ` +
      `optimizer ${gb(m.optimizer)}, activations ${gb(m.activations)})`,
  );
  out.push("");
  out.push("One step, per pipeline stage:");
  out.push(formatTimelineChart(r));
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return out.join("\n");
}
