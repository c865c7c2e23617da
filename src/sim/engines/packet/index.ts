/** The packet-level engine: runPacketEngine(fabric, router, flows, options) → finish times + packet stats. */
export { type PacketEngineResult, type PacketStats, type QueueTrace, runPacketEngine } from "./engine.js";
export {
  DEFAULT_TRANSPORT,
  HEADER_BYTES,
  type LinkFailure,
  type PacketEngineOptions,
  type PacketTransportOptions,
} from "./params.js";
