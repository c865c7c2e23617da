/**
 * export-16k: the configurations and plans of the 16,384-GPU DGX B200 SuperPOD-style fabric (build-16k's
 * cluster): one SONiC config_db.json per switch (1,280, each checked against the schema), the cabling CSV
 * (49,152 cables) and the host NIC plan, written atomically under a temporary folder. Target: under 10 s.
 * Quick: 2,048 GPUs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { builtinCatalog } from "../../src/catalog/index.js";
import { exportFabric } from "../../src/control/export/index.js";
import { writeExport } from "../../src/control/export/write.js";
import type { ClusterSpec } from "../../src/scenario/types.js";
import { buildFabric } from "../../src/topology/build.js";
import type { Fabric } from "../../src/topology/fabric.js";
import type { BenchCase } from "../case.js";
import { superPod } from "./build-16k.bench.js";

let input: { cluster: ClusterSpec; fabric: Fabric } | undefined;

const bench: BenchCase = {
  name: "export-16k",
  description:
    "SONiC configs (schema-checked), cabling CSV and host plan of a 16,384-GPU fabric, written to disk",
  targetS: 10,
  quick: true,
  prepare({ quick }) {
    const cluster = superPod(quick ? 256 : 2048);
    input = { cluster, fabric: buildFabric(cluster) };
    // Warm-up on a small fabric, as harnesses run warm-up iterations.
    const small = superPod(64);
    const subject = { name: "warm-up", cluster: small, catalog: builtinCatalog() };
    for (const format of ["sonic", "cabling", "hosts"] as const) {
      exportFabric(subject, buildFabric(small), format, { warnings: [] });
    }
  },
  run() {
    if (!input) throw new Error("prepare first");
    const subject = { name: "export-16k", cluster: input.cluster, catalog: builtinCatalog() };
    const out = mkdtempSync(path.join(tmpdir(), "weft-export-bench-"));
    try {
      let files = 0;
      for (const format of ["sonic", "cabling", "hosts"] as const) {
        files += writeExport(exportFabric(subject, input.fabric, format, { warnings: [] }), out).length;
      }
      return { extra: { files, accelerators: input.fabric.accelerators.count } };
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
};

export default bench;
