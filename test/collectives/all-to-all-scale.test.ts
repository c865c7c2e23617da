/**
 * All-to-all cost grows smoothly with the number of ranks on a fixed fabric: past the flow cap the direct
 * algorithm samples peers inside one concurrent phase (direct.ts) instead of switching to sequential
 * rounds, which made 65 ranks cost ~3× as much as 64 on the flow engine.
 */
import { describe, expect, it } from "vitest";
import { MAX_CONCURRENT_FLOWS } from "../../src/collectives/direct.js";
import { collectiveTime } from "../../src/collectives/index.js";
import { type Built, cluster, firstRanks } from "./helpers.js";

const PER_RANK = 64 * 2 ** 20;

/** Seconds per byte a rank sends (S·(n−1)/n of its S-byte buffer). */
function perByte(b: Built, fidelity: "analytical" | "flow", n: number): number {
  const t = collectiveTime(b.ctx(fidelity), "all-to-all", firstRanks(n), PER_RANK, "direct").timeS;
  return t / ((PER_RANK * (n - 1)) / n);
}

function largestJump(b: Built, fidelity: "analytical" | "flow", ns: number[]): { n: number; ratio: number } {
  let worst = { n: 0, ratio: 1 };
  for (const n of ns) {
    const a = perByte(b, fidelity, n);
    const c = perByte(b, fidelity, n + 1);
    const ratio = Math.max(a / c, c / a);
    if (ratio > worst.ratio) worst = { n, ratio };
  }
  return worst;
}

describe("all-to-all at scale", () => {
  it("one rank per server: per-byte time never jumps by more than 1.3× from n to n+1, n = 8..1,024", () => {
    const b = cluster({ nodes: 1040, perNode: 1, nics: 1, topology: "fat-tree" });
    const ns = Array.from({ length: 1017 }, (_, i) => 8 + i);
    const worst = largestJump(b, "analytical", ns);
    expect(worst.ratio, `n = ${worst.n}`).toBeLessThanOrEqual(1.3);
  });

  it("eight ranks per server: no jump above 1.3× once a step spans 8 servers (n = 64..1,024)", () => {
    // Below that, the rank alone on the last server is a real step: its NIC carries (n−1)/n of its bytes.
    const b = cluster({ nodes: 130, perNode: 8, topology: "fat-tree" });
    const ns = Array.from({ length: 961 }, (_, i) => 64 + i);
    const worst = largestJump(b, "analytical", ns);
    expect(worst.ratio, `n = ${worst.n}`).toBeLessThanOrEqual(1.3);
  });

  it("the flow engine has no cliff where the flow cap starts sampling", () => {
    const b = cluster({ nodes: 40, perNode: 8, topology: "fat-tree" });
    const cap = Math.floor(Math.sqrt(MAX_CONCURRENT_FLOWS)) + 1;
    const worst = largestJump(b, "flow", [cap - 1, cap, 128, 256]);
    expect(worst.ratio, `n = ${worst.n}`).toBeLessThanOrEqual(1.3);
  });

  it("sampling keeps the bytes: the closed form equals the all-pairs phase where both are exact", () => {
    // On a non-blocking fabric the closed form depends only on each rank's loads, which sampling keeps.
    const b = cluster({ nodes: 16, perNode: 8, topology: "fat-tree" });
    const t65 = perByte(b, "analytical", 65);
    const t64 = perByte(b, "analytical", 64);
    // 65 ranks: the lone rank on the ninth server sends 64/65 of its bytes over its NIC, 56/64 at 64 ranks.
    expect(t65 / t64).toBeCloseTo(64 / 65 / (56 / 64), 2);
  });
});
