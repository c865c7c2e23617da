/**
 * Processes on the clock, after SimPy: a process is a generator that yields what it waits for — a delay
 * in seconds, or a Signal (a flow group finishing, another process ending, any event) — and resumes on
 * the clock when that happens. The training schedule, an inference server, a traffic generator and a
 * scheduler are all written this way:
 *
 *   function* job(clock: Clock, net: Network) {
 *     yield 0.5e-3;                                  // compute for 0.5 ms
 *     yield startTransfers(net, flows, tag);         // wait until these flows are delivered
 *     yield allOf(clock, [other.done, timer(clock, 1e-3)]);
 *   }
 *   const p = spawn(clock, job(clock, net), { at: 2e-3 });
 *
 * Resumptions go through the clock's queue, so the order among processes resuming at one time is the order
 * in which they were woken: deterministic.
 */
import { type Clock, callAt } from "./clock.js";

/** Something that happens once; processes and callbacks wait for it. */
export interface Signal {
  fired: boolean;
  /** When it fired, seconds (NaN before). */
  time: number;
  waiters: (() => void)[];
}

/** What a process yields: a delay in seconds, or a signal to wait for. */
export type Wait = number | Signal;
export type ProcessBody = Generator<Wait, void, void>;

export interface Process {
  name: string;
  /** Fires when the body returns. */
  done: Signal;
}

export function makeSignal(): Signal {
  return { fired: false, time: Number.NaN, waiters: [] };
}

/** Fires `s` now: its waiters run on the clock at the current time, in the order they started waiting. */
export function fire(clock: Clock, s: Signal): void {
  if (s.fired) return;
  s.fired = true;
  s.time = clock.now;
  const waiters = s.waiters;
  s.waiters = [];
  for (const w of waiters) callAt(clock, clock.now, w);
}

/** Runs `fn` (on the clock) once `s` has fired; at once (this instant) when it already has. */
export function whenFired(clock: Clock, s: Signal, fn: () => void): void {
  if (s.fired) callAt(clock, clock.now, fn);
  else s.waiters.push(fn);
}

/** A signal that fires `delay` seconds from now. */
export function timer(clock: Clock, delay: number): Signal {
  const s = makeSignal();
  callAt(clock, clock.now + delay, () => fire(clock, s));
  return s;
}

/** A signal that fires when every one of `signals` has (at once when the list is empty). */
export function allOf(clock: Clock, signals: readonly Signal[]): Signal {
  const all = makeSignal();
  let left = signals.length;
  if (left === 0) {
    callAt(clock, clock.now, () => fire(clock, all));
    return all;
  }
  for (const s of signals) {
    whenFired(clock, s, () => {
      if (--left === 0) fire(clock, all);
    });
  }
  return all;
}

/** A signal that fires when the first of `signals` does. */
export function anyOf(clock: Clock, signals: readonly Signal[]): Signal {
  const any = makeSignal();
  for (const s of signals) whenFired(clock, s, () => fire(clock, any));
  return any;
}

/** Starts a process at `at` (default: now). Its `done` fires when the body returns. */
export function spawn(
  clock: Clock,
  body: ProcessBody,
  options: { at?: number; name?: string } = {},
): Process {
  const p: Process = { name: options.name ?? "process", done: makeSignal() };
  const resume = () => {
    const r = body.next();
    if (r.done) {
      fire(clock, p.done);
      return;
    }
    const w = r.value;
    if (typeof w === "number") {
      if (!(w >= 0)) throw new RangeError(`${p.name}: waits ${w} s; a delay must be ≥ 0`);
      callAt(clock, clock.now + w, resume);
    } else whenFired(clock, w, resume);
  };
  callAt(clock, Math.max(clock.now, options.at ?? clock.now), resume);
  return p;
}
