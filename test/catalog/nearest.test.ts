// Edit distance is a metric; suggestions find one-letter typos.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { didYouMean, editDistance, nearestNames } from "../../src/catalog/nearest.js";

describe("editDistance", () => {
  it("is a metric: identity, symmetry, triangle inequality", () => {
    const word = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(word, word, word, (a, b, c) => {
        expect(editDistance(a, a)).toBe(0);
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c));
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });

  it("counts single edits", () => {
    expect(editDistance("bandwith", "bandwidth")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
});

describe("suggestions", () => {
  it("a typo of one key suggests it; unrelated words suggest nothing", () => {
    expect(didYouMean("bandwith", ["count", "bandwidth"])).toBe("bandwidth");
    expect(didYouMean("Bandwidth", ["count", "bandwidth"])).toBe("bandwidth");
    expect(didYouMean("zzz", ["count", "bandwidth"])).toBeUndefined();
  });

  it("names that contain the word rank first", () => {
    const names = nearestNames("H100", ["MI300X", "A100-SXM4-80GB", "H100-SXM", "H200-SXM"], 3);
    expect(names[0]).toBe("H100-SXM");
    expect(names.slice(1).sort()).toEqual(["A100-SXM4-80GB", "H200-SXM"]);
  });
});
