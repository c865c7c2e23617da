/** Starting many flows as one group that a process waits for. */
import { callAt } from "../clock.js";
import type { FlowSet } from "../flows.js";
import { fire, type Signal } from "../process.js";
import { type FlowGroup, makeFlowGroup, type Network } from "./types.js";

/** No more flows join `group`: its `done` fires when the flows started so far are delivered (now if none). */
export function sealGroup(net: Network, group: FlowGroup): Signal {
  group.sealed = true;
  if (group.pending === 0) fire(net.clock, group.done);
  return group.done;
}

/**
 * Starts every flow of `flows` at now + its `start`, owned by `tag`, each hashed (ECMP) by its index as the
 * batch engines do; returns the group, whose `done` fires when the last is delivered. `ids`, when given,
 * receives each flow's network id as it starts (for `finishOf`).
 */
export function transfer(net: Network, flows: FlowSet, tag: number, ids?: Int32Array): FlowGroup {
  const group = makeFlowGroup();
  const t0 = net.clock.now;
  let last = 0;
  for (let f = 0; f < flows.count; f++) {
    const s = flows.start[f];
    if (s > 0) {
      callAt(net.clock, t0 + s, () =>
        net.startFlow(flows.src[f], flows.dst[f], flows.bytes[f], tag, f, group),
      );
      if (s > last) last = s;
    } else {
      const id = net.startFlow(flows.src[f], flows.dst[f], flows.bytes[f], tag, f, group);
      if (ids) ids[f] = id;
    }
  }
  // Pushed after every delayed start, so it runs after the last of them.
  if (last > 0) callAt(net.clock, t0 + last, () => sealGroup(net, group));
  else sealGroup(net, group);
  return group;
}
