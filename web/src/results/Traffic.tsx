// A traffic run: the distribution of flow completion times (as a CDF) and its percentiles.
import { useMemo } from "react";
import { Chart } from "../Chart.js";
import { fmtCount, fmtTime } from "../format.js";
import { Cards, Section } from "./common.js";

/** Points drawn at most: enough for a smooth curve, few enough for a quick chart. */
const MAX_POINTS = 2000;

export function TrafficView(props: {
  results: { flows: { fctUs: number }[]; fctUs: { p50: number; p99: number; max: number } };
}) {
  const { flows, fctUs } = props.results;
  const option = useMemo(() => {
    const sorted = flows.map((f) => f.fctUs).sort((a, b) => a - b);
    const step = Math.max(1, Math.floor(sorted.length / MAX_POINTS));
    const data: [number, number][] = [];
    for (let i = 0; i < sorted.length; i += step) data.push([sorted[i] / 1e6, (i + 1) / sorted.length]);
    if (sorted.length) data.push([sorted[sorted.length - 1] / 1e6, 1]);
    return {
      tooltip: {
        trigger: "axis",
        valueFormatter: (v: number) => (v <= 1 ? `${(v * 100).toFixed(1)} %` : fmtTime(v)),
      },
      grid: { left: 60, right: 20, top: 20, bottom: 50 },
      xAxis: {
        type: "value",
        name: "flow completion time",
        nameLocation: "middle",
        nameGap: 30,
        axisLabel: { formatter: (v: number) => fmtTime(v) },
      },
      yAxis: { type: "value", max: 1, name: "fraction of flows" },
      series: [{ type: "line", step: "end", showSymbol: false, data }],
    };
  }, [flows]);
  return (
    <>
      <Cards
        items={[
          ["flows", fmtCount(flows.length)],
          ["FCT p50", fmtTime(fctUs.p50 / 1e6)],
          ["FCT p99", fmtTime(fctUs.p99 / 1e6)],
          ["FCT max", fmtTime(fctUs.max / 1e6)],
        ]}
      />
      <Section title="Flow completion times (CDF)">
        <Chart option={option} testId="fct-chart" />
      </Section>
    </>
  );
}
