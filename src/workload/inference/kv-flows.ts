/**
 * The flows of one request's transfer: prefill → decode KV cache, and decode ↔ offload tier swaps.
 *
 * KV is split over the ranks that hold it: with tensor parallelism each rank holds 1/tp of the heads (MLA:
 * every rank holds the latent, and each sends a disjoint 1/tp of the layers), so a transfer is
 * max(tp_prefill, tp_decode) flows of bytes/n each, rank k of the source's attention replica to rank k of
 * the destination's (k mod tp on each side). The replica (attention DP rank) is the request id mod dp.
 * Swaps move every rank's share to one endpoint of the offload group (request id mod its endpoints).
 */
import { WeftError } from "../../errors.js";
import { type PoolPlan, rankOf } from "./pools.js";
import { RS, type Sim, XFER } from "./serve-state.js";
import { addFlow } from "./transfers.js";

/** Starts request r's KV transfer (memory on instance d already reserved). rateCap: bytes/s for the whole transfer. */
export function startKvTransfer(sim: Sim, r: number, d: number, rateCap: number): void {
  const src = sim.prefill.pool;
  const dst = sim.inst.pool;
  const bytes = sim.work[r] * sim.kvBytesPerToken;
  const n = Math.max(src.tp, dst.tp);
  const p = sim.prefillInst[r];
  const rs = (r % src.dp) * src.tp;
  const rd = (r % dst.dp) * dst.tp;
  for (let k = 0; k < n; k++) {
    const a = nodeOf(sim, src, p, rs + (k % src.tp));
    const b = nodeOf(sim, dst, d, rd + (k % dst.tp));
    addFlow(sim.net, sim.now, a, b, bytes / n, rateCap / n, r);
  }
  sim.flowsLeft[r] = n;
  sim.xferKind[r] = XFER.kv;
  sim.state[r] = RS.transferring;
  sim.streamDone[r] = 0;
  if (Number.isNaN(sim.tFirst[r])) sim.tKvStart[r] = sim.now;
  sim.xferStart[r] = sim.now;
  sim.kvBytesMoved += bytes;
}

/** True when the offload tier can take `bytes` more. */
export function offloadHasRoom(sim: Sim, bytes: number): boolean {
  const o = sim.offload;
  return o !== undefined && o.usedBytes + bytes <= o.capacityBytes;
}

/** Moves request r's KV from instance d to the offload tier (its memory is already released). */
export function startSwapOut(sim: Sim, r: number, d: number): void {
  swapFlows(sim, r, d, true);
  sim.xferKind[r] = XFER.swapOut;
  sim.state[r] = RS.swappingOut;
}

/** Brings request r's KV back from the offload tier to instance d (memory already reserved). */
export function startSwapIn(sim: Sim, r: number, d: number): void {
  swapFlows(sim, r, d, false);
  sim.xferKind[r] = XFER.swapIn;
  sim.state[r] = RS.swappingIn;
}

function swapFlows(sim: Sim, r: number, d: number, out: boolean): void {
  const o = sim.offload;
  if (!o) throw new WeftError("internal: a swap needs an offload group");
  const pool = sim.inst.pool;
  const bytes = sim.kv[r] * sim.kvBytesPerToken;
  const store = o.endpoints[r % o.endpoints.length];
  const base = (r % pool.dp) * pool.tp;
  for (let k = 0; k < pool.tp; k++) {
    const a = nodeOf(sim, pool, d, base + k);
    if (out) addFlow(sim.net, sim.now, a, store, bytes / pool.tp, Number.POSITIVE_INFINITY, r);
    else addFlow(sim.net, sim.now, store, a, bytes / pool.tp, Number.POSITIVE_INFINITY, r);
  }
  o.usedBytes += out ? bytes : -bytes;
  sim.flowsLeft[r] = pool.tp;
  sim.xferStart[r] = sim.now;
  sim.offloadBytesMoved += bytes;
}

function nodeOf(sim: Sim, pool: PoolPlan, instance: number, local: number): number {
  return sim.fabric.accelerators.node[rankOf(pool, instance, local)];
}
