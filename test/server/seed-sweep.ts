// A small real sweep in a store file: the quickstart at three oversubscriptions and two NIC speeds, each
// point run through the core and stored as `weft sweep` stores it.
import { planSummary } from "../../src/report/plan.js";
import { run } from "../../src/run.js";
import { parseScenario } from "../../src/scenario/load.js";
import { scenarioHash } from "../../src/store/hash.js";
import { pointMetrics } from "../../src/store/metrics.js";
import { openStore, type PointRow } from "../../src/store/store.js";
import { buildScenarioFabric } from "../../src/topology/build.js";
import { example } from "./helpers.js";

export const SWEEP_ID = "quickstart-fabrics";

export async function seedSweep(file: string): Promise<PointRow[]> {
  const rows: PointRow[] = [];
  for (const oversubscription of [1, 2, 4])
    for (const nic of ["200Gbps", "400Gbps"]) {
      const text = example("quickstart")
        .replace("oversubscription: 1", `oversubscription: ${oversubscription}`)
        .replace("bandwidth: 400Gbps", `bandwidth: ${nic}`)
        .replace("sizes: [1MiB, 4GiB]", "sizes: [256MiB, 1GiB]")
        .replace("fidelity: flow", "fidelity: analytical");
      const scenario = parseScenario(text);
      const results = await run(scenario);
      const plan = planSummary(buildScenarioFabric(scenario), scenario);
      rows.push({
        hash: scenarioHash(scenario),
        sweep: SWEEP_ID,
        name: `oversubscription ${oversubscription}, ${nic}`,
        kind: results.kind,
        fidelity: results.fidelity,
        status: "ok",
        inputs: {
          "cluster.scaleOut.oversubscription": oversubscription,
          "cluster.groups[0].nics.bandwidth": nic,
        },
        metrics: pointMetrics(results, plan, scenario),
        results,
        wallS: results.wallS,
      });
    }
  const store = await openStore(file);
  try {
    await store.putPoints(rows);
    await store.putSweep({
      id: SWEEP_ID,
      name: "Quickstart: oversubscription x NIC speed",
      spec: { objectives: { minimize: ["plan.costUsd"], maximize: ["busbwGBps"] } },
      points: rows.length,
    });
    await store.linkSweepPoints(
      SWEEP_ID,
      rows.map((r) => ({ hash: r.hash, inputs: r.inputs })),
    );
  } finally {
    store.close();
  }
  return rows;
}
