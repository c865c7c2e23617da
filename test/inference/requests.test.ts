import { describe, expect, it } from "vitest";
import { WeftError } from "../../src/errors.js";
import { parseTrace } from "../../src/scenario/request-trace.js";
import { makeRequests } from "../../src/workload/inference/requests.js";

const fixed = (value: number) => ({ kind: "fixed" as const, value });

describe("request stream", () => {
  it("Poisson arrivals have the requested rate (20,000 requests, 2% tolerance)", () => {
    const req = makeRequests({
      rate: 50,
      count: 20_000,
      promptTokens: fixed(100),
      outputTokens: fixed(10),
      seed: 1,
    });
    const rate = req.count / req.arrival[req.count - 1];
    console.log(`measured rate ${rate.toFixed(2)}/s vs 50/s`);
    expect(Math.abs(rate / 50 - 1)).toBeLessThan(0.02);
    for (let i = 1; i < req.count; i++) expect(req.arrival[i]).toBeGreaterThan(req.arrival[i - 1]);
    // exponential gaps: the coefficient of variation of the gaps is 1
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < req.count; i++) {
      const g = req.arrival[i] - (i > 0 ? req.arrival[i - 1] : 0);
      s += g;
      s2 += g * g;
    }
    const mean = s / req.count;
    const cv = Math.sqrt(s2 / req.count - mean * mean) / mean;
    expect(Math.abs(cv - 1)).toBeLessThan(0.03);
  });

  it("is the same for the same seed and different for another", () => {
    const spec = {
      rate: 10,
      count: 100,
      promptTokens: { kind: "lognormal" as const, mean: 500, sigma: 1 },
      outputTokens: fixed(5),
      seed: 9,
    };
    expect(makeRequests(spec)).toEqual(makeRequests(spec));
    expect(makeRequests({ ...spec, seed: 10 }).prompt).not.toEqual(makeRequests(spec).prompt);
  });

  it("rejects a missing rate", () => {
    expect(() => makeRequests({ count: 5, promptTokens: fixed(1), outputTokens: fixed(1), seed: 1 })).toThrow(
      /rate must be a positive/,
    );
  });
});

describe("CSV traces", () => {
  it("reads rows with a header and comments, sorted by arrival", () => {
    const t = parseTrace(
      "# a trace\narrival_s,prompt,output\n0.5, 100, 10\n0.1,200,20\n\n0.3,300,30\n",
      "t.csv",
    );
    expect(Array.from(t.arrival)).toEqual([0.1, 0.3, 0.5]);
    expect(Array.from(t.prompt)).toEqual([200, 300, 100]);
    expect(Array.from(t.output)).toEqual([20, 30, 10]);
    const req = makeRequests(
      { count: 2, promptTokens: fixed(1), outputTokens: fixed(1), seed: 1, trace: "t.csv" },
      t,
    );
    expect(req.count).toBe(2);
  });

  it("names the file and line of a bad row", () => {
    const cases: [string, RegExp, number][] = [
      ["0,100,10\n1,abc,5\n", /prompt tokens is "abc"/, 2],
      ["0,100,10\n\n2,100\n", /has 2 column/, 3],
      ["0,100,10\n-1,100,10\n", /arrival time/, 2],
      ["0,100,1.5\n", /output tokens is "1.5"; expected a whole number/, 1],
    ];
    for (const [text, msg, line] of cases) {
      try {
        parseTrace(text, "trace.csv");
        expect.unreachable("no error");
      } catch (e) {
        expect(e).toBeInstanceOf(WeftError);
        expect((e as WeftError).message).toMatch(msg);
        expect((e as WeftError).toString()).toMatch(new RegExp(`^trace\\.csv:${line}:1: `));
      }
    }
    expect(() => parseTrace("# nothing\n", "empty.csv")).toThrow(/no requests/);
  });

  it("reads quoted cells and CRLF lines as CSV does; a broken quote names its line", () => {
    const t = parseTrace('"arrival, s","prompt","output"\r\n"0.2","64","8"\r\n0.1,32,4\r\n', "q.csv");
    expect(Array.from(t.arrival)).toEqual([0.1, 0.2]);
    expect(Array.from(t.prompt)).toEqual([32, 64]);
    try {
      parseTrace('0,1,1\n1,2,2\n"2,3,3\n', "broken.csv");
      expect.unreachable("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(WeftError);
      expect((e as WeftError).toString()).toMatch(/^broken\.csv:\d+: trace is not valid CSV/);
    }
  });
});
