/**
 * The one clock of a simulation: simulated time and one event queue ordered by (time, push order), so a run
 * is deterministic whatever the heap does with ties. Engines and workload processes share it, which is what
 * lets one job's transfers meet another's.
 *
 * An event is a handler id and two numbers (`arg`, `value`), so hot paths (a flow engine predicting
 * completions) push nothing but numbers: a component registers its handler once and addresses its own
 * objects by numeric id. One-shot closures (`callAt`) are for coarse events — a process resuming, a failure.
 */
import { type EventQueue, makeEventQueue, peekTime, popEvent, pushEvent } from "./event-queue.js";

/** Runs when its event pops, with the two numbers pushed with it. */
export type Handler = (arg: number, value: number) => void;

export interface Clock {
  /** Simulated time, seconds. Never decreases. */
  now: number;
  queue: EventQueue;
  /** Registered handlers; id 0 runs one-shot closures. */
  handlers: Handler[];
  /** One-shot closures waiting to run, by slot; freed slots are reused. */
  closures: ((() => void) | undefined)[];
  freeSlots: number[];
  /** Events run so far. */
  events: number;
}

const ONE_SHOT = 0;

export function makeClock(): Clock {
  const clock: Clock = {
    now: 0,
    queue: makeEventQueue(256),
    handlers: [],
    closures: [],
    freeSlots: [],
    events: 0,
  };
  clock.handlers.push((slot) => {
    const fn = clock.closures[slot];
    clock.closures[slot] = undefined;
    clock.freeSlots.push(slot);
    fn?.();
  });
  return clock;
}

/** Registers a handler for numeric events; returns its id for `schedule`. */
export function registerHandler(clock: Clock, handler: Handler): number {
  clock.handlers.push(handler);
  return clock.handlers.length - 1;
}

/** Pushes an event for handler `id` at `time` (≥ now). */
export function schedule(clock: Clock, time: number, id: number, arg = 0, value = 0): void {
  if (!(time >= clock.now)) {
    throw new RangeError(`event at ${time} s is before the clock (${clock.now} s)`);
  }
  pushEvent(clock.queue, time, id, arg, value);
}

/** Runs `fn` at `time` (≥ now), after the events already pushed for that time. */
export function callAt(clock: Clock, time: number, fn: () => void): void {
  const slot = clock.freeSlots.pop() ?? clock.closures.length;
  clock.closures[slot] = fn;
  schedule(clock, time, ONE_SHOT, slot);
}

/** Time of the next event, +Infinity when none is pending. */
export function nextEventTime(clock: Clock): number {
  return peekTime(clock.queue);
}

/**
 * Runs events in (time, push order) until none is left or the next one is later than `until`; the clock
 * then reads the last event's time (or `until`, when it stopped there). Returns the number of events run.
 */
export function runClock(clock: Clock, until = Number.POSITIVE_INFINITY): number {
  const q = clock.queue;
  const handlers = clock.handlers;
  let n = 0;
  while (q.size > 0 && q.time[0] <= until) {
    popEvent(q);
    clock.now = q.topTime;
    n++;
    handlers[q.topA](q.topB, q.topValue);
  }
  if (until !== Number.POSITIVE_INFINITY && until > clock.now) clock.now = until;
  clock.events += n;
  return n;
}
