/**
 * The serving tuner: the cheapest pools that meet a service's SLO on its own fabric. A design meets the
 * SLO when every request completes and its TTFT p99 and TPOT p99 are within `slo.ttft` and `slo.tpot`.
 *
 * Disaggregated serving is searched one pool at a time, since time to first token is mostly the prefill
 * pool's (queueing, prefill, the KV transfer) and time per output token the decode pool's:
 *   A. every prefill tp with instance counts up the ladder, decode as written → the fewest prefill
 *      instances per tp whose TTFT p99 meets the SLO;
 *   B. every decode tp likewise, prefill as written → the fewest decode instances per tp meeting TPOT;
 *   C. every pairing of those that fits the groups, run together; a pairing that misses TTFT takes the next
 *      prefill rung, one that misses TPOT the next decode rung, until it meets the SLO or runs out of room.
 * Co-located serving searches its one pool's tp and instances against both SLOs. Wherever a rung misses
 * and the next one meets, the counts between them are bisected, so the answer is the fewest instances that
 * meet the SLO rather than the cheapest rung; the pools as written are ranked too. Every point is a
 * store row, run at the scenario's fidelity (flow when it says packet: the search is many runs; analytical
 * cannot see KV transfers meet, it has no contention). The designs that meet the SLO are ranked by cost
 * per hour of their accelerators.
 *
 * The network's say: on an oversubscribed fabric, the cheapest designs that miss here run again on the
 * non-blocking twin (`oversubscription: 1`); when one of them meets the SLO there, the tuner says which
 * and why it misses here (its TTFT p99 and the KV transfers' share of it).
 */
import { positionedError } from "../errors.js";
import { parseScenario } from "../scenario/load.js";
import type { InferenceWorkload, InstancePool, Scenario } from "../scenario/types.js";
import { scenarioHash } from "../store/hash.js";
import type { Metrics } from "../store/metrics.js";
import type { PointRow } from "../store/store.js";
import { evaluate, type PointJob, type PointsOptions, type Written } from "./points.js";
import { groupAccelerators, instanceLadder, nextRung, perInstance, tpChoices } from "./serving-space.js";

export interface ServingDesign {
  prefill: { tp: number; instances: number };
  /** Absent for co-located serving. */
  decode?: { tp: number; instances: number };
}

export interface TunedServing {
  label: string;
  design: ServingDesign;
  accelerators: number;
  hash: string;
  metrics: Metrics;
  costUsdPerHour: number;
  meetsSlo: boolean;
  /** Why it misses the SLO ("" when it meets it). */
  miss: string;
}

export interface ServingTuneResult {
  kind: "inference";
  scenario: string;
  slo: { ttftS: number; tpotS: number };
  fidelity: string;
  /** Points run (or found in the store), and those that could not run, by reason. */
  evaluated: number;
  failed: { label: string; reason: string }[];
  /** Every design run together (stage C, or the co-located pool's), cheapest meeting the SLO first. */
  ranking: TunedServing[];
  /** The scenario's own pools, as written. */
  baseline: TunedServing;
  /** Each pool searched on its own (disaggregated: stages A and B), to say what one rung fewer misses. */
  probes: TunedServing[];
  winner?: TunedServing;
  /** On an oversubscribed fabric: a cheaper design that meets the SLO on the non-blocking twin (the twin's run). */
  nonBlockingWinner?: TunedServing;
  explanation: string;
  oversubscribed: boolean;
  wallS: number;
}

interface Candidate extends PointJob {
  design: ServingDesign;
  accelerators: number;
}

const MAX_BUMPS = 6;

export async function tuneServing(written: Written, o: PointsOptions): Promise<ServingTuneResult> {
  const started = performance.now();
  const { file, scenario, doc: base } = written;
  const w = scenario.workload;
  if (w.kind !== "inference") {
    throw positionedError({ file }, `tuneServing needs an inference workload, got ${w.kind}`);
  }
  const fidelity = scenario.simulation.fidelity === "analytical" ? "analytical" : "flow";
  const search = makeSearch(file, base, w, fidelity, o);
  const baseline = (await search.run([search.candidate(asWritten(w))]))[0];
  const probes: TunedServing[] = [];
  const together = w.decode
    ? await disaggregated(search, scenario, w, probes)
    : await colocated(search, scenario, w);
  // The pools as written are a candidate like any other: the ladder may not hold their counts.
  const ranking = rank([...together, baseline]);
  const winner = ranking.find((t) => t.meetsSlo);
  const so = scenario.cluster.scaleOut.oversubscription;
  const oversubscribed = so.leaf > 1 || so.spine > 1;
  const nonBlocking = oversubscribed ? await cheaperWithoutContention(search, ranking, winner) : undefined;
  return {
    kind: "inference",
    scenario: scenario.name,
    slo: { ttftS: w.slo.ttft, tpotS: w.slo.tpot },
    fidelity,
    evaluated: search.evaluated(),
    failed: search.failed,
    ranking,
    baseline,
    probes,
    ...(winner ? { winner } : {}),
    ...(nonBlocking ? { nonBlockingWinner: nonBlocking.twin } : {}),
    explanation: explainServing(winner, ranking, nonBlocking, oversubscribed, so, [...probes, ...ranking]),
    oversubscribed,
    wallS: (performance.now() - started) / 1000,
  };
}

function asWritten(w: InferenceWorkload): ServingDesign {
  return {
    prefill: { tp: w.prefill.tp, instances: w.prefill.instances },
    ...(w.decode ? { decode: { tp: w.decode.tp, instances: w.decode.instances } } : {}),
  };
}

/** Runs candidates through the store; keeps the count and the failures. */
function makeSearch(
  file: string,
  base: Record<string, unknown>,
  w: InferenceWorkload,
  fidelity: string,
  o: PointsOptions,
) {
  const progress = { done: 0, total: 0 };
  const seen = new Set<string>();
  const failed: { label: string; reason: string }[] = [];
  const candidate = (design: ServingDesign, nonBlocking = false): Candidate => {
    const doc = servingDocument(base, design, fidelity, nonBlocking);
    const s = parseScenario(JSON.stringify(doc), file);
    const label = `${designLabel(design)}${nonBlocking ? " (non-blocking)" : ""}`;
    return {
      label,
      design,
      accelerators: acceleratorsOf(w, design),
      task: { hash: scenarioHash(s), doc, file, scenario: s },
    };
  };
  const run = async (cs: Candidate[]): Promise<TunedServing[]> => {
    const fresh = cs.filter((c) => !seen.has(c.task.hash));
    for (const c of fresh) seen.add(c.task.hash);
    progress.total += fresh.length;
    const rows = await evaluate(cs, o, progress, "serving");
    return cs.map((c) => tuned(c, rows.get(c.task.hash), w, failed));
  };
  return { candidate, run, failed, evaluated: () => seen.size };
}

type Search = ReturnType<typeof makeSearch>;

function tuned(
  c: Candidate,
  row: PointRow | undefined,
  w: InferenceWorkload,
  failed: { label: string; reason: string }[],
): TunedServing {
  const ok = row?.status === "ok";
  if (!ok && !failed.some((f) => f.label === c.label)) {
    failed.push({ label: c.label, reason: row?.reason ?? "not run" });
  }
  const metrics = ok ? row.metrics : {};
  const miss = ok ? missOf(metrics, w) : (row?.reason ?? "not run");
  return {
    label: c.label,
    design: c.design,
    accelerators: c.accelerators,
    hash: c.task.hash,
    metrics,
    costUsdPerHour: metrics.costUsdPerHour ?? Number.POSITIVE_INFINITY,
    meetsSlo: ok && miss === "",
    miss,
  };
}

/** What a run misses of its SLO, "" when nothing. */
function missOf(m: Metrics, w: InferenceWorkload): string {
  const out: string[] = [];
  const requests = m.requests ?? w.requests.count;
  if ((m.completed ?? requests) < requests) out.push(`${requests - (m.completed ?? 0)} requests unfinished`);
  const ttft = m["ttftS.p99"] ?? Number.POSITIVE_INFINITY;
  const tpot = m["tpotS.p99"] ?? Number.POSITIVE_INFINITY;
  if (ttft > w.slo.ttft) out.push(`TTFT p99 ${overTarget(ttft, w.slo.ttft)}`);
  if (tpot > w.slo.tpot) out.push(`TPOT p99 ${overTarget(tpot, w.slo.tpot)}`);
  return out.join(", ");
}

function ms(s: number): string {
  return s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(1)} ms`;
}

/** `25.03 ms > 25.0 ms`: the measured time with as many digits as it takes to differ from the target. */
export function overTarget(value: number, target: number): string {
  const unit = target >= 1 ? 1 : 1e-3;
  const name = unit === 1 ? "s" : "ms";
  let digits = unit === 1 ? 2 : 1;
  while (digits < 6 && (value / unit).toFixed(digits) === (target / unit).toFixed(digits)) digits++;
  return `${(value / unit).toFixed(digits)} ${name} > ${(target / unit).toFixed(unit === 1 ? 2 : 1)} ${name}`;
}

/** The scenario document with the design's pools (and, for the what-if, a non-blocking scale-out). */
function servingDocument(
  base: Record<string, unknown>,
  d: ServingDesign,
  fidelity: string,
  nonBlocking: boolean,
): Record<string, unknown> {
  const doc = structuredClone(base);
  const inference = (doc.workload as { inference: Record<string, Record<string, unknown>> }).inference;
  inference.prefill = { ...inference.prefill, tp: d.prefill.tp, instances: d.prefill.instances };
  if (d.decode) inference.decode = { ...inference.decode, tp: d.decode.tp, instances: d.decode.instances };
  doc.simulation = { ...((doc.simulation as object) ?? {}), fidelity };
  if (nonBlocking) {
    const cluster = doc.cluster as { scaleOut: Record<string, unknown> };
    cluster.scaleOut = { ...cluster.scaleOut, oversubscription: 1 };
  }
  return doc;
}

export function designLabel(d: ServingDesign): string {
  const pool = (p: { tp: number; instances: number }) => `${p.instances}×tp${p.tp}`;
  return d.decode ? `prefill ${pool(d.prefill)} + decode ${pool(d.decode)}` : pool(d.prefill);
}

function acceleratorsOf(w: InferenceWorkload, d: ServingDesign): number {
  const p = d.prefill.instances * perInstance(w.prefill, d.prefill.tp);
  return p + (d.decode && w.decode ? d.decode.instances * perInstance(w.decode, d.decode.tp) : 0);
}

/** Most instances of `pool` at `tp` beside `taken` accelerators of the same group. */
function roomFor(scenario: Scenario, pool: InstancePool, tp: number, taken: number): number {
  return Math.floor((groupAccelerators(scenario, pool) - taken) / perInstance(pool, tp));
}

/** Accelerators the other pool takes from `pool`'s group (0 when it is elsewhere). */
function takenBy(
  other: InstancePool | undefined,
  pool: InstancePool,
  shape?: { tp: number; instances: number },
) {
  if (!other || other.group !== pool.group) return 0;
  const s = shape ?? other;
  return s.instances * perInstance(other, s.tp);
}

async function disaggregated(
  search: Search,
  scenario: Scenario,
  w: InferenceWorkload,
  probes: TunedServing[],
): Promise<TunedServing[]> {
  const decode = w.decode as InstancePool;
  const written = asWritten(w);
  // A and B: each pool's own ladder beside the other as written, all in one batch.
  const prefillRungs = tpChoices(scenario, w, w.prefill).flatMap((tp) =>
    instanceLadder(roomFor(scenario, w.prefill, tp, takenBy(decode, w.prefill))).map((n) => ({ tp, n })),
  );
  const decodeRungs = tpChoices(scenario, w, decode).flatMap((tp) =>
    instanceLadder(roomFor(scenario, decode, tp, takenBy(w.prefill, decode))).map((n) => ({ tp, n })),
  );
  const a = prefillRungs.map(({ tp, n }) => search.candidate({ ...written, prefill: { tp, instances: n } }));
  const b = decodeRungs.map(({ tp, n }) => search.candidate({ ...written, decode: { tp, instances: n } }));
  const results = await search.run([...a, ...b]);
  const within = (t: TunedServing, key: string, limit: number) =>
    !/unfinished/.test(t.miss) && (t.metrics[key] ?? Number.POSITIVE_INFINITY) <= limit;
  const ttftOk = (t: TunedServing) => within(t, "ttftS.p99", w.slo.ttft);
  const tpotOk = (t: TunedServing) => within(t, "tpotS.p99", w.slo.tpot);
  // Then the counts between the ladder's rungs, down to the fewest per tp.
  const prefillRuns = results.slice(0, a.length);
  const decodeRuns = results.slice(a.length);
  prefillRuns.push(...(await bisect(search, ladderBrackets(prefillRuns, "prefill", ttftOk), ttftOk)));
  decodeRuns.push(...(await bisect(search, ladderBrackets(decodeRuns, "decode", tpotOk), tpotOk)));
  probes.push(...prefillRuns, ...decodeRuns);
  const prefillBest = fewest(prefillRuns, "prefill", ttftOk);
  const decodeBest = fewest(decodeRuns, "decode", tpotOk);
  // C: every pairing that fits, run together, bumped on the side it misses.
  let pairs: ServingDesign[] = [];
  for (const [tpP, nP] of prefillBest)
    for (const [tpD, nD] of decodeBest)
      pairs.push({ prefill: { tp: tpP, instances: nP }, decode: { tp: tpD, instances: nD } });
  pairs = pairs.filter((d) => fits(scenario, w, d));
  const done: TunedServing[] = [];
  const brackets: Bracket[] = [];
  const parents = new Map<string, { from: TunedServing; pool: Pool }>();
  let cheapest = Number.POSITIVE_INFINITY;
  for (let round = 0; round <= MAX_BUMPS && pairs.length > 0; round++) {
    const ran = await search.run(pairs.map((d) => search.candidate(d)));
    done.push(...ran);
    cheapest = Math.min(cheapest, cheapestOf(ran));
    // Only designs that could still beat the cheapest one found are worth a run.
    const next = new Map<string, ServingDesign>();
    for (const t of ran) {
      const parent = parents.get(t.label);
      if (t.meetsSlo && parent) {
        // A bump that met jumped from a count that missed: the counts between are untried.
        const miss = instancesOf(parent.from.design, parent.pool);
        brackets.push({ design: t.design, pool: parent.pool, miss, hit: instancesOf(t.design, parent.pool) });
      }
      if (t.meetsSlo) continue;
      for (const { design, pool } of bumped(scenario, w, t))
        if (costOf(scenario, w, design) < cheapest) {
          next.set(designLabel(design), design);
          parents.set(designLabel(design), { from: t, pool });
        }
    }
    pairs = [...next.values()];
  }
  const cost = (d: ServingDesign) => costOf(scenario, w, d);
  return [...done, ...(await bisect(search, brackets, (t) => t.meetsSlo, { cost, cheapest }))];
}

/** The fewest instances of `pool` per tp among `from` that pass `ok`. */
function fewest(from: TunedServing[], pool: Pool, ok: (t: TunedServing) => boolean): Map<number, number> {
  const best = new Map<number, number>();
  for (const t of from) {
    const s = t.design[pool] as { tp: number; instances: number };
    if (ok(t) && !(s.instances >= (best.get(s.tp) ?? Number.POSITIVE_INFINITY))) best.set(s.tp, s.instances);
  }
  return best;
}

/**
 * The designs to try after `t` missed: a TPOT miss takes the next decode rung; a TTFT miss the next prefill
 * rung, or the next decode rung (a request's KV waits for room in a decode instance's memory before it
 * moves, so too little decode shows as a late first token).
 */
function bumped(
  scenario: Scenario,
  w: InferenceWorkload,
  t: TunedServing,
): { design: ServingDesign; pool: Pool }[] {
  if (!t.design.decode || !w.decode) return [];
  const d = t.design;
  const decode = d.decode as { tp: number; instances: number };
  const morePrefill = () => {
    const room = roomFor(scenario, w.prefill, d.prefill.tp, takenBy(w.decode, w.prefill, decode));
    const n = nextRung(d.prefill.instances, room);
    return n === undefined ? undefined : { design: withInstances(d, "prefill", n), pool: "prefill" as const };
  };
  const moreDecode = () => {
    const room = roomFor(
      scenario,
      w.decode as InstancePool,
      decode.tp,
      takenBy(w.prefill, w.decode as InstancePool, d.prefill),
    );
    const n = nextRung(decode.instances, room);
    return n === undefined ? undefined : { design: withInstances(d, "decode", n), pool: "decode" as const };
  };
  const out: ({ design: ServingDesign; pool: Pool } | undefined)[] = [];
  if (/TTFT|unfinished/.test(t.miss)) out.push(morePrefill(), moreDecode());
  else if (/TPOT/.test(t.miss)) out.push(moreDecode());
  return out.filter(
    (x): x is { design: ServingDesign; pool: Pool } => x !== undefined && fits(scenario, w, x.design),
  );
}

/** Accelerator cost per hour of a design, at its groups' prices. */
function costOf(scenario: Scenario, w: InferenceWorkload, d: ServingDesign): number {
  const price = (pool: InstancePool) =>
    scenario.cluster.groups.find((g) => g.name === pool.group)?.priceUsdPerHour ?? 0;
  let usd = d.prefill.instances * perInstance(w.prefill, d.prefill.tp) * price(w.prefill);
  if (d.decode && w.decode) usd += d.decode.instances * perInstance(w.decode, d.decode.tp) * price(w.decode);
  return usd;
}

function fits(scenario: Scenario, w: InferenceWorkload, d: ServingDesign): boolean {
  const p = d.prefill.instances * perInstance(w.prefill, d.prefill.tp);
  if (!d.decode || !w.decode) return p <= groupAccelerators(scenario, w.prefill);
  const q = d.decode.instances * perInstance(w.decode, d.decode.tp);
  if (w.decode.group === w.prefill.group) return p + q <= groupAccelerators(scenario, w.prefill);
  return p <= groupAccelerators(scenario, w.prefill) && q <= groupAccelerators(scenario, w.decode);
}

async function colocated(search: Search, scenario: Scenario, w: InferenceWorkload): Promise<TunedServing[]> {
  const designs = tpChoices(scenario, w, w.prefill).flatMap((tp) =>
    instanceLadder(roomFor(scenario, w.prefill, tp, 0)).map((n) => ({ prefill: { tp, instances: n } })),
  );
  const ran = await search.run(designs.map((d) => search.candidate(d)));
  const meets = (t: TunedServing) => t.meetsSlo;
  const between = await bisect(search, ladderBrackets(ran, "prefill", meets), meets, {
    cost: (d) => costOf(scenario, w, d),
    cheapest: cheapestOf(ran),
  });
  return [...ran, ...between];
}

type Pool = "prefill" | "decode";

/** A pool's instance count that missed (`miss`) and a larger one that met (`hit`), the rest of `design` fixed. */
interface Bracket {
  design: ServingDesign;
  pool: Pool;
  miss: number;
  hit: number;
}

function instancesOf(d: ServingDesign, pool: Pool): number {
  return d[pool]?.instances ?? 0;
}

/** `d` with `n` instances of `pool`. */
function withInstances(d: ServingDesign, pool: Pool, n: number): ServingDesign {
  const shape = d[pool] as { tp: number; instances: number };
  return { ...d, [pool]: { ...shape, instances: n } };
}

function cheapestOf(ts: TunedServing[]): number {
  return Math.min(...ts.filter((t) => t.meetsSlo).map((t) => t.costUsdPerHour));
}

/**
 * Where a ladder of `pool`'s instance counts (the rest of each design fixed) first meets `ok`, and the
 * rung below, which missed: the counts between them are untried.
 */
function ladderBrackets(runs: TunedServing[], pool: Pool, ok: (t: TunedServing) => boolean): Bracket[] {
  const ladders = new Map<string, TunedServing[]>();
  for (const t of runs) {
    const key = designLabel(withInstances(t.design, pool, 0));
    ladders.set(key, [...(ladders.get(key) ?? []), t]);
  }
  const out: Bracket[] = [];
  for (const ladder of ladders.values()) {
    ladder.sort((a, b) => instancesOf(a.design, pool) - instancesOf(b.design, pool));
    const i = ladder.findIndex(ok);
    if (i > 0) {
      const [miss, hit] = [ladder[i - 1], ladder[i]].map((t) => instancesOf(t.design, pool));
      out.push({ design: ladder[i].design, pool, miss, hit });
    }
  }
  return out;
}

/**
 * The fewest instances that meet `ok` inside each bracket, by bisection, every bracket's next count in one
 * batch. Bisection takes meeting the SLO as monotone in a pool's instance count at a fixed shape: more
 * instances split the same requests, so each one queues and batches fewer of them, and TTFT and TPOT do
 * not grow. Where the simulation's noise breaks that near the SLO, the answer may be a count or two high. With `prune`, a bracket stops once its fewest untried count costs no less
 * than the cheapest design found that meets the whole SLO: nothing in it could be the answer.
 */
async function bisect(
  search: Search,
  brackets: Bracket[],
  ok: (t: TunedServing) => boolean,
  prune?: { cost: (d: ServingDesign) => number; cheapest: number },
): Promise<TunedServing[]> {
  const out: TunedServing[] = [];
  let cheapest = prune?.cheapest ?? Number.POSITIVE_INFINITY;
  const open = (b: Bracket) =>
    b.hit - b.miss > 1 && !(prune && prune.cost(withInstances(b.design, b.pool, b.miss + 1)) >= cheapest);
  let left = brackets.filter(open);
  while (left.length > 0) {
    const mids = left.map((b) => Math.floor((b.miss + b.hit) / 2));
    const ran = await search.run(
      left.map((b, i) => search.candidate(withInstances(b.design, b.pool, mids[i]))),
    );
    out.push(...ran);
    cheapest = Math.min(cheapest, cheapestOf(ran));
    left = left.map((b, i) => (ok(ran[i]) ? { ...b, hit: mids[i] } : { ...b, miss: mids[i] })).filter(open);
  }
  return out;
}

/** Designs meeting the SLO first, cheapest first (then lower TTFT p99); then the rest, cheapest first. */
function rank(ts: TunedServing[]): TunedServing[] {
  const byHash = new Map(ts.map((t) => [t.hash, t]));
  return [...byHash.values()].sort(
    (a, b) =>
      Number(b.meetsSlo) - Number(a.meetsSlo) ||
      a.costUsdPerHour - b.costUsdPerHour ||
      (b.metrics.goodputFraction ?? 0) - (a.metrics.goodputFraction ?? 0) ||
      (a.metrics["ttftS.p99"] ?? 0) - (b.metrics["ttftS.p99"] ?? 0),
  );
}

/** The cheapest design that misses here but meets the SLO without oversubscription, cheaper than the winner. */
/** A design that misses here (`here`) and its run on the non-blocking twin, which meets the SLO (`twin`). */
interface NetworkDecides {
  here: TunedServing;
  twin: TunedServing;
}

async function cheaperWithoutContention(
  search: Search,
  ranking: TunedServing[],
  winner: TunedServing | undefined,
): Promise<NetworkDecides | undefined> {
  const limit = winner?.costUsdPerHour ?? Number.POSITIVE_INFINITY;
  const cheaper = ranking
    .filter((t) => !t.meetsSlo && Number.isFinite(t.costUsdPerHour) && t.costUsdPerHour < limit)
    .sort((a, b) => a.costUsdPerHour - b.costUsdPerHour)
    .slice(0, 4);
  if (cheaper.length === 0) return undefined;
  const twins = await search.run(cheaper.map((t) => search.candidate(t.design, true)));
  const i = twins.findIndex((t) => t.meetsSlo);
  return i < 0 ? undefined : { here: cheaper[i], twin: twins[i] };
}

export function explainServing(
  winner: TunedServing | undefined,
  ranking: TunedServing[],
  nonBlocking: NetworkDecides | undefined,
  oversubscribed: boolean,
  so: { leaf: number; spine: number },
  runs: TunedServing[] = ranking,
): string {
  if (!winner) {
    const ran = (ranking.length ? ranking : runs).filter((t) => Number.isFinite(t.costUsdPerHour));
    const closest = ran.sort((a, b) => (a.metrics["ttftS.p99"] ?? 0) - (b.metrics["ttftS.p99"] ?? 0))[0];
    return closest
      ? `No design in the search meets the SLO on this fabric; the closest, ${closest.label}, misses it: ${closest.miss}. ` +
          "More accelerators (nodes), a lighter load or a looser SLO are what is left."
      : "No design in the search could run (see the failures).";
  }
  const usd = (x: number) => `$${x.toFixed(0)}/h`;
  const head = `${winner.label} (${winner.accelerators} accelerators, ${usd(winner.costUsdPerHour)}) is the cheapest design that meets the SLO`;
  if (nonBlocking) {
    const { here, twin } = nonBlocking;
    const kv = here.metrics["ttftNetworkShare.kvTransfer"];
    return (
      `${head}. On a non-blocking fabric ${here.label} would meet it for ${usd(twin.costUsdPerHour)}` +
      ` (TTFT p99 ${ms(twin.metrics["ttftS.p99"] ?? 0)}), but on this ${Math.max(so.leaf, so.spine)}:1 fabric` +
      ` it misses: ${here.miss}${kv !== undefined ? `, with KV transfers ${(kv * 100).toFixed(0)}% of its TTFT` : ""}.`
    );
  }
  const cheaper = ranking.filter((t) => !t.meetsSlo && t.costUsdPerHour < winner.costUsdPerHour);
  const next = cheaper.sort((a, b) => b.costUsdPerHour - a.costUsdPerHour)[0];
  const tail = oversubscribed
    ? " (the same on a non-blocking fabric: the oversubscription does not change it)"
    : "";
  const fewer = oneRungFewer(winner, runs);
  return `${head}${tail}${next ? `; the next cheaper, ${next.label}, misses: ${next.miss}` : ""}.${fewer}`;
}

/** What one instance fewer of each of the winner's pools missed, where the search ran it. */
function oneRungFewer(winner: TunedServing, runs: TunedServing[]): string {
  const out: string[] = [];
  for (const pool of ["prefill", "decode"] as const) {
    const mine = winner.design[pool];
    if (!mine) continue;
    const below = runs
      .filter((t) => {
        const s = t.design[pool];
        return !t.meetsSlo && t.miss && s && s.tp === mine.tp && s.instances < mine.instances;
      })
      .sort((a, b) => (b.design[pool]?.instances ?? 0) - (a.design[pool]?.instances ?? 0))[0];
    if (below) out.push(`${pool} ${below.design[pool]?.instances}×tp${mine.tp} misses ${below.miss}`);
  }
  return out.length ? ` With fewer instances: ${out.join("; ")}.` : "";
}
