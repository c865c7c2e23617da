/**
 * The packet network on the shared clock: the same calls as the fluid networks (start a flow now and be
 * told when it is delivered, cap a rate, scale or fail a link, reroute, ask the load on a link) drive the
 * packet engine's real packets, queues and transports (src/sim/engines/packet/).
 *
 * The engine keeps its own event heap, in integer picoseconds and allocation-free, and is driven from the
 * clock: one clock event (its "wake") stands for the engine's earliest event. When the wake runs, the
 * engine runs its events in order as long as none of the clock's is earlier, moving the clock with them,
 * so a packet event and a process event interleave exactly as in one queue (at equal times the engine's
 * go first). A flow delivered fires its group's signal at the delivery time; a process woken by it may
 * start flows at that same instant. A wake made stale by an earlier one is recognised by its stamp.
 *
 * The transport's scale (largest unloaded RTT, fastest NIC) is the fabric's (fabricScale), not the flows',
 * since a network does not know its flows in advance; a batch run of the same flows (runPacketEngine)
 * takes it from its flows and the fabric's first-to-last endpoint pair, which is the same on hierarchies
 * built in placement order.
 */
import { WeftError } from "../../errors.js";
import type { Router } from "../../routing/types.js";
import { type Fabric, LINK_TIER_NAMES } from "../../topology/fabric.js";
import { type Clock, registerHandler, schedule } from "../clock.js";
import { dispatch, type PacketStats, scaleLink } from "../engines/packet/engine.js";
import { EV_DETECT, EV_FAIL, EV_START, EV_WAKE, eventCode } from "../engines/packet/events.js";
import type { PacketEngineOptions } from "../engines/packet/params.js";
import { resolveTransport } from "../engines/packet/params.js";
import { clearPathCache } from "../engines/packet/paths.js";
import { addFlow, fabricScale, makeEmptySim } from "../engines/packet/setup.js";
import type { PacketUsage } from "../engines/packet/state.js";
import { toPs } from "../engines/packet/time.js";
import { popEvent, pushEvent } from "../event-queue.js";
import { fire } from "../process.js";
import type { FlowGroup, Network, NetworkStats } from "./types.js";

export interface PacketNetworkOptions extends PacketEngineOptions {
  /** Owners the meeting accounting tells apart (flows carry a tag < tags). */
  tags?: number;
}

/** A packet network also tells its packet counters (data packets, retransmissions, drops…). */
export interface PacketNetwork extends Network {
  readonly fidelity: "packet";
  /** What the packet engine counted so far (every owner's packets together). */
  packets(): PacketStats;
}

const TIERS = LINK_TIER_NAMES.length;

export function makePacketNetwork(
  clock: Clock,
  fabric: Fabric,
  initialRouter: Router,
  options: PacketNetworkOptions,
): PacketNetwork {
  const T = Math.max(1, options.tags ?? 1);
  const L = fabric.links.count;
  const transport = resolveTransport(options);
  const sim = makeEmptySim(
    fabric,
    initialRouter,
    options,
    fabricScale(fabric, initialRouter, transport.mtu),
    64,
  );
  const usage = makeUsage(L, T, 2 * sim.p.netRttPs);
  sim.usage = usage;
  const heap = sim.heap;
  const queue = clock.queue;
  const groups: (FlowGroup | undefined)[] = [];
  const delivered = new Float64Array(T);
  const served = new Float64Array(L);
  const servedAt = new Float64Array(L);
  let events = 0;
  let wakeStamp = 0;
  let wakeAtPs = Number.POSITIVE_INFINITY;
  const failures = options.failures ?? [];

  sim.onFlowDone = (f) => {
    const g = groups[f];
    groups[f] = undefined;
    if (!g) return;
    const flows = sim.flows;
    const t = flows.finishPs[f] / 1e12;
    if (!Number.isFinite(t)) {
      const names = fabric.nodes.names;
      throw new WeftError(
        `no route left from ${names[flows.src[f]]} to ${names[flows.dst[f]]} at ${clock.now} s (failed links or disconnected fabric)`,
      );
    }
    delivered[flows.tag[f]] += flows.bytes[f];
    g.pending--;
    if (t >= g.lastFinish) {
      g.lastFinish = t;
      g.lastLatency = pathLatency(flows.src[f], flows.dst[f]);
    }
    if (g.pending === 0 && g.sealed) fire(clock, g.done);
  };

  const wake = registerHandler(clock, (stamp) => {
    if (stamp !== wakeStamp) return;
    wakeAtPs = Number.POSITIVE_INFINITY;
    // Engine events run while no clock event is earlier; each one moves the clock to its time first, so
    // whatever it fires (a group's signal) is scheduled at that time.
    while (heap.size > 0) {
      const t = heap.time[0];
      if (queue.size > 0 && t > queue.time[0] * 1e12) break;
      popEvent(heap);
      const code = heap.topA;
      sim.now = t;
      const s = t / 1e12;
      if (s > clock.now) clock.now = s;
      events++;
      dispatch(sim, code, t, failures);
    }
    ensureWake();
  });

  /** The clock holds a wake no later than the engine's earliest event. */
  function ensureWake(): void {
    if (heap.size === 0) return;
    const t = heap.time[0];
    if (t >= wakeAtPs) return;
    wakeAtPs = t;
    schedule(clock, Math.max(clock.now, t / 1e12), wake, ++wakeStamp);
  }

  /** Propagation along the pair's path 0: what a delivery time holds beyond the transfer. */
  function pathLatency(a: number, b: number): number {
    const n = sim.router.path(a, b, 0, sim.scratch);
    let s = 0;
    for (let i = 0; i < n; i++) s += fabric.links.latency[sim.scratch[i]];
    return s;
  }

  /** The engine's time catches up with the clock (events in between have run: the wake saw to that). */
  function syncNow(): number {
    const ps = toPs(clock.now);
    if (ps > sim.now) sim.now = ps;
    return sim.now;
  }

  const detectPs = toPs(options.failureDetectionS ?? 0);
  failures.forEach((fl, i) => {
    pushEvent(heap, toPs(fl.atS), eventCode(EV_FAIL, i));
    pushEvent(heap, toPs(fl.atS) + detectPs, eventCode(EV_DETECT, i));
  });
  ensureWake();

  const net: PacketNetwork = {
    fidelity: "packet",
    clock,
    fabric,
    get router() {
      return sim.router;
    },
    set router(r: Router) {
      sim.router = r;
      clearPathCache(sim.paths);
    },
    startFlow(src, dst, bytes, tag, key, group) {
      if (!(bytes >= 0 && Number.isFinite(bytes))) {
        throw new WeftError(`a flow must carry a finite, non-negative number of bytes, got ${bytes}`);
      }
      if (!(tag >= 0 && tag < T)) throw new WeftError(`flow tag ${tag} is outside 0..${T - 1}`);
      if (src !== dst && sim.router.pathCount(src, dst) <= 0) {
        const names = fabric.nodes.names;
        throw new WeftError(
          `no route from ${names[src]} to ${names[dst]} (failed links or disconnected fabric)`,
        );
      }
      const now = syncNow();
      const f = addFlow(sim, src, dst, bytes, now, key, tag);
      group.pending++;
      if (src === dst) {
        // Nothing crosses the fabric: delivered now (as the batch engine does).
        sim.flows.status[f] = 2;
        sim.flows.finishPs[f] = now;
        sim.done++;
        delivered[tag] += bytes;
        group.pending--;
        if (clock.now >= group.lastFinish) group.lastFinish = clock.now;
        return f;
      }
      groups[f] = group;
      pushEvent(heap, now, eventCode(EV_START, f));
      ensureWake();
      return f;
    },
    capRate(f, rate) {
      if (!(rate > 0)) throw new WeftError(`a rate cap must be > 0 bytes/s, got ${rate}`);
      sim.flows.capPsPerByte[f] = rate === Number.POSITIVE_INFINITY ? 0 : 1e12 / rate;
      // A lifted or raised cap may let the flow send at once.
      sim.flows.capNextPs[f] = Math.min(sim.flows.capNextPs[f], syncNow());
      sim.flows.wakeAt[f] = sim.now;
      pushEvent(heap, sim.now, eventCode(EV_WAKE, f));
      ensureWake();
    },
    setLinkScale(l, scale) {
      if (!(scale >= 0 && scale <= 1)) throw new WeftError(`a link scale must be in [0, 1], got ${scale}`);
      syncNow();
      scaleLink(sim, l, scale);
    },
    reroute(next, failed) {
      net.router = next;
      for (let l = 0; l < L; l++) sim.links.avoid[l] = failed[l] !== 0 ? 1 : 0;
    },
    linkLoad(l) {
      // The average rate since the previous question about this link (since time 0 the first time).
      const now = clock.now;
      const dt = now - servedAt[l];
      const bytes = usage.linkServed[l] - served[l];
      served[l] = usage.linkServed[l];
      servedAt[l] = now;
      return dt > 0 ? bytes / dt : 0;
    },
    finishOf: (f) => sim.flows.finishPs[f] / 1e12,
    deliveredBytes: (t) => delivered[t],
    tierBytes: (t, tier) => usage.tierBytes[t * TIERS + tier],
    meetings: { tags: T, met: usage.met, linkMet: usage.linkMet, linkTags: usage.linkTags },
    packets: (): PacketStats => ({
      ...sim.counters,
      events,
      unfinished: sim.flows.count - sim.done,
      simulatedS: sim.now / 1e12,
      queueMaxBytes: sim.links.maxBytes,
    }),
    stats: (): NetworkStats => ({ flows: sim.flows.count, events, recomputes: 0 }),
  };
  return net;
}

function makeUsage(links: number, tags: number, windowPs: number): PacketUsage {
  return {
    tags,
    windowPs,
    linkServed: new Float64Array(links),
    lastSeen: new Float64Array(links * tags).fill(Number.NEGATIVE_INFINITY),
    tierBytes: new Float64Array(tags * TIERS),
    met: new Float64Array(tags * tags * TIERS),
    linkMet: new Float64Array(links),
    linkTags: new Int32Array(links),
  };
}
