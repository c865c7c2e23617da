/** `workload.traffic`: raw network patterns between endpoints. */
import { inputFileProblem } from "../files/read-input.js";
import { type Ctx, fail, n, scenarioFile } from "./context.js";
import type { RawTraffic } from "./schema.js";
import type { GroupSpec, TrafficWorkload } from "./types.js";

const W = ["workload", "traffic"];

/** Endpoints a traffic pattern runs between: every accelerator, and every node of the other groups. */
export function trafficEndpoints(groups: GroupSpec[]): number {
  return groups.reduce((s, g) => s + g.nodes * (g.kind === "accelerator" ? g.acceleratorsPerNode : 1), 0);
}

/**
 * `workload.traffic` (or a job's `traffic:`): a pattern among the cluster's endpoints, or among `among` —
 * a job's own accelerators, named `who` in messages.
 */
export function normalizeTraffic(
  raw: RawTraffic,
  groups: GroupSpec[],
  ctx: Ctx,
  among?: { count: number; who: string },
): TrafficWorkload {
  if (raw.pattern === "file") {
    if (raw.file === undefined) {
      fail(ctx, W, `pattern: file needs "file", an htsim connection matrix (relative to the scenario file)`);
    }
    if (raw.senders !== undefined)
      fail(ctx, [...W, "senders"], "senders applies to pattern: incast only", "key");
    const file = scenarioFile(ctx, [...W, "file"], raw.file);
    const problem = inputFileProblem(file);
    if (problem)
      fail(
        ctx,
        [...W, "file"],
        `traffic file ${file}: ${problem}; expected an htsim connection matrix (paths are relative to the scenario file)`,
      );
    // Sizes come from the file; `size` is unused there.
    return { kind: "traffic", pattern: "file", size: raw.size ?? 0, file };
  }
  if (raw.file !== undefined)
    fail(ctx, [...W, "file"], `"file" applies to pattern: file, not ${raw.pattern}`, "key");
  if (raw.size === undefined)
    fail(ctx, W, `missing required key "size" in workload.traffic; expected the bytes per flow, such as 2MB`);
  const endpoints = among?.count ?? trafficEndpoints(groups);
  const who = among?.who ?? "the cluster";
  if (endpoints < 2) fail(ctx, W, `traffic needs at least 2 endpoints; ${who} has ${endpoints}`);
  if (raw.pattern !== "incast") {
    if (raw.senders !== undefined)
      fail(ctx, [...W, "senders"], `senders applies to pattern: incast only, not ${raw.pattern}`, "key");
    return { kind: "traffic", pattern: raw.pattern, size: raw.size };
  }
  const senders = raw.senders ?? endpoints - 1;
  if (senders >= endpoints) {
    fail(
      ctx,
      [...W, "senders"],
      `incast: ${n(senders)} senders need at least ${n(senders + 1)} endpoints (one receiver), but ${who} has ${n(endpoints)}; expected senders < ${n(endpoints)}`,
    );
  }
  return { kind: "traffic", pattern: "incast", size: raw.size, senders };
}
