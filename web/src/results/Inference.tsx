// An inference run: TTFT / TPOT / end-to-end / queueing at p50 and p99, throughput and cost, the pools.

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
    const shown = metrics.filter((m): m is [string, P] => m[1] !== undefined);
    return {
      tooltip: { trigger: "axis", valueFormatter: (v: number) => fmtTime(v) },
      legend: { top: 0 },
      grid: { left: 20, right: 20, top: 40, bottom: 30, containLabel: true },
      xAxis: { type: "category", data: shown.map((m) => m[0]) },
      yAxis: { type: "log", axisLabel: { formatter: (v: number) => fmtTime(v) } },
      series: (["p50", "p99"] as const).map((q, i) => ({
        name: q,
        type: "bar",
        color: PALETTE[i],
        data: shown.map((m) => Math.max(m[1][q], 1e-9)),
      })),
    };
  }, [r]);
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
      <Section title="Latency distributions (p50 and p99)">
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
