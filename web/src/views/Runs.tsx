// Past runs (from the store, so they survive restarts): open one, or tick two to compare side by side.
import { useEffect, useState } from "react";
import { api, type Run } from "../api.js";
import { fmtTime } from "../format.js";
import { Section, Table } from "../results/common.js";

interface Comparison {
  a: { id: string; name: string };
  b: { id: string; name: string };
  figures: { key: string; a: number; b: number; change: number | null }[];
}

const num = (x: number) =>
  Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : String(+x.toPrecision(5));

export function RunsView(props: { onOpen: (id: string) => void }) {
  const [runs, setRuns] = useState<Run[]>([]);
  const [picked, setPicked] = useState<string[]>([]);
  const [comparison, setComparison] = useState<Comparison | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<Run[]>("/api/runs").then(setRuns, (e: Error) => setError(e.message));
  }, []);
  useEffect(() => {
    if (picked.length !== 2) return setComparison(null);
    api<Comparison>(`/api/compare?a=${picked[0]}&b=${picked[1]}`).then(setComparison, (e: Error) =>
      setError(e.message),
    );
  }, [picked]);

  const toggle = (id: string) =>
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));

  return (
    <div className="runs">
      {error && <p className="error">{error}</p>}
      <Section title="Runs">
        <Table
          testId="runs-table"
          head={["compare", "name", "kind", "state", "started", "took", ""]}
          rows={runs.map((r) => [
            <input
              key="c"
              type="checkbox"
              aria-label={`compare ${r.name}`}
              checked={picked.includes(r.id)}
              disabled={r.state !== "done"}
              onChange={() => toggle(r.id)}
            />,
            r.name,
            r.kind,
            r.error ? (
              <span key="s" title={r.error}>
                {r.state}
              </span>
            ) : (
              r.state
            ),
            new Date(r.createdAt).toLocaleString(),
            r.wallS === null ? "—" : fmtTime(r.wallS),
            r.state === "done" ? (
              <button key="o" type="button" className="link" onClick={() => props.onOpen(r.id)}>
                open
              </button>
            ) : (
              ""
            ),
          ])}
        />
      </Section>
      {comparison && (
        <Section title={`${comparison.a.name}  vs  ${comparison.b.name}`}>
          <Table
            testId="compare-table"
            head={["figure", "a", "b", "change"]}
            numeric={[false, true, true, true]}
            rows={comparison.figures.map((f) => [
              f.key,
              num(f.a),
              num(f.b),
              f.change === null ? "—" : `${f.change >= 0 ? "+" : ""}${(f.change * 100).toFixed(1)} %`,
            ])}
          />
        </Section>
      )}
    </div>
  );
}
