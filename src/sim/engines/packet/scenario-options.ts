/**
 * The packet engine's options from a scenario: its transport, switch buffer, seed and failure detection,
 * with the failures already resolved to links (src/control resolves them; the engine never sees a
 * scenario's failure list).
 */
import type { Scenario } from "../../../scenario/types.js";
import type { LinkFailure, PacketEngineOptions } from "./params.js";

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
