/**
 * The timeline of one step, per pipeline stage: compute, exposed communication and idle spans. Each op of
 * the schedule is drawn as its compute part followed by its exposed in-pass communication; gaps are idle
 * (pipeline bubble or waiting for a transfer; a first forward waiting for its ZeRO weight all-gather
 * shows as communication); the step ends with the exposed gradient reduction and the optimizer.
 *
 * Long schedules are summarized so the timeline stays small: consecutive ops are grouped into blocks of
 * about step / bins, and each block is drawn as its compute, then its communication, then its idle time
 * (totals exact, order inside a block approximate).
 */
import type { TimelineSpan } from "../../results/types.js";
import type { PipelineResult } from "./schedule.js";
import type { StageCost } from "./stage-cost.js";

/** Above this many ops per step, ops are grouped into blocks. */
const DETAILED_OPS = 2048;
/** About this many spans in a summarized timeline, all stages together. */
const SUMMARY_SPANS = 20000;

export interface StepEnd {
  /** Start of the exposed gradient reduction (end of the pipeline schedule). */
  scheduleEndS: number;
  dpEndS: number;
  stepEndS: number;
}

function push(spans: TimelineSpan[], span: TimelineSpan): void {
  if (span.endS - span.startS > 0) spans.push(span);
}

function detailedStage(spans: TimelineSpan[], pipe: PipelineResult, cost: StageCost, s: number): number {
  let t = 0;
  for (let i = pipe.stageStart[s]; i < pipe.stageStart[s + 1]; i++) {
    const bwd = pipe.opKind[i] === 1;
    const c = pipe.opChunk[i];
    const pass = bwd ? cost.chunks[c].bwd : cost.chunks[c].fwd;
    const start = pipe.opStart[i];
    push(spans, { stage: s, kind: "idle", label: "idle", startS: t, endS: start });
    const name = `${bwd ? "bwd" : "fwd"} mb${pipe.opMicro[i]}${cost.chunks.length > 1 ? ` c${c}` : ""}`;
    const mid = Math.min(start + pass.computeS, pipe.opEnd[i]);
    push(spans, { stage: s, kind: "compute", label: name, startS: start, endS: mid });
    push(spans, { stage: s, kind: "comm", label: `${name} comm`, startS: mid, endS: pipe.opEnd[i] });
    t = pipe.opEnd[i];
  }
  return t;
}

function summarizedStage(
  spans: TimelineSpan[],
  pipe: PipelineResult,
  cost: StageCost,
  s: number,
  block: number,
): number {
  let t = 0;
  let blockStart = 0;
  let compute = 0;
  let comm = 0;
  let idle = 0;
  const flush = () => {
    const a = blockStart + compute;
    const b = a + comm;
    const e = b + idle;
    push(spans, { stage: s, kind: "compute", label: "fwd/bwd", startS: blockStart, endS: a });
    push(spans, { stage: s, kind: "comm", label: "in-pass comm", startS: a, endS: b });
    push(spans, { stage: s, kind: "idle", label: "idle", startS: b, endS: e });
    blockStart = e;
    compute = 0;
    comm = 0;
    idle = 0;
  };
  for (let i = pipe.stageStart[s]; i < pipe.stageStart[s + 1]; i++) {
    const c = pipe.opChunk[i];
    const pass = pipe.opKind[i] === 1 ? cost.chunks[c].bwd : cost.chunks[c].fwd;
    idle += pipe.opStart[i] - t;
    const dur = pipe.opEnd[i] - pipe.opStart[i];
    const work = Math.min(pass.computeS, dur);
    compute += work;
    comm += dur - work;
    t = pipe.opEnd[i];
    if (t - blockStart >= block) flush();
  }
  flush();
  return t;
}

export function stepTimeline(pipe: PipelineResult, costs: StageCost[], end: StepEnd): TimelineSpan[] {
  const spans: TimelineSpan[] = [];
  const pp = costs.length;
  const detailed = pipe.stageStart[pp] <= DETAILED_OPS;
  const bins = Math.max(16, Math.floor(SUMMARY_SPANS / (3 * pp)));
  for (let s = 0; s < pp; s++) {
    const t = detailed
      ? detailedStage(spans, pipe, costs[s], s)
      : summarizedStage(spans, pipe, costs[s], s, end.scheduleEndS / bins);
    push(spans, { stage: s, kind: "idle", label: "idle", startS: t, endS: end.scheduleEndS });
    push(spans, {
      stage: s,
      kind: "comm",
      label: "dp gradient reduction",
      startS: end.scheduleEndS,
      endS: end.dpEndS,
    });
    push(spans, { stage: s, kind: "compute", label: "optimizer", startS: end.dpEndS, endS: end.stepEndS });
  }
  return spans;
}
