/**
 * Progress of a packet simulation, for people: on a terminal one status line on stderr, redrawn at most
 * once a second (events/s, simulated time, flows done, ETA from the estimate); otherwise one line every
 * 10 s. (`weft run` runs the engine in a worker thread and stops it at a tick on Ctrl-C; a caller of the
 * library stops a run early by returning true from `onTick`.)
 */
import type { PacketTick } from "../sim/engines/packet/params.js";
import { formatCount, formatTime } from "../units/format.js";

export interface PacketProgress {
  onTick: (tick: PacketTick) => boolean;
  stop: () => void;
}

export function makePacketProgress(
  estimatedEvents: number,
  tty = Boolean(process.stderr.isTTY),
): PacketProgress {
  const started = Date.now();
  const every = tty ? 1000 : 10_000;
  let last = started;
  let shown = false;
  return {
    onTick(tick) {
      const now = Date.now();
      if (now - last >= every) {
        last = now;
        shown = true;
        const line = statusLine(tick, (now - started) / 1000, estimatedEvents);
        process.stderr.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
      }
      return false;
    },
    stop() {
      if (shown && tty) process.stderr.write("\n");
    },
  };
}

/** `packet: 12,345,678 events (3.2 M/s), 1.23 ms simulated, 10/16 flows done, ETA ~42 s` */
export function statusLine(tick: PacketTick, wallS: number, estimatedEvents: number): string {
  const rate = tick.events / Math.max(wallS, 1e-9);
  const left = Math.max(0, estimatedEvents - tick.events) / Math.max(rate, 1);
  const eta = estimatedEvents > tick.events ? `ETA ~${formatTime(left)}` : "ETA past the estimate";
  return `packet: ${formatCount(tick.events)} events (${formatCount(Math.round(rate / 1e3))} k/s), ${formatTime(tick.simulatedS)} simulated, ${formatCount(tick.doneFlows)}/${formatCount(tick.flows)} flows done, ${eta}`;
}
