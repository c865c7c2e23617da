/**
 * `--trace FILE`: the packet engine's queue-occupancy samples as a compact CSV, one row per queue whose
 * occupancy changed since the previous sample: `time_us,queue,tier,bytes`, the queue named `from->to` by the
 * fabric's node names. Written atomically (a temp file beside the target, then a rename).
 */

import { writeFileAtomic } from "../files/write.js";
import type { QueueTrace } from "../sim/engines/packet/engine.js";
import { type Fabric, LINK_TIER_NAMES } from "../topology/fabric.js";

export function queueTraceCsv(fabric: Fabric, trace: QueueTrace): string {
  const names = fabric.nodes.names;
  const { from, to, tier } = fabric.links;
  const label = new Map<number, string>();
  const rows = ["time_us,queue,tier,bytes"];
  for (let i = 0; i < trace.timeS.length; i++) {
    const l = trace.link[i];
    let name = label.get(l);
    if (name === undefined) {
      name = `${names[from[l]]}->${names[to[l]]},${LINK_TIER_NAMES[tier[l]]}`;
      label.set(l, name);
    }
    rows.push(`${+(trace.timeS[i] * 1e6).toFixed(6)},${name},${trace.bytes[i]}`);
  }
  return `${rows.join("\n")}\n`;
}

export function writeQueueTrace(file: string, fabric: Fabric, trace: QueueTrace): void {
  writeFileAtomic(file, queueTraceCsv(fabric, trace));
}
