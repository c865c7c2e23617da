/**
 * The pipeline schedule of one step as a small event simulation over stages × chunks × micro-batches.
 * Each stage runs Megatron-LM's op order (1F1B, or interleaved 1F1B with vpp model chunks per stage); an op
 * starts when its stage is free and its input has arrived: the previous virtual stage's forward (plus the
 * point-to-point transfer) for a forward, the next virtual stage's backward for a backward. Transfers are
 * asynchronous (the sender does not wait). Every op of one (stage, chunk) takes the same time, so the
 * whole step costs O(pp · vpp · m) and nothing is simulated per layer or per rank.
 */
import { warmupCount } from "../../model/partition.js";

export { warmupCount };

export interface PipelineInput {
  pp: number;
  vpp: number;
  /** Micro-batches per step. */
  m: number;
  /** Duration of a forward / backward of chunk c on stage s, at index s·vpp + c. */
  fwdS: Float64Array;
  bwdS: Float64Array;
  /** Transfer time between stage s and stage s + 1 (mod pp), either direction, at index s. */
  p2pS: Float64Array;
  /**
   * Optional, at index s·vpp + c: the earliest end of chunk c's first forward on stage s (micro-batch 0),
   * for weights that arrive during the pass (ZeRO weight all-gather).
   */
  firstFwdMinEnd?: Float64Array;
}

export interface PipelineResult {
  /** End of the last op of any stage. */
  makespan: number;
  /** Ops per stage under (interleaved) 1F1B, 2·m·vpp (0 for schedules whose stages differ). */
  opsPerStage: number;
  /** Stage s's ops, in execution order, are at stageStart[s] .. stageStart[s + 1] − 1. */
  stageStart: Int32Array;
  /** 0 = forward, 1 = backward. */
  opKind: Uint8Array;
  opChunk: Int32Array;
  opMicro: Int32Array;
  opStart: Float64Array;
  opEnd: Float64Array;
  /** Busy time per stage (sum of its op durations). */
  busy: Float64Array;
  /** Time the stage's last op ends. */
  stageEnd: Float64Array;
  /** Per stage: communication hidden under paired compute (DualPipe's forward–backward pairs); else absent. */
  overlappedS?: Float64Array;
}

/** Writes stage s's op order (kind, chunk, micro-batch) into the arrays at offset `base`. */
function fillOrder(input: PipelineInput, s: number, r: PipelineResult, base: number): void {
  const { pp, vpp, m } = input;
  const total = m * vpp;
  const warm = warmupCount(pp, vpp, m, s);
  const group = pp * vpp;
  let i = base;
  const put = (bwd: boolean, k: number) => {
    const inGroup = k % group;
    const c = Math.floor(inGroup / pp);
    r.opKind[i] = bwd ? 1 : 0;
    r.opChunk[i] = bwd ? vpp - 1 - c : c;
    r.opMicro[i] = Math.floor(k / group) * pp + (k % pp);
    i++;
  };
  for (let k = 0; k < warm; k++) put(false, k);
  const remaining = total - warm;
  for (let k = 0; k < remaining; k++) {
    put(false, warm + k);
    put(true, k);
  }
  for (let k = remaining; k < total; k++) put(true, k);
}

export function simulatePipeline(input: PipelineInput): PipelineResult {
  const { pp, vpp, m } = input;
  const opsPerStage = 2 * m * vpp;
  const n = opsPerStage * pp;
  const r: PipelineResult = {
    makespan: 0,
    opsPerStage,
    stageStart: Int32Array.from({ length: pp + 1 }, (_, s) => s * opsPerStage),
    opKind: new Uint8Array(n),
    opChunk: new Int32Array(n),
    opMicro: new Int32Array(n),
    opStart: new Float64Array(n),
    opEnd: new Float64Array(n),
    busy: new Float64Array(pp),
    stageEnd: new Float64Array(pp),
  };
  for (let s = 0; s < pp; s++) fillOrder(input, s, r, s * opsPerStage);

  const virtual = pp * vpp;
  const fwdEnd = new Float64Array(virtual * m).fill(Number.NaN);
  const bwdEnd = new Float64Array(virtual * m).fill(Number.NaN);
  const next = new Int32Array(pp); // next op index per stage
  const free = new Float64Array(pp);
  let done = 0;
  while (done < n) {
    let progressed = false;
    for (let s = 0; s < pp; s++) {
      while (next[s] < opsPerStage) {
        const i = s * opsPerStage + next[s];
        const c = r.opChunk[i];
        const j = r.opMicro[i];
        const g = c * pp + s; // virtual stage
        let ready: number;
        if (r.opKind[i] === 0) {
          if (g === 0) ready = 0;
          else {
            const prev = fwdEnd[(g - 1) * m + j];
            if (Number.isNaN(prev)) break;
            ready = prev + input.p2pS[(g - 1) % pp];
          }
        } else if (g === virtual - 1) {
          ready = fwdEnd[g * m + j];
          if (Number.isNaN(ready)) break;
        } else {
          const after = bwdEnd[(g + 1) * m + j];
          if (Number.isNaN(after)) break;
          ready = after + input.p2pS[s];
        }
        const dur = r.opKind[i] === 0 ? input.fwdS[s * vpp + c] : input.bwdS[s * vpp + c];
        const start = Math.max(free[s], ready);
        let end = start + dur;
        if (input.firstFwdMinEnd && j === 0 && r.opKind[i] === 0)
          end = Math.max(end, input.firstFwdMinEnd[s * vpp + c]);
        r.opStart[i] = start;
        r.opEnd[i] = end;
        free[s] = end;
        r.busy[s] += dur; // a gated first forward waits, it is not busy
        if (r.opKind[i] === 0) fwdEnd[g * m + j] = end;
        else bwdEnd[g * m + j] = end;
        next[s]++;
        done++;
        progressed = true;
      }
    }
    if (!progressed) throw new Error("pipeline schedule deadlocked (an op order with no runnable op)");
  }
  for (let s = 0; s < pp; s++) {
    r.stageEnd[s] = free[s];
    r.makespan = Math.max(r.makespan, free[s]);
  }
  return r;
}

/** The classic bubble fraction of plain 1F1B with equal stages and free transfers: (p−1)/(m+p−1). */
export function bubbleFraction1F1B(pp: number, m: number): number {
  return (pp - 1) / (m + pp - 1);
}
