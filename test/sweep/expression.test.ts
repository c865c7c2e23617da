import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ExpressionError,
  evaluate,
  namesOf,
  parseExpression,
  type Value,
} from "../../src/sweep/expression.js";

const env: Record<string, Value> = {
  tp: 8,
  pp: 4,
  "cluster.groups[0].nics.bandwidth": "400Gbps",
  topology: "fat-tree",
};
const value = (src: string) => evaluate(parseExpression(src), (n) => env[n]);

describe("sweep expressions", () => {
  it("follow arithmetic precedence and compare quantities in SI units", () => {
    expect(value("512 / (tp * pp)")).toBe(16);
    expect(value("1 + 2 * 3 - 4 % 3")).toBe(6);
    expect(value("tp * pp <= 32 && !(tp < 8)")).toBe(true);
    expect(value("cluster.groups[0].nics.bandwidth >= 400Gbps")).toBe(true);
    expect(value("cluster.groups[0].nics.bandwidth == 50GB/s")).toBe(true);
    expect(value("cluster.groups[0].nics.bandwidth > 400Gbps or tp == 8")).toBe(true);
    expect(value("topology == 'fat-tree' and not (pp > 4)")).toBe(true);
    expect(value("max(tp, pp) + min(1, 2) + floor(2.7) + log2(tp)")).toBe(14);
    expect(namesOf(parseExpression("tp * pp < cluster.groups[0].nodes"))).toEqual([
      "tp",
      "pp",
      "cluster.groups[0].nodes",
    ]);
  });

  it("agrees with JavaScript on integer arithmetic", () => {
    const ops = ["+", "-", "*"] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: -1000, max: 1000 }),
        fc.constantFrom(...ops),
        fc.constantFrom(...ops),
        fc.integer({ min: -1000, max: 1000 }),
        (a, b, o1, o2, c) => {
          const src = `${a} ${o1} ${b} ${o2} ${c}`.replaceAll("- -", "+ ");
          // biome-ignore lint/security/noGlobalEval: the oracle for a handful of integers and + - *
          expect(evaluate(parseExpression(src), () => 0)).toBe(eval(src));
        },
      ),
    );
  });

  it("reports syntax errors with the column", () => {
    const at = (src: string) => {
      try {
        parseExpression(src);
      } catch (e) {
        return [(e as ExpressionError).column, (e as Error).message];
      }
      return undefined;
    };
    expect(at("tp * * pp")).toEqual([6, 'expected a number, a name or "(", found "*"']);
    expect(at("(tp")).toEqual([4, 'expected ")", found "end of the expression"']);
    expect(at("sqrt(tp)")?.[1]).toMatch(/unknown function "sqrt"/);
    expect(at("3Gbananas")?.[1]).toMatch(/not a number or a quantity/);
  });
});
