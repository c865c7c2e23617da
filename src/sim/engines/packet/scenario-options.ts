/**
 * The packet engine's options from a scenario: its transport, switch buffer, seed and failure detection,
 * with the failures already resolved to links (src/control resolves them; the engine never sees a
 * scenario's failure list).
 */

import type { Router } from "../../../routing/types.js";
import type { Scenario } from "../../../scenario/types.js";
import type { Fabric } from "../../../topology/fabric.js";
import { type WireModel, wireModelFor } from "../wire.js";
import {
  ACK_BYTES,
  defaultBufferBytes,
  defaultRtoS,
  type LinkFailure,
  type PacketEngineOptions,
} from "./params.js";
import { fabricScale } from "./setup.js";

/**
 * The fluid engines' packet overheads for the scenario's transport (src/sim/engines/wire.ts). `ackReturn`:
 * flows finish when their sender holds the last ack (flow completion times); false where the receiver's
 * data is what counts (collective steps, transfers a process waits on).
 */
export function wireModelOf(
  scenario: Scenario,
  fabric: Fabric,
  router: Router,
  ackReturn: boolean,
): WireModel {
  const t = scenario.cluster.transport;
  return wireModelFor(
    { mtu: t.mtu, congestionControl: t.congestionControl, trimming: t.trimming },
    fabric,
    router,
    ackReturn,
    scenario.simulation.sharing,
  );
}

export function packetOptionsFor(
  scenario: Scenario,
  failures: LinkFailure[],
  traceIntervalS?: number,
): PacketEngineOptions {
  const t = scenario.cluster.transport;
  return {
    loadBalancing: t.loadBalancing,
    seed: scenario.simulation.seed,
    transport: {
      congestionControl: t.congestionControl,
      mtu: t.mtu,
      ...(t.ecn ? { ecn: t.ecn } : {}),
      trimming: t.trimming,
      pfc: t.pfc,
    },
    bufferBytes: scenario.cluster.scaleOut.switch.buffer,
    failures,
    failureDetectionS: scenario.simulation.failureDetection,
    ...(traceIntervalS ? { traceIntervalS } : {}),
  };
}

/** What decides whether a packet transport's timer fires on packets that are only waiting for their ack. */
export interface AckTimer {
  /** The retransmission timer, seconds (htsim's, as the packet engine sets it for the scenario). */
  rtoS: number;
  /** The network's largest unloaded RTT, seconds. */
  rttS: number;
  /** Packets the receiver takes per ack (its coalescing), unless a mark or an ack request comes first. */
  ackPackets: number;
  /** Bytes per packet on the wire. */
  mtu: number;
}

/** The packet engine's timer and ack coalescing for the scenario's fabric and transport. */
export function ackTimerOf(scenario: Scenario, fabric: Fabric, router: Router): AckTimer {
  const t = scenario.cluster.transport;
  const { rttPs, rate } = fabricScale(fabric, router, t.mtu);
  const buffer = scenario.cluster.scaleOut.switch.buffer ?? defaultBufferBytes(rttPs, rate, t.mtu);
  return {
    rtoS: defaultRtoS(buffer, rate, t.pfc),
    rttS: rttPs / 1e12,
    ackPackets: Math.ceil(ACK_BYTES / t.mtu),
    mtu: t.mtu,
  };
}
