// Sweeps from the results store: the Pareto chart of a sweep's two first objectives (every point, the
// frontier joined), hover for a point's inputs, click to open its results.
import { useCallback, useEffect, useMemo, useState } from "react";
import { api, type Results } from "../api.js";
import { Chart, PALETTE } from "../Chart.js";
import { fmtSi } from "../format.js";
import { Section, Table } from "../results/common.js";

interface Objective {
  metric: string;
  sense: "minimize" | "maximize";
}

interface SweepPoint {
  hash: string;
  name: string;
  status: "ok" | "error";
  reason: string | null;
  inputs: Record<string, unknown>;
  metrics: Record<string, number>;
}

interface Sweep {
  id: string;
  name: string;
  objectives: Objective[];
  frontier: string[];
  points: SweepPoint[];
}

interface SweepSummary {
  id: string;
  name: string;
  points: number;
  done: number;
  createdAt: string;
}

/** The chart's axes: the first two objectives, else cost against the one objective. */
function axes(objectives: Objective[]): [Objective, Objective] {
  if (objectives.length >= 2) return [objectives[0], objectives[1]];
  const y = objectives[0] ?? { metric: "stepTimeS", sense: "minimize" };
  return [{ metric: "plan.costUsd", sense: "minimize" }, y];
}

const inputsText = (p: SweepPoint) =>
  Object.entries(p.inputs)
    .map(([k, v]) => `${k} = ${String(v)}`)
    .join("<br/>");

export function SweepsView(props: { onOpenResults: (r: Results) => void }) {
  const [sweeps, setSweeps] = useState<SweepSummary[]>([]);
  const [sweep, setSweep] = useState<Sweep | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = useCallback(
    (id: string) => api<Sweep>(`/api/sweeps/${id}`).then(setSweep, (e: Error) => setError(e.message)),
    [],
  );
  useEffect(() => {
    api<SweepSummary[]>("/api/sweeps").then(
      (list) => {
        setSweeps(list);
        if (list.length) open(list[list.length - 1].id);
      },
      (e: Error) => setError(e.message),
    );
  }, [open]);

  const option = useMemo(() => {
    if (!sweep) return null;
    const [x, y] = axes(sweep.objectives);
    const onFrontier = new Set(sweep.frontier);
    const ok = sweep.points.filter(
      (p) => p.status === "ok" && p.metrics[x.metric] !== undefined && p.metrics[y.metric] !== undefined,
    );
    const datum = (p: SweepPoint) => ({
      value: [p.metrics[x.metric], p.metrics[y.metric]],
      hash: p.hash,
      point: p,
    });
    const frontier = ok
      .filter((p) => onFrontier.has(p.hash))
      .sort((a, b) => a.metrics[x.metric] - b.metrics[x.metric]);
    return {
      tooltip: {
        trigger: "item",
        formatter: (p: { data: { point: SweepPoint } }) =>
          `<b>${p.data.point.name}</b><br/>${x.metric} = ${fmtSi(p.data.point.metrics[x.metric])}<br/>${y.metric} = ${fmtSi(
            p.data.point.metrics[y.metric],
          )}<br/>${inputsText(p.data.point)}<br/><i>click to open its results</i>`,
      },
      legend: { top: 0 },
      grid: { left: 70, right: 30, top: 40, bottom: 60 },
      xAxis: {
        type: "value",
        scale: true,
        name: `${x.metric} (${x.sense})`,
        nameLocation: "middle",
        nameGap: 35,
        axisLabel: { formatter: (v: number) => fmtSi(v) },
      },
      yAxis: {
        type: "value",
        scale: true,
        name: `${y.metric} (${y.sense})`,
        axisLabel: { formatter: (v: number) => fmtSi(v) },
      },
      series: [
        {
          name: "points",
          type: "scatter",
          symbolSize: 9,
          color: PALETTE[7],
          data: ok.filter((p) => !onFrontier.has(p.hash)).map(datum),
        },
        {
          name: "Pareto frontier",
          type: "line",
          symbolSize: 11,
          color: PALETTE[1],
          data: frontier.map(datum),
        },
      ],
    };
  }, [sweep]);

  const openPoint = async (hash: string) => {
    const p = await api<{ results?: Results }>(`/api/points/${hash}`);
    if (p.results) props.onOpenResults(p.results);
  };

  if (error) return <p className="error">{error}</p>;
  if (!sweeps.length)
    return (
      <p className="muted">
        No sweeps in the store yet: run `weft sweep FILE --store STORE` with this server's store.
      </p>
    );
  return (
    <div className="sweeps">
      <label>
        sweep{" "}
        <select data-testid="sweeps" value={sweep?.id ?? ""} onChange={(e) => open(e.target.value)}>
          {sweeps.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.done}/{s.points} points)
            </option>
          ))}
        </select>
      </label>
      {sweep && option && (
        <>
          <Section
            title={`${sweep.name}: ${sweep.points.length} points, ${sweep.frontier.length} on the Pareto frontier`}
          >
            <Chart
              option={option}
              height={420}
              testId="pareto-chart"
              onClick={(p) => {
                const hash = (p.data as { hash?: string }).hash;
                if (hash) void openPoint(hash);
              }}
            />
          </Section>
          <Section title="Pareto frontier">
            <Table
              testId="frontier-table"
              head={["point", ...sweep.objectives.map((o) => o.metric), "inputs", ""]}
              rows={sweep.points
                .filter((p) => sweep.frontier.includes(p.hash))
                .map((p) => [
                  p.name,
                  ...sweep.objectives.map((o) => fmtSi(p.metrics[o.metric])),
                  Object.entries(p.inputs)
                    .map(([k, v]) => `${k}=${String(v)}`)
                    .join(", "),
                  <button key="o" type="button" className="link" onClick={() => openPoint(p.hash)}>
                    open
                  </button>,
                ])}
            />
          </Section>
        </>
      )}
    </div>
  );
}
