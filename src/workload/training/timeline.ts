/**
 * The timeline of one step, per pipeline stage: compute, exposed communication and idle spans. Each op of
 * the schedule is drawn as its compute part followed by its exposed in-pass communication; gaps are idle
 * (pipeline bubble or waiting for a transfer); the step ends with the exposed gradient reduction and the
 * optimizer. Long schedules merge neighbouring spans of the same kind so the timeline stays small.
 */
import type { TimelineSpan } from "../../report/results.js";
import type { PipelineResult } from "./schedule.js";
import type { StageCost } from "./stage-cost.js";

/** Above this many ops per step, neighbouring spans of one kind are merged. */
const DETAILED_OPS = 2048;

export interface StepEnd {
  /** Start of the exposed gradient reduction (end of the pipeline schedule). */
  scheduleEndS: number;
  dpEndS: number;
  stepEndS: number;
}

function push(spans: TimelineSpan[], span: TimelineSpan, merge: boolean): void {
  if (span.endS - span.startS <= 0) return;
  const last = spans[spans.length - 1];
  if (merge && last && last.stage === span.stage && last.kind === span.kind && Math.abs(last.endS - span.startS) < 1e-12) {
    last.endS = span.endS;
    if (last.label !== span.label) last.label = span.kind === "compute" ? "fwd/bwd" : span.kind === "comm" ? "comm" : "idle";
    return;
  }
  spans.push(span);
}

export function stepTimeline(pipe: PipelineResult, costs: StageCost[], end: StepEnd): TimelineSpan[] {
  const spans: TimelineSpan[] = [];
  const pp = costs.length;
  const merge = pipe.opsPerStage * pp > DETAILED_OPS;
  for (let s = 0; s < pp; s++) {
    let t = 0;
    for (let i = s * pipe.opsPerStage; i < (s + 1) * pipe.opsPerStage; i++) {
      const bwd = pipe.opKind[i] === 1;
      const c = pipe.opChunk[i];
      const pass = bwd ? costs[s].chunks[c].bwd : costs[s].chunks[c].fwd;
      const start = pipe.opStart[i];
      if (start > t) push(spans, { stage: s, kind: "idle", label: "idle", startS: t, endS: start }, merge);
      const name = `${bwd ? "bwd" : "fwd"} mb${pipe.opMicro[i]}${costs[s].chunks.length > 1 ? ` c${c}` : ""}`;
      const mid = start + pass.computeS;
      push(spans, { stage: s, kind: "compute", label: name, startS: start, endS: mid }, merge);
      push(spans, { stage: s, kind: "comm", label: `${name} comm`, startS: mid, endS: pipe.opEnd[i] }, merge);
      t = pipe.opEnd[i];
    }
    if (end.scheduleEndS > t) push(spans, { stage: s, kind: "idle", label: "idle", startS: t, endS: end.scheduleEndS }, merge);
    push(spans, { stage: s, kind: "comm", label: "dp gradient reduction", startS: end.scheduleEndS, endS: end.dpEndS }, merge);
    push(spans, { stage: s, kind: "compute", label: "optimizer", startS: end.dpEndS, endS: end.stepEndS }, false);
  }
  return spans;
}
