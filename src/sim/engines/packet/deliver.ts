/** A packet reached the endpoint at the end of its route: hand it to the flow's receiver or sender. */
import { dcqcnOnCnp } from "./dcqcn.js";
import { F_TRIMMED, freePacket, PacketKind } from "./packets.js";
import { rcccOnCredit } from "./rccc.js";
import { onData } from "./receiver.js";
import { onAck, onNack } from "./sender.js";
import type { PacketSim } from "./state.js";

export function deliver(sim: PacketSim, p: number): void {
  const pool = sim.pool;
  const f = pool.flow[p];
  switch (pool.kind[p]) {
    case PacketKind.data:
      if (sim.flows.status[f] === 1) onData(sim, f, p, (pool.flags[p] & F_TRIMMED) !== 0);
      break;
    case PacketKind.ack:
      onAck(sim, f, p);
      break;
    case PacketKind.nack:
      onNack(sim, f, p);
      break;
    case PacketKind.credit:
      if (sim.flows.status[f] === 1) rcccOnCredit(sim, f, pool.v[p]);
      break;
    case PacketKind.cnp:
      if (sim.flows.status[f] === 1) dcqcnOnCnp(sim, f);
      break;
  }
  freePacket(pool, p);
}
