// Results by workload kind: one view per kind, then what every run has (fabric, warnings), the jobs of a
// shared run when there are several, and the JSON. A new kind adds one entry to VIEWS.
import type { ReactNode } from "react";
import type { Results } from "../api.js";
import { fmtCount, fmtTime } from "../format.js";
import { CollectiveView } from "./Collective.js";
import { Cards, Section, Table } from "./common.js";
import { InferenceView } from "./Inference.js";
import { TrafficView } from "./Traffic.js";
import { TrainingView } from "./Training.js";

const VIEWS: Record<string, (r: never) => ReactNode> = {
  collective: (r) => <CollectiveView results={r} />,
  training: (r) => <TrainingView results={r} />,
  inference: (r) => <InferenceView results={r} />,
  traffic: (r) => <TrafficView results={r} />,
};

/** Several jobs sharing the fabric: each job's figures, whatever keys they carry. */
function JobsTable(props: { jobs: Record<string, unknown>[] }) {
  const keys = [...new Set(props.jobs.flatMap((j) => Object.keys(j)))].filter((k) =>
    props.jobs.every((j) => typeof j[k] !== "object"),
  );
  return (
    <Section title="Jobs and their slowdowns">
      <Table
        testId="jobs-table"
        head={keys}
        rows={props.jobs.map((j) => keys.map((k) => String(j[k] ?? "")))}
      />
    </Section>
  );
}

export function ResultsView(props: { results: Results }) {
  const r = props.results;
  const view = VIEWS[r.kind];
  const fabric = r.fabric as
    | { accelerators: number; switches: Record<string, number>; links: number }
    | undefined;
  const jobs = Array.isArray(r.jobs) && r.jobs.length > 1 ? (r.jobs as Record<string, unknown>[]) : undefined;
  const warnings = (r.warnings as string[] | undefined) ?? [];
  return (
    <div className="results" data-testid={`results-${r.kind}`}>
      <h2>{r.scenario}</h2>
      <p className="muted">
        {r.kind} · {r.fidelity} fidelity · simulated in {fmtTime(r.wallS)}
        {fabric &&
          ` · ${fmtCount(fabric.accelerators)} accelerators, ${Object.entries(fabric.switches)
            .map(([t, n]) => `${fmtCount(n)} ${t}`)
            .join(", ")} switches, ${fmtCount(fabric.links)} links`}
      </p>
      {warnings.map((w) => (
        <p className="warning" key={w}>
          {w}
        </p>
      ))}
      {view ? view(r as never) : <Cards items={[["kind", r.kind]]} />}
      {jobs && <JobsTable jobs={jobs} />}
      <details className="section">
        <summary>JSON</summary>
        <pre className="json">{JSON.stringify(r, null, 2).slice(0, 200_000)}</pre>
      </details>
    </div>
  );
}
