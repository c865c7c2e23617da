/**
 * DualPipe (DeepSeek-V3 technical report §3.2.1; deepseek-ai/DualPipe): a bidirectional pipeline. The
 * model's pp stages run in two directions at once — direction 0 from rank 0 to rank pp−1, direction 1 from
 * rank pp−1 to rank 0 — each carrying half of the m micro-batches, so rank r holds stage r of direction 0
 * and stage pp−1−r of direction 1 (twice the parameters of 1F1B). Each rank runs DualPipe's eight-step
 * order (below); in the main steps a forward of one direction and a backward of the other run as one
 * overlapped pair ("F&B"), one's communication under the other's computation, and the backwards at the
 * edges split their weight gradients off (zero-bubble: the input gradient goes first, the weight gradient W
 * fills a later gap). Published bubble: (pp/2 − 1)(F&B + B − 3W), against (pp − 1)(F + B) for 1F1B.
 *
 * Timing here is an event simulation over the op orders, with the same rules as schedule.ts: an op starts
 * when its rank is free and its inputs have arrived (the previous position's forward, the next position's
 * input gradient, plus the transfer). Per model stage s it takes F_s, B_s (forward and full backward, as
 * the stage's costs give them), W_s (the weight-gradient part of B_s) and
 *   F&B(s_f, s_b) = max(compute of F_{s_f} + B_{s_b}, communication of F_{s_f} + B_{s_b}).
 */
import type { PipelineResult } from "./schedule.js";

export interface DualPipeInput {
  /** Pipeline ranks (even). */
  pp: number;
  /** Micro-batches per step, both directions together (even, ≥ 2·pp). */
  m: number;
  /** Per model stage s: forward and full-backward seconds, and the compute part of each. */
  fwdS: Float64Array;
  bwdS: Float64Array;
  fwdComputeS: Float64Array;
  bwdComputeS: Float64Array;
  /** Per model stage s: the weight-gradient seconds (≤ bwdComputeS). */
  weightS: Float64Array;
  /** Transfer between ranks r and r + 1, either direction, at index r. */
  p2pS: Float64Array;
}

const F = 0;
const B = 1;
const FB = 2;
const W = 3;

/** One op of a rank's order: kind, the phase of its forward (F, FB) or backward (B), zero-bubble split. */
interface Op {
  kind: number;
  phase: number;
  /** FB: the phase of the backward. */
  phase1: number;
  zb: boolean;
}

/** Rank r's op order, DualPipe's eight steps (phases as DualPipe numbers them on that rank). */
function dualPipeOrder(pp: number, m: number, r: number): Op[] {
  const half = pp / 2;
  const h = Math.min(r, pp - 1 - r);
  const chunks = m / 2;
  const middle = h === half - 1;
  const ops: Op[] = [];
  const f = (phase: number) => ops.push({ kind: F, phase, phase1: -1, zb: false });
  const b = (phase: number, zb = false) => ops.push({ kind: B, phase, phase1: -1, zb });
  const fb = (phase: number, phase1: number) => ops.push({ kind: FB, phase, phase1, zb: false });
  const w = () => ops.push({ kind: W, phase: -1, phase1: -1, zb: false });
  for (let i = 0; i < (half - h - 1) * 2; i++) f(0); // 1: nF0
  for (let i = 0; i < h + 1; i++) {
    f(0); // 2: nF0F1
    f(1);
  }
  for (let i = 0; i < half - h - 1; i++) {
    b(1, true); // 3: nB1W1F1
    w();
    f(1);
  }
  for (let i = 0; i < chunks - pp + h + 1; i++) {
    // 4: nF0B1F1B0 (a middle rank does not overlap its first pair, to shorten the bubble)
    if (i === 0 && middle) {
      f(0);
      b(1);
    } else fb(0, 1);
    fb(1, 0);
  }
  for (let i = 0; i < half - h - 1; i++) {
    b(1); // 5: nB1F1B0
    fb(1, 0);
  }
  let zb = false;
  for (let i = 0; i < h + 1; i++) {
    // 6: nB1B0, the second half with zero bubble
    if (i === Math.floor((h + 1) / 2) && h % 2 === 1) zb = true;
    b(1, zb);
    if (i === Math.floor((h + 1) / 2) && h % 2 === 0) zb = true;
    b(0, zb);
  }
  for (let i = 0; i < half - h - 1; i++) {
    w(); // 7: nWB0
    b(0, true);
  }
  for (let i = 0; i < h + 1; i++) w(); // 8: nW
  return ops;
}

/**
 * Simulates one step. The result has the shape of the 1F1B simulation's, with chunk = direction (0, 1):
 * a forward–backward pair is recorded as its forward then its backward, splitting the pair's time by
 * their compute; a weight-gradient op is recorded as a backward of its direction.
 */
export function simulateDualPipe(input: DualPipeInput): PipelineResult {
  const { pp, m } = input;
  if (pp % 2 !== 0 || m % 2 !== 0 || m < 2 * pp)
    throw new Error(`DualPipe needs an even pp and an even m ≥ 2·pp (pp ${pp}, m ${m})`);
  const M = m / 2;
  const orders = Array.from({ length: pp }, (_, r) => dualPipeOrder(pp, m, r));
  const stageStart = new Int32Array(pp + 1);
  for (let r = 0; r < pp; r++) {
    let n = 0;
    for (const op of orders[r]) n += op.kind === FB ? 2 : 1;
    stageStart[r + 1] = stageStart[r] + n;
  }
  const total = stageStart[pp];
  const res: PipelineResult = {
    makespan: 0,
    opsPerStage: 0,
    stageStart,
    opKind: new Uint8Array(total),
    opChunk: new Int32Array(total),
    opMicro: new Int32Array(total),
    opStart: new Float64Array(total),
    opEnd: new Float64Array(total),
    busy: new Float64Array(pp),
    stageEnd: new Float64Array(pp),
    overlappedS: new Float64Array(pp),
  };
  // per (direction, position, micro-batch): end of its forward, end of its input gradient
  const fwdEnd = new Float64Array(2 * pp * M).fill(Number.NaN);
  const bwdEnd = new Float64Array(2 * pp * M).fill(Number.NaN);
  const at = (d: number, g: number, j: number) => (d * pp + g) * M + j;
  const direction = (r: number, phase: number) => phase ^ (r >= pp / 2 ? 1 : 0);
  const position = (r: number, d: number) => (d === 0 ? r : pp - 1 - r);
  // transfer between positions g and g + 1 of direction d
  const hop = (d: number, g: number) => input.p2pS[d === 0 ? g : pp - 2 - g];

  const next = new Int32Array(pp);
  const slot = new Int32Array(pp); // next result index per rank
  const free = new Float64Array(pp);
  const fCount = new Int32Array(2 * pp); // per rank and direction: forwards issued
  const bCount = new Int32Array(2 * pp);
  // Per rank, FIFO of the backwards whose weight gradient waits: their direction and micro-batch.
  const pendingDir: number[][] = Array.from({ length: pp }, () => []);
  const pendingMicro: number[][] = Array.from({ length: pp }, () => []);
  const overlapped = res.overlappedS as Float64Array;
  for (let r = 0; r < pp; r++) slot[r] = stageStart[r];

  /** When direction d's forward of micro j may start at position g (NaN: not yet known). */
  const fwdReady = (d: number, g: number, j: number) =>
    g === 0 ? 0 : fwdEnd[at(d, g - 1, j)] + hop(d, g - 1);
  const bwdReady = (d: number, g: number, j: number) =>
    g === pp - 1 ? fwdEnd[at(d, g, j)] : bwdEnd[at(d, g + 1, j)] + hop(d, g);

  const record = (r: number, kind: number, d: number, j: number, start: number, end: number) => {
    const i = slot[r]++;
    res.opKind[i] = kind;
    res.opChunk[i] = d;
    res.opMicro[i] = j;
    res.opStart[i] = start;
    res.opEnd[i] = end;
  };

  let done = 0;
  let ops = 0;
  for (const o of orders) ops += o.length;
  while (done < ops) {
    let progressed = false;
    for (let r = 0; r < pp; r++) {
      while (next[r] < orders[r].length) {
        const op = orders[r][next[r]];
        if (op.kind === W) {
          const d = pendingDir[r].shift() as number;
          const j = pendingMicro[r].shift() as number;
          const start = free[r];
          const end = start + input.weightS[position(r, d)];
          record(r, 1, d, j, start, end);
          res.busy[r] += end - start;
          free[r] = end;
        } else if (op.kind === F || op.kind === B) {
          const d = direction(r, op.phase);
          const g = position(r, d);
          const fwd = op.kind === F;
          const j = fwd ? fCount[2 * r + d] : bCount[2 * r + d];
          const ready = fwd ? fwdReady(d, g, j) : bwdReady(d, g, j);
          if (Number.isNaN(ready)) break;
          const start = Math.max(free[r], ready);
          let dur = fwd ? input.fwdS[g] : input.bwdS[g];
          if (!fwd && op.zb) {
            dur -= input.weightS[g];
            pendingDir[r].push(d);
            pendingMicro[r].push(j);
          }
          const end = start + dur;
          if (fwd) {
            fwdEnd[at(d, g, j)] = end;
            fCount[2 * r + d]++;
          } else {
            bwdEnd[at(d, g, j)] = end;
            bCount[2 * r + d]++;
          }
          record(r, fwd ? 0 : 1, d, j, start, end);
          res.busy[r] += dur;
          free[r] = end;
        } else {
          const df = direction(r, op.phase);
          const db = direction(r, op.phase1);
          const gf = position(r, df);
          const gb = position(r, db);
          const jf = fCount[2 * r + df];
          const jb = bCount[2 * r + db];
          const readyF = fwdReady(df, gf, jf);
          const readyB = bwdReady(db, gb, jb);
          if (Number.isNaN(readyF) || Number.isNaN(readyB)) break;
          const start = Math.max(free[r], readyF, readyB);
          const compute = input.fwdComputeS[gf] + input.bwdComputeS[gb];
          const comm = input.fwdS[gf] - input.fwdComputeS[gf] + (input.bwdS[gb] - input.bwdComputeS[gb]);
          const dur = Math.max(compute, comm);
          const end = start + dur;
          const split = compute > 0 ? start + (dur * input.fwdComputeS[gf]) / compute : start;
          fwdEnd[at(df, gf, jf)] = end;
          bwdEnd[at(db, gb, jb)] = end;
          fCount[2 * r + df]++;
          bCount[2 * r + db]++;
          record(r, 0, df, jf, start, split);
          record(r, 1, db, jb, split, end);
          res.busy[r] += dur;
          overlapped[r] += Math.min(compute, comm);
          free[r] = end;
        }
        next[r]++;
        done++;
        progressed = true;
      }
    }
    if (!progressed) throw new Error("DualPipe schedule deadlocked (an op order with no runnable op)");
  }
  for (let r = 0; r < pp; r++) {
    res.stageEnd[r] = free[r];
    res.makespan = Math.max(res.makespan, free[r]);
  }
  return res;
}
