/**
 * sweep-grid-2000: `weft sweep` of bench/sweeps/grid-2000.yaml — 2,000 training points (GPT-3 175B on
 * 1,024 H100, 10 fabrics x 200 setups) at analytical fidelity on the worker-thread pool, every point
 * written to a fresh results store, then ranked. Target: under 60 s on a 2-core machine. Quick: the first
 * 200 points (one fabric).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openStore } from "../../src/store/index.js";
import { poolExecutor } from "../../src/sweep/pool.js";
import { runSweep } from "../../src/sweep/run-sweep.js";
import { loadSweep } from "../../src/sweep/spec.js";
import type { BenchCase } from "../case.js";

export const GRID_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../sweeps/grid-2000.yaml",
);

const benchCase: BenchCase = {
  name: "sweep-grid-2000",
  description: "weft sweep: 2,000 training points of GPT-3 175B on 1,024 H100 (analytical, pool, store)",
  targetS: 60,
  quick: true,
  async run({ quick }) {
    const spec = loadSweep(GRID_FILE);
    if (quick) spec.axes[0].values = [1];
    if (quick) spec.axes[1].values = ["400Gbps"];
    const dir = mkdtempSync(path.join(tmpdir(), "weft-bench-sweep-"));
    const store = await openStore(path.join(dir, "bench.duckdb"));
    try {
      const s = await runSweep(spec, { store, executor: poolExecutor(availableParallelism()) });
      return {
        extra: {
          points: s.ran,
          failed: s.errors,
          frontier: s.ranked.frontier.length,
          threads: availableParallelism(),
        },
      };
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default benchCase;
