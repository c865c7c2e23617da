// An inference run: TTFT / TPOT / end-to-end as distributions (CDFs) and at p50 and p99, throughput and
// cost, the pools.

import { useMemo } from "react";
import type { InferencePoolSummary } from "../../../src/results/types.js";
import { Chart, PALETTE } from "../Chart.js";
import { fmtBytes, fmtPct, fmtSi, fmtTime, fmtUsd } from "../format.js";
import { Cards, Section, Table } from "./common.js";

type P = { p50: number; p99: number };

interface InferenceResults {
  ttftS: P;
  tpotS: P;
  e2eS?: P;
  queueS?: P;
  kvTransferS: P;
  throughputTokensPerS: number;
  goodputFraction: number;
  networkShareOfLatency: number;
  requests?: number;
  completed?: number;
  costPerMillionOutputTokensUsd?: number;
  pools?: InferencePoolSummary[];
  /** 51 quantiles (0%, 2%, …, 100%) per latency. */
  distributions?: { ttftS: number[]; tpotS: number[]; e2eS: number[] };
}

/** Each latency's quantiles as a CDF: time (log) across, share of requests up. */
function cdfOption(d: NonNullable<InferenceResults["distributions"]>) {
  const lines: [string, number[]][] = [
    ["TTFT", d.ttftS],
    ["TPOT", d.tpotS],
    ["end to end", d.e2eS],
  ];
  return {
    tooltip: {
      trigger: "item",
      formatter: (p: { seriesName: string; value: [number, number] }) =>
        `${p.seriesName}: ${fmtPct(p.value[1])} of requests within ${fmtTime(p.value[0])}`,
    },
    legend: { top: 0 },
    grid: { left: 20, right: 30, top: 40, bottom: 30, containLabel: true },
    xAxis: { type: "log", name: "latency", axisLabel: { formatter: (v: number) => fmtTime(v) } },
    yAxis: { type: "value", min: 0, max: 1, axisLabel: { formatter: (v: number) => fmtPct(v) } },
    series: lines
      .filter(([, q]) => q.length > 0)
      .map(([name, q], i) => ({
        name,
        type: "line",
        showSymbol: false,
        color: PALETTE[i],
        data: q.map((t, k) => [Math.max(t, 1e-9), k / (q.length - 1)]),
      })),
  };
}

export function InferenceView(props: { results: InferenceResults }) {
  const r = props.results;
  const latencies = useMemo(() => {
    const metrics: [string, P | undefined][] = [
      ["TTFT", r.ttftS],
      ["TPOT", r.tpotS],
      ["queueing", r.queueS],
      ["KV transfer", r.kvTransferS],
    ];
    // A co-located run moves no KV: a zero has no place on a log axis.
    const shown = metrics.filter((m): m is [string, P] => m[1] !== undefined && m[1].p99 > 0);
    const smallest = Math.min(...shown.flatMap((m) => [m[1].p50, m[1].p99]).filter((v) => v > 0));
    // ECharts grows bars on a log axis from 1 (down, for times under a second): draw decades above a floor
    // (a power of ten under the smallest value) on a linear axis instead, labelled as times.
    const floor = 10 ** Math.floor(Math.log10(Number.isFinite(smallest) ? smallest : 1e-3));
    const decades = (v: number) => Math.log10(Math.max(v, floor) / floor);
    const time = (d: number) => fmtTime(floor * 10 ** d);
    return {
      tooltip: { trigger: "axis", valueFormatter: (d: number) => time(d) },
      legend: { top: 0 },
      grid: { left: 20, right: 20, top: 40, bottom: 30, containLabel: true },
      xAxis: { type: "category", data: shown.map((m) => m[0]) },
      yAxis: { type: "value", min: 0, interval: 1, axisLabel: { formatter: time } },
      series: (["p50", "p99"] as const).map((q, i) => ({
        name: q,
        type: "bar",
        color: PALETTE[i],
        data: shown.map((m) => decades(m[1][q])),
      })),
    };
  }, [r]);
  const cdf = useMemo(() => (r.distributions ? cdfOption(r.distributions) : undefined), [r]);
  return (
    <>
      <Cards
        items={[
          ["TTFT p50 / p99", `${fmtTime(r.ttftS.p50)} / ${fmtTime(r.ttftS.p99)}`],
          ["TPOT p50 / p99", `${fmtTime(r.tpotS.p50)} / ${fmtTime(r.tpotS.p99)}`],
          ["throughput", `${fmtSi(r.throughputTokensPerS)} tokens/s`],
          ["goodput (within SLO)", fmtPct(r.goodputFraction)],
          ["network share of latency", fmtPct(r.networkShareOfLatency)],
          ...(r.costPerMillionOutputTokensUsd !== undefined
            ? ([["cost per million output tokens", fmtUsd(r.costPerMillionOutputTokensUsd)]] as [
                string,
                string,
              ][])
            : []),
        ]}
      />
      {cdf && (
        <Section title="Latency distributions (share of requests within a time)">
          <Chart option={cdf} testId="latency-cdf" />
        </Section>
      )}
      <Section title="Latency percentiles (p50 and p99)">
        <Chart option={latencies} testId="latency-chart" />
      </Section>
      {r.pools && (
        <Section title="Pools">
          <Table
            testId="pools-table"
            head={[
              "role",
              "group",
              "accelerator",
              "instances",
              "TP×EP×DP",
              "max batch",
              "KV tokens",
              "weights / acc.",
              "busy",
              "cost/h",
            ]}
            numeric={[false, false, false, true, false, true, true, true, true, true]}
            rows={r.pools.map((p) => [
              p.role,
              p.group,
              p.accelerator,
              p.instances,
              `${p.tp}×${p.ep}×${p.dp}`,
              p.maxBatch,
              fmtSi(p.kvCapacityTokens),
              fmtBytes(p.weightsPerAcceleratorBytes),
              fmtPct(p.utilization),
              fmtUsd(p.costUsdPerHour),
            ])}
          />
        </Section>
      )}
    </>
  );
}
