/**
 * Where a measured run's ranks sit on the scenario's cluster: host i of the file (in the order its rank
 * lines first name it) on node i of the first accelerator group, its ranks on that node's first
 * accelerators. A file that lists no ranks ran on the first N accelerators (filling node after node).
 * The tier a run measures follows from this placement, so it takes the file's own hosts and ranks per
 * host, not the scenario's accelerators per node.
 */
import { WeftError } from "../errors.js";
import type { Fabric, GroupInfo } from "../topology/fabric.js";
import type { HostRanks } from "./nccl-tests.js";

export interface RunShape {
  file: string;
  ranks: number;
  hostRanks?: HostRanks[];
}

/** Global accelerator ranks of the scenario's fabric the run's ranks stand for, in rank order. */
export function placeRanks(fabric: Fabric, run: RunShape): Int32Array {
  const group = fabric.groups.find((g) => g.kind === "accelerator");
  if (!run.hostRanks || !group) return firstRanks(fabric, run);
  const hosts = run.hostRanks;
  if (hosts.length > group.servers) {
    const names = hosts.map((h) => h.host).join(", ");
    mismatch(
      run,
      `the run spans ${hosts.length} hosts (${names}), but group "${group.name}" has ${group.servers} node${group.servers === 1 ? "" : "s"}`,
      hosts[group.servers].line,
    );
  }
  const perNode = group.endpoints.length / group.servers;
  const out: number[] = [];
  hosts.forEach((h, i) => {
    if (h.ranks > perNode) {
      mismatch(
        run,
        `${h.ranks} ranks ran on host ${h.host}, but a node of group "${group.name}" has ${perNode} accelerators`,
        h.line,
      );
    }
    for (let d = 0; d < h.ranks; d++) out.push(nodeRank(group, perNode, i, d));
  });
  return Int32Array.from(out);
}

function nodeRank(group: GroupInfo, perNode: number, node: number, local: number): number {
  return group.firstRank + node * perNode + local;
}

function firstRanks(fabric: Fabric, run: RunShape): Int32Array {
  if (run.ranks > fabric.accelerators.count) {
    mismatch(
      run,
      `${run.ranks} ranks, but the scenario's cluster has ${fabric.accelerators.count} accelerators`,
    );
  }
  return Int32Array.from({ length: run.ranks }, (_, i) => i);
}

/** `line`: the first rank line of the host that does not fit, where the file lists its ranks. */
function mismatch(run: RunShape, what: string, line?: number): never {
  throw new WeftError(
    `${what}; the run cannot be placed on the scenario's cluster. Expected a scenario of the cluster the run was measured on`,
    { file: run.file, ...(line !== undefined ? { line, col: 1 } : {}) },
  );
}
