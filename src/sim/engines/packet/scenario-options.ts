/**
 * The packet engine's options from a scenario: its transport, switch buffer, seed and failure detection,
 * with the failures already resolved to links (src/control resolves them; the engine never sees a
 * scenario's failure list).
 */

import type { Router } from "../../../routing/types.js";
import type { Scenario } from "../../../scenario/types.js";
import type { Fabric } from "../../../topology/fabric.js";
import { type WireModel, wireModelFor } from "../wire.js";
import type { LinkFailure, PacketEngineOptions } from "./params.js";

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
