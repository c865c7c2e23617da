export {
  type Connection,
  type ConnectionMatrix,
  parseConnectionMatrix,
  readConnectionMatrix,
} from "./connection-matrix.js";
export {
  htsimDefaultBuffer,
  htsimDefaultCluster,
  parseHtsimTopology,
  readHtsimTopology,
} from "./htsim-topology.js";
export { derangement, type TrafficFlows, trafficEndpoints, trafficFlows } from "./patterns.js";
export {
  fctPercentiles,
  type PacketReport,
  packetReport,
  type QueueMax,
  runTraffic,
  simulateTraffic,
  type TrafficEngine,
  type TrafficOptions,
} from "./run.js";
