// A collective sweep: the busbw-by-size chart (nccl-tests' figure of merit) and its table.
import { useMemo } from "react";
import type { CollectiveRow } from "../../../src/results/types.js";
import { Chart } from "../Chart.js";
import { fmtBytes, fmtTime } from "../format.js";
import { Cards, Section, Table } from "./common.js";

export function CollectiveView(props: { results: { op: string; ranks: number; rows: CollectiveRow[] } }) {
  const { op, ranks, rows } = props.results;
  const option = useMemo(
    () => ({
      tooltip: { trigger: "axis", valueFormatter: (v: number) => `${v.toFixed(1)} GB/s` },
      legend: { top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 50 },
      xAxis: {
        type: "log",
        logBase: 2,
        min: "dataMin",
        max: "dataMax",
        name: "message size",
        nameLocation: "middle",
        nameGap: 30,
        axisLabel: { formatter: (v: number) => fmtBytes(v) },
      },
      yAxis: { type: "value", name: "GB/s" },
      series: [
        { name: "busbw", type: "line", symbolSize: 7, data: rows.map((r) => [r.sizeBytes, r.busbwGBps]) },
        { name: "algbw", type: "line", symbolSize: 5, data: rows.map((r) => [r.sizeBytes, r.algbwGBps]) },
      ],
    }),
    [rows],
  );
  const peak = Math.max(...rows.map((r) => r.busbwGBps));
  return (
    <>
      <Cards
        items={[
          ["operation", op],
          ["ranks", ranks],
          ["peak busbw", `${peak.toFixed(1)} GB/s`],
          ["sizes", rows.length],
        ]}
      />
      <Section title="Bus bandwidth by message size">
        <Chart option={option} testId="busbw-chart" />
      </Section>
      <Section title="Sizes">
        <Table
          testId="collective-table"
          head={["size", "count", "type", "time", "algbw GB/s", "busbw GB/s", "algorithm"]}
          numeric={[true, true, false, true, true, true, false]}
          rows={rows.map((r) => [
            fmtBytes(r.sizeBytes),
            r.count,
            r.type,
            fmtTime(r.timeUs / 1e6),
            r.algbwGBps.toFixed(2),
            r.busbwGBps.toFixed(2),
            r.algorithm,
          ])}
        />
      </Section>
    </>
  );
}
