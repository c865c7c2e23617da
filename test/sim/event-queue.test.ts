import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clearEventQueue, makeEventQueue, peekTime, popEvent, pushEvent } from "../../src/sim/event-queue.js";

describe("event queue", () => {
  it("pops in (time, push order) order, growing past its initial capacity", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), (times) => {
        const q = makeEventQueue(4);
        times.forEach((t, i) => {
          pushEvent(q, t, i, 1000 - i, t * 0.5);
        });
        const expected = times.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        const got: (readonly [number, number])[] = [];
        while (popEvent(q)) {
          expect(q.topB).toBe(1000 - q.topA);
          expect(q.topValue).toBe(q.topTime * 0.5);
          got.push([q.topTime, q.topA]);
        }
        expect(got).toEqual(expected);
      }),
    );
  });

  it("matches a sorted-list reference under interleaved pushes and pops", () => {
    // null = pop; a number = push at that time (few distinct values, so ties are common).
    const ops = fc.array(fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }), { maxLength: 300 });
    fc.assert(
      fc.property(ops, (list) => {
        const q = makeEventQueue(4);
        const ref: [number, number][] = [];
        list.forEach((op, i) => {
          if (op !== null) {
            pushEvent(q, op, i);
            ref.push([op, i]);
            ref.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
            return;
          }
          const popped = popEvent(q);
          const head = ref.shift();
          expect(popped).toBe(head !== undefined);
          if (head) expect([q.topTime, q.topA]).toEqual(head);
          expect(peekTime(q)).toBe(ref.length ? ref[0][0] : Number.POSITIVE_INFINITY);
        });
        expect(q.size).toBe(ref.length);
      }),
    );
  });

  it("replays identically after clear (sequence numbers restart)", () => {
    const q = makeEventQueue();
    const run = () => {
      for (let i = 0; i < 50; i++) pushEvent(q, i % 3, i);
      const out: number[] = [];
      while (popEvent(q)) out.push(q.topA);
      clearEventQueue(q);
      return out;
    };
    const first = run();
    expect(first.slice(0, 3)).toEqual([0, 3, 6]);
    expect(run()).toEqual(first);
  });

  it("rejects NaN times", () => {
    expect(() => pushEvent(makeEventQueue(), Number.NaN)).toThrow(/NaN/);
  });
});
