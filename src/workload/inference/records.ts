/**
 * Per-request outcomes of a serving run, one typed-array entry per request (src/report/requests-csv.ts
 * writes them as the CSV users get with `weft run --requests FILE`). Times in seconds; NaN where a request never reached that point.
 *   TTFT = first token delivered − arrival; TPOT = (last token − first token) / (output tokens − 1)
 *   (0 for a single-token output); end-to-end = last token − arrival; queue = prefill start − arrival;
 *   KV transfer = KV landed on decode − max(transfer start, prefill end): the transfer time not overlapped
 *   with prefill (the whole transfer when it starts after prefill; the tail of a layer-wise stream).
 */
import type { RequestTable } from "./requests.js";
import type { Sim } from "./serve-state.js";

export interface RequestRecords {
  count: number;
  arrival: Float64Array;
  prompt: Int32Array;
  output: Int32Array;
  prefillInstance: Int32Array;
  decodeInstance: Int32Array;
  ttftS: Float64Array;
  tpotS: Float64Array;
  e2eS: Float64Array;
  queueS: Float64Array;
  prefillS: Float64Array;
  kvTransferS: Float64Array;
  preemptions: Int32Array;
  /** 1 when the request met both SLOs. */
  meetsSlo: Uint8Array;
}

export function requestRecords(sim: Sim, slo: { ttft: number; tpot: number }): RequestRecords {
  const req: RequestTable = sim.req;
  const n = req.count;
  const ttft = new Float64Array(n);
  const tpot = new Float64Array(n);
  const e2e = new Float64Array(n);
  const queue = new Float64Array(n);
  const kvTransfer = new Float64Array(n);
  const meets = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const a = req.arrival[r];
    ttft[r] = sim.tFirst[r] - a;
    const out = req.output[r];
    tpot[r] =
      out > 1 ? (sim.tDone[r] - sim.tFirst[r]) / (out - 1) : Number.isNaN(sim.tDone[r]) ? Number.NaN : 0;
    e2e[r] = sim.tDone[r] - a;
    queue[r] = sim.tPrefillStart[r] - a;
    kvTransfer[r] = sim.tKvEnd[r] - Math.max(sim.tKvStart[r], sim.tPrefillEnd[r]);
    meets[r] = ttft[r] <= slo.ttft && tpot[r] <= slo.tpot ? 1 : 0;
  }
  return {
    count: n,
    arrival: req.arrival,
    prompt: req.prompt,
    output: req.output,
    prefillInstance: sim.prefillInst,
    decodeInstance: sim.decodeInst,
    ttftS: ttft,
    tpotS: tpot,
    e2eS: e2e,
    queueS: queue,
    prefillS: sim.prefillS,
    kvTransferS: kvTransfer,
    preemptions: sim.preemptions,
    meetsSlo: meets,
  };
}
