// Scale-up partitions: an NVL72 cut into partitions runs two TP jobs that do not contend; sizes the hardware
// does not allow are refused with the allowed ones named; a UALink pod takes any subset.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { collectiveTime, concurrentCollectiveTime } from "../../src/collectives/run.js";
import {
  allowedSizes,
  cutPartitions,
  partitionRule,
  scaleUpFamily,
} from "../../src/control/partitions/scale-up.js";
import { setupNetwork } from "../../src/run.js";
import { loadScenario } from "../../src/scenario/load.js";
import { REPO_ROOT } from "../helpers/data.js";

const example = (f: string) => loadScenario(path.join(REPO_ROOT, "examples", f));

describe("NVL72 partitions", () => {
  const scenario = example("gb200-nvl72-allgather.yaml");
  scenario.simulation = { ...scenario.simulation, fidelity: "flow" };
  const { fabric, collectives } = setupNetwork(scenario);
  const g = scenario.cluster.groups[0];
  const scaleUp = {
    family: scaleUpFamily(g.scaleUp!.id, g.accelerator?.vendor),
    bandwidth: g.scaleUp!.bandwidth,
  };

  it("allows whole trays of 4 and 1 or 2 GPUs of a tray", () => {
    expect(scaleUp.family).toBe("nvlink");
    const sizes = allowedSizes(partitionRule(fabric, 0, scaleUp.family, 4));
    expect(sizes.slice(0, 5)).toEqual([1, 2, 4, 8, 12]);
    expect(sizes.at(-1)).toBe(72);
    expect(sizes).not.toContain(5);
  });

  it("runs two TP jobs on two partitions of one rack without contention", () => {
    const [a, b] = cutPartitions(fabric, 0, [8, 8, 56], scaleUp, 4);
    expect(a.bandwidthPerAccelerator).toBe(g.scaleUp!.bandwidth);
    const bytes = 256 * 2 ** 20;
    const alone = collectiveTime(collectives, "all-reduce", a.ranks, bytes, "ring").timeS;
    const together = concurrentCollectiveTime(
      collectives,
      "all-reduce",
      [a.ranks, b.ranks],
      bytes,
      "ring",
    ).timeS;
    console.log(
      `TP all-reduce 256 MiB on 8 GPUs: alone ${(alone * 1e3).toFixed(3)} ms, beside a second partition ${(together * 1e3).toFixed(3)} ms`,
    );
    expect(together).toBeCloseTo(alone, 12);
    // The same two jobs split across two racks share the scale-out fabric instead, and are slower.
    const crossA = Int32Array.from([...a.ranks.slice(0, 4), 72, 73, 74, 75]);
    expect(collectiveTime(collectives, "all-reduce", crossA, bytes, "ring").timeS).toBeGreaterThan(alone);
  });

  it("refuses a partition size the hardware does not allow, naming the allowed ones", () => {
    expect(() => cutPartitions(fabric, 0, [5], scaleUp, 4)).toThrow(
      "5 accelerators is not a partition the hardware allows; allowed: whole trays of 4 (4, 8, …, 72) or 1 or 2 accelerators of one tray",
    );
    expect(() => cutPartitions(fabric, 0, [64, 12], scaleUp, 4)).toThrow("do not fit its 72");
  });
});

describe("UALink virtual pods", () => {
  it("cut a pod into any subsets of its accelerators", () => {
    const scenario = example("ualink-pod.yaml");
    const { fabric } = setupNetwork(scenario);
    const g = scenario.cluster.groups[0];
    const family = scaleUpFamily(g.scaleUp!.id, g.accelerator?.vendor);
    const parts = cutPartitions(
      fabric,
      0,
      [3, 5, 120],
      { family, bandwidth: g.scaleUp!.bandwidth },
      g.acceleratorsPerNode,
    );
    expect(parts.map((p) => p.ranks[0])).toEqual([0, 3, 8]);
    expect(parts[2].bandwidth).toBe(120 * g.scaleUp!.bandwidth);
  });
});
