/**
 * The flows of one request's transfer: prefill → decode KV cache, and decode ↔ offload tier swaps.
 *
 * KV is split over the ranks that hold it: with tensor parallelism each rank holds 1/tp of the heads (MLA:
 * every rank holds the latent, and each sends a disjoint 1/tp of the layers), so a transfer is
 * max(tp_prefill, tp_decode) flows of bytes/n each, rank k of the source's attention replica to rank k of
 * the destination's (k mod tp on each side), on the attention replicas (DP ranks) the request was routed to.
 * Swaps move every rank's share to one endpoint of the offload group (request id mod its endpoints).
 *
 * The flows run on the shared network (src/sim/network/), tagged with the service's owner tag, each with
 * the next ECMP key of the service's running count. A transfer's flows are one FlowGroup; when its `done`
 * fires the transfer has landed (`sim.onLanded`). Their ids stay in `sim.flowIds` while they are in
 * flight, so a layer-wise stream's rate cap can be lifted.
 */
import { WeftError } from "../../errors.js";
import { sealGroup } from "../../sim/network/transfer.js";
import { type FlowGroup, makeFlowGroup } from "../../sim/network/types.js";
import { whenFired } from "../../sim/process.js";
import { type PoolPlan, rankOf } from "./pools.js";
import { RS, type Sim, XFER } from "./serve-state.js";

/** Starts request r's KV transfer (memory on instance d already reserved). rateCap: bytes/s for the whole transfer. */
export function startKvTransfer(sim: Sim, r: number, d: number, rateCap: number): void {
  const src = sim.prefill.pool;
  const dst = sim.inst.pool;
  const bytes = sim.work[r] * sim.kvBytesPerToken;
  const n = Math.max(src.tp, dst.tp);
  const p = sim.prefillInst[r];
  // replica slots are instance·dp + replica
  const rs = (sim.prefillRep[r] % src.dp) * src.tp;
  const rd = (sim.instRep[r] % dst.dp) * dst.tp;
  const group = makeFlowGroup();
  sim.flowCount[r] = 0;
  for (let k = 0; k < n; k++) {
    const a = nodeOf(sim, src, p, rs + (k % src.tp));
    const b = nodeOf(sim, dst, d, rd + (k % dst.tp));
    const f = startFlow(sim, r, group, a, b, bytes / n);
    if (rateCap < Number.POSITIVE_INFINITY) sim.net.capRate(f, rateCap / n);
  }
  landWhenDone(sim, r, group);
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
  const base = (sim.instRep[r] % pool.dp) * pool.tp;
  const group = makeFlowGroup();
  sim.flowCount[r] = 0;
  for (let k = 0; k < pool.tp; k++) {
    const a = nodeOf(sim, pool, d, base + k);
    if (out) startFlow(sim, r, group, a, store, bytes / pool.tp);
    else startFlow(sim, r, group, store, a, bytes / pool.tp);
  }
  landWhenDone(sim, r, group);
  o.usedBytes += out ? bytes : -bytes;
  sim.xferStart[r] = sim.now;
  sim.offloadBytesMoved += bytes;
}

/** Caps every flow of request r's transfer in flight at `rate` bytes/s each (+Infinity lifts the cap). */
export function capTransfer(sim: Sim, r: number, rate: number): void {
  const base = r * sim.maxFlows;
  for (let k = 0; k < sim.flowCount[r]; k++) sim.net.capRate(sim.flowIds[base + k], rate);
}

/** Starts one flow of request r's transfer now, in `group`; returns its network id. */
function startFlow(sim: Sim, r: number, group: FlowGroup, a: number, b: number, bytes: number): number {
  // a flow that stays on its node takes no path, so it takes no key either
  const key = a === b ? 0 : sim.flowKey++;
  const f = sim.net.startFlow(a, b, bytes, sim.tag, key, group);
  sim.flowIds[r * sim.maxFlows + sim.flowCount[r]++] = f;
  return f;
}

/** Every flow of request r's transfer has started: it lands when the last is delivered. */
function landWhenDone(sim: Sim, r: number, group: FlowGroup): void {
  whenFired(sim.clock, sealGroup(sim.net, group), () => sim.onLanded(r));
}

function nodeOf(sim: Sim, pool: PoolPlan, instance: number, local: number): number {
  return sim.fabric.accelerators.node[rankOf(pool, instance, local)];
}
