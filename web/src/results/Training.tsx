// A training step: where its time goes (breakdown), the per-stage timeline, and the causes of exposed
// communication by collective and fabric tier.
import { useMemo } from "react";
import { Chart, PALETTE } from "../Chart.js";
import { fmtBytes, fmtPct, fmtTime, fmtUsd } from "../format.js";
import { Cards, Section, Table } from "./common.js";

interface Span {
  stage: number;
  kind: "compute" | "comm" | "idle";
  label: string;
  startS: number;
  endS: number;
}

interface TrainingResults {
  stepTimeS: number;
  tflopsPerAccelerator: number;
  mfu: number;
  breakdown: { computeS: number; exposedCommS: number; bubbleS: number; otherS: number };
  exposedCommByKind: Record<string, number>;
  networkIdleFraction: number;
  networkIdleCostUsdPerHour: number;
  causes: { kind: string; collective: string; tier: string; exposedS: number }[];
  whatIf?: { nonBlockingStepTimeS: number; speedup: number };
  /** Absent from stored sweep points, which keep figures, not the step's spans. */
  timeline?: Span[];
  memoryPerRankBytes: Record<string, number>;
}

const SPAN_COLOURS = { compute: PALETTE[0], comm: PALETTE[1], idle: "#cbd5e1" };

export function TrainingView(props: { results: TrainingResults }) {
  const r = props.results;
  const spans = useMemo(() => r.timeline ?? [], [r]);
  const breakdown = useMemo(() => {
    const parts: [string, number][] = [
      ["compute", r.breakdown.computeS],
      ["exposed communication", r.breakdown.exposedCommS],
      ["pipeline bubble", r.breakdown.bubbleS],
      ["other", r.breakdown.otherS],
    ];
    return {
      tooltip: { valueFormatter: (v: number) => fmtTime(v) },
      legend: { top: 0 },
      grid: { left: 20, right: 20, top: 40, bottom: 30, containLabel: true },
      xAxis: { type: "value", axisLabel: { formatter: (v: number) => fmtTime(v) } },
      yAxis: { type: "category", data: ["step"] },
      series: parts.map(([name, v], i) => ({ name, type: "bar", stack: "t", data: [v], color: PALETTE[i] })),
    };
  }, [r]);
  const timeline = useMemo(() => {
    const stages = [...new Set(spans.map((s) => s.stage))].sort((a, b) => a - b);
    return {
      tooltip: {
        formatter: (p: { data: { value: number[]; name: string } }) =>
          `${p.data.name}<br/>${fmtTime(p.data.value[1])} → ${fmtTime(p.data.value[2])}`,
      },
      grid: { left: 70, right: 20, top: 20, bottom: 60 },
      dataZoom: [
        { type: "slider", filterMode: "weakFilter" },
        { type: "inside", filterMode: "weakFilter" },
      ],
      xAxis: { type: "value", max: "dataMax", axisLabel: { formatter: (v: number) => fmtTime(v) } },
      yAxis: { type: "category", data: stages.map((s) => `stage ${s}`), inverse: true },
      series: [
        {
          type: "custom",
          encode: { x: [1, 2], y: 0 },
          renderItem: (
            _: unknown,
            api: {
              value: (i: number) => number;
              coord: (v: number[]) => number[];
              size: (v: number[]) => number[];
              style: () => object;
            },
          ) => {
            const start = api.coord([api.value(1), api.value(0)]);
            const end = api.coord([api.value(2), api.value(0)]);
            const h = api.size([0, 1])[1] * 0.6;
            return {
              type: "rect",
              shape: { x: start[0], y: start[1] - h / 2, width: Math.max(end[0] - start[0], 0.5), height: h },
              style: api.style(),
            };
          },
          data: spans.map((s) => ({
            name: s.label,
            value: [stages.indexOf(s.stage), s.startS, s.endS],
            itemStyle: { color: SPAN_COLOURS[s.kind] },
          })),
        },
      ],
    };
  }, [spans]);
  return (
    <>
      <Cards
        items={[
          ["step time", fmtTime(r.stepTimeS)],
          ["MFU", fmtPct(r.mfu)],
          ["TFLOPS per accelerator", r.tflopsPerAccelerator.toFixed(0)],
          ["accelerator time lost to the network", fmtPct(r.networkIdleFraction)],
          ["its cost", `${fmtUsd(r.networkIdleCostUsdPerHour)}/h`],
          ...(r.whatIf
            ? ([
                [
                  "on a non-blocking fabric",
                  `${fmtTime(r.whatIf.nonBlockingStepTimeS)} (×${r.whatIf.speedup.toFixed(2)})`,
                ],
              ] as [string, string][])
            : []),
        ]}
      />
      <Section title="Where the step goes">
        <Chart option={breakdown} height={140} testId="breakdown-chart" />
      </Section>
      <Section title="Timeline per pipeline stage (compute blue, communication orange, idle grey)">
        {spans.length > 0 ? (
          <Chart
            option={timeline}
            height={Math.max(200, 40 * new Set(spans.map((s) => s.stage)).size + 90)}
            testId="timeline-chart"
          />
        ) : (
          <p data-testid="timeline-absent">
            A stored sweep point keeps its figures, not the step's timeline: run the point to see it.
          </p>
        )}
      </Section>
      <Section title="Exposed communication: causes">
        <Table
          testId="causes-table"
          head={["parallelism", "collective", "fabric tier", "exposed", "share of step"]}
          numeric={[false, false, false, true, true]}
          rows={[...r.causes]
            .sort((a, b) => b.exposedS - a.exposedS)
            .map((c) => [
              c.kind,
              c.collective,
              c.tier,
              fmtTime(c.exposedS),
              fmtPct(c.exposedS / r.stepTimeS),
            ])}
        />
      </Section>
      <Section title="Memory per rank">
        <Table
          head={Object.keys(r.memoryPerRankBytes)}
          rows={[Object.values(r.memoryPerRankBytes).map((b) => fmtBytes(b))]}
        />
      </Section>
    </>
  );
}
