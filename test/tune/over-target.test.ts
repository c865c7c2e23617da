// A missed SLO prints the measured time with the digits it takes to differ from the target.
import { describe, expect, it } from "vitest";
import { overTarget } from "../../src/tune/serving.js";

describe("a missed target", () => {
  it("never reads as equal to it", () => {
    expect(overTarget(0.02503, 0.025)).toBe("25.03 ms > 25.0 ms");
    expect(overTarget(0.0251, 0.025)).toBe("25.1 ms > 25.0 ms");
    expect(overTarget(2.5004, 2)).toBe("2.50 s > 2.00 s");
    expect(overTarget(2.0004, 2)).toBe("2.0004 s > 2.00 s");
  });
});
