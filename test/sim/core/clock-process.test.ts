// The shared clock and SimPy-style processes: order, waiting, determinism.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callAt, makeClock, runClock } from "../../../src/sim/clock.js";
import { allOf, anyOf, type ProcessBody, spawn, timer } from "../../../src/sim/process.js";

describe("clock", () => {
  it("runs events by time, and events of one time in the order they were pushed", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 40 }), (times) => {
        const clock = makeClock();
        const seen: [number, number][] = [];
        times.forEach((t, i) => {
          callAt(clock, t, () => seen.push([clock.now, i]));
        });
        runClock(clock);
        const expected = times
          .map((t, i) => [t, i] as [number, number])
          .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(seen).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it("refuses an event in the past", () => {
    const clock = makeClock();
    callAt(clock, 2, () => callAt(clock, 1, () => {}));
    expect(() => runClock(clock)).toThrow(/before the clock/);
  });

  it("stops at `until` and resumes from there", () => {
    const clock = makeClock();
    const seen: number[] = [];
    for (const t of [1, 2, 3]) callAt(clock, t, () => seen.push(t));
    runClock(clock, 2.5);
    expect(seen).toEqual([1, 2]);
    expect(clock.now).toBe(2.5);
    runClock(clock);
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe("processes", () => {
  it("wait for delays, for signals and for other processes", () => {
    const clock = makeClock();
    const log: string[] = [];
    function* worker(name: string, work: number): ProcessBody {
      log.push(`${name} starts at ${clock.now}`);
      yield work;
      log.push(`${name} done at ${clock.now}`);
    }
    const a = spawn(clock, worker("a", 3), { name: "a" });
    const b = spawn(clock, worker("b", 1), { name: "b", at: 1 });
    function* boss(): ProcessBody {
      yield allOf(clock, [a.done, b.done]);
      log.push(`both at ${clock.now}`);
      yield anyOf(clock, [timer(clock, 5), timer(clock, 2)]);
      log.push(`first timer at ${clock.now}`);
    }
    const c = spawn(clock, boss());
    runClock(clock);
    expect(log).toEqual([
      "a starts at 0",
      "b starts at 1",
      "b done at 2",
      "a done at 3",
      "both at 3",
      "first timer at 5",
    ]);
    expect(c.done.fired).toBe(true);
    expect(c.done.time).toBe(5);
  });

  it("an empty allOf fires at once; a negative delay is refused", () => {
    const clock = makeClock();
    let at = -1;
    spawn(
      clock,
      (function* () {
        yield 1;
        yield allOf(clock, []);
        at = clock.now;
      })(),
    );
    runClock(clock);
    expect(at).toBe(1);
    spawn(
      clock,
      (function* (): ProcessBody {
        yield -1;
      })(),
    );
    expect(() => runClock(clock)).toThrow(/≥ 0/);
  });
});
