// The dashboard: the scenario (editor, examples, run), its results, its fabric, past runs, the catalog.
import { useCallback, useEffect, useRef, useState } from "react";
import {
  type ApiError,
  api,
  type Example,
  type Problem,
  type Progress,
  type Results,
  type Run,
  setToken,
  takeToken,
  watchRun,
} from "./api.js";
import { ResultsView } from "./results/Results.js";
import { CatalogView } from "./views/Catalog.js";
import { Editor } from "./views/Editor.js";
import { FabricView } from "./views/FabricView.js";
import type { FabricGraph } from "./views/fabric-layout.js";
import { RunsView } from "./views/Runs.js";
import { SweepsView } from "./views/Sweeps.js";

const TABS = ["scenario", "results", "fabric", "runs", "sweeps", "catalog"] as const;
type Tab = (typeof TABS)[number];

interface Validation {
  ok: boolean;
  name?: string;
  warnings: string[];
  errors: Problem[];
}

/** Waits this long after the last keystroke before validating. */
const VALIDATE_AFTER_MS = 250;

export function App() {
  const [token, setTokenState] = useState<string | null>(() => takeToken());
  const accept = (t: string) => {
    setToken(t);
    setTokenState(t);
  };
  if (!token) return <TokenPrompt onToken={accept} />;
  return <Dashboard />;
}

function TokenPrompt(props: { onToken: (t: string) => void }) {
  const [value, setValue] = useState("");
  return (
    <form
      className="token"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) props.onToken(value.trim());
      }}
    >
      <h1>Weft</h1>
      <p>Paste the token `weft serve` printed at start (or open the address it printed).</p>
      <input type="password" value={value} onChange={(e) => setValue(e.target.value)} aria-label="token" />
      <button type="submit">Open</button>
    </form>
  );
}

function Dashboard() {
  const [tab, setTab] = useState<Tab>("scenario");
  const [examples, setExamples] = useState<Example[]>([]);
  const [exampleName, setExampleName] = useState("quickstart");
  const [text, setText] = useState("");
  const [files, setFiles] = useState<Record<string, string>>({});
  const [validation, setValidation] = useState<Validation | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<string | null>(null);
  const [results, setResults] = useState<Results | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  // The scenario text the shown run was started from: the fabric view colours its cables by that run's
  // loads while the editor still holds the same text.
  const [runText, setRunText] = useState<string | null>(null);
  const [fabric, setFabric] = useState<{ key: string; graph: FabricGraph } | null>(null);
  const [fabricError, setFabricError] = useState<string | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);

  useEffect(() => {
    api<Example[]>("/api/examples").then(
      (list) => {
        setExamples(list);
        const first = list.find((e) => e.name === "quickstart") ?? list[0];
        if (first) {
          setText(first.text);
          setFiles(first.files);
        }
      },
      (e: ApiError) =>
        setFatal(e.status === 403 ? "wrong token: open the address `weft serve` printed" : e.message),
    );
  }, []);

  // Validate as the user types (debounced); the latest answer wins.
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    if (!text.trim()) {
      // Nothing to validate is not valid: no stale check mark, and Run stays off.
      setValidation({
        ok: false,
        warnings: [],
        errors: [{ error: "the editor is empty; write or load a scenario" }],
      });
      return;
    }
    const timer = setTimeout(() => {
      api<Validation>("/api/validate", { scenario: text, files }).then(
        (v) => mine === seq.current && setValidation(v),
        (e: ApiError) =>
          mine === seq.current &&
          setValidation({ ok: false, warnings: [], errors: e.body.problems ?? [{ error: e.message }] }),
      );
    }, VALIDATE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [text, files]);

  const pickExample = (name: string) => {
    const e = examples.find((x) => x.name === name);
    if (!e) return;
    setExampleName(name);
    setText(e.text);
    setFiles(e.files);
  };

  const startRun = useCallback(async () => {
    setRunning(true);
    setRunError(null);
    setProgress(null);
    try {
      const run = await api<Run>("/api/runs", { scenario: text, files });
      const end = await watchRun(run.id, setProgress);
      if (end.state === "done" && end.results) {
        setResults(end.results);
        setRunId(end.id);
        setRunText(text);
        setTab("results");
      } else setRunError(end.error ?? "the run failed");
    } catch (e) {
      const err = e as ApiError;
      setRunError(
        err.body?.problems?.map((p) => (p.line ? `line ${p.line}: ${p.error}` : p.error)).join("\n") ??
          err.message,
      );
    } finally {
      setRunning(false);
    }
  }, [text, files]);

  const openRun = async (id: string) => {
    const run = await api<Run>(`/api/runs/${id}`);
    if (run.results) {
      setResults(run.results);
      setRunId(run.id);
      setRunText(run.scenario ?? null);
      setTab("results");
    }
  };

  useEffect(() => {
    const run = runId && runText === text ? runId : undefined;
    const key = `${run ?? ""}|${text}`;
    if (tab !== "fabric" || fabric?.key === key) return;
    if (!text.trim()) {
      setFabricError("the editor is empty: no fabric to draw");
      return;
    }
    setFabricError(null);
    api<FabricGraph>("/api/fabric", { scenario: text, files, ...(run ? { run } : {}) }).then(
      (graph) => setFabric({ key, graph }),
      (e: ApiError) => setFabricError(e.message),
    );
  }, [tab, text, files, fabric, runId, runText]);

  if (fatal) return <p className="error page">{fatal}</p>;
  const errors = validation?.errors ?? [];
  return (
    <div className="app">
      <header>
        <span className="brand">weft</span>
        <nav>
          {TABS.map((t) => (
            <button
              key={t}
              type="button"
              className={t === tab ? "tab active" : "tab"}
              data-testid={`tab-${t}`}
              onClick={() => setTab(t)}
            >
              {t}
            </button>
          ))}
        </nav>
        <a href="/docs" target="_blank" rel="noreferrer">
          API
        </a>
      </header>
      <main>
        {tab === "scenario" && (
          <div className="scenario">
            <div className="toolbar">
              <label>
                example{" "}
                <select
                  data-testid="examples"
                  value={exampleName}
                  onChange={(e) => pickExample(e.target.value)}
                >
                  {examples.map((e) => (
                    <option key={e.name} value={e.name}>
                      {e.name}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                data-testid="run"
                disabled={running || !validation?.ok}
                onClick={startRun}
              >
                {running ? "running…" : "Run"}
              </button>
              <span data-testid="validation" className={errors.length ? "error" : "ok"}>
                {validation === null
                  ? ""
                  : errors.length
                    ? `${errors.length} error${errors.length > 1 ? "s" : ""}`
                    : `✓ ${validation.name}`}
              </span>
            </div>
            {running && (
              <div className="progress" data-testid="progress">
                <div
                  className="bar"
                  style={{ width: `${progress ? (100 * progress.done) / Math.max(progress.total, 1) : 2}%` }}
                />
                <span>
                  {progress ? `${progress.done} / ${progress.total} ${progress.label ?? ""}` : "starting…"}
                </span>
              </div>
            )}
            {runError && (
              <pre className="error" data-testid="run-error">
                {runError}
              </pre>
            )}
            {validation?.warnings.map((w) => (
              <p className="warning" key={w}>
                {w}
              </p>
            ))}
            {Object.keys(files).length > 0 && (
              <p className="muted">uploaded with the scenario: {Object.keys(files).join(", ")}</p>
            )}
            <Editor text={text} problems={errors} onChange={setText} />
          </div>
        )}
        {tab === "results" &&
          (results ? (
            <>
              {runId && (
                <p className="exports">
                  export:{" "}
                  <button type="button" className="link" onClick={() => download(runId, "json")}>
                    JSON
                  </button>{" "}
                  ·{" "}
                  <button type="button" className="link" onClick={() => download(runId, "csv")}>
                    CSV
                  </button>
                </p>
              )}
              <ResultsView results={results} />
            </>
          ) : (
            <p className="muted">Run a scenario to see its results here.</p>
          ))}
        {tab === "fabric" &&
          (fabricError ? (
            <pre className="error">{fabricError}</pre>
          ) : (
            <FabricView graph={fabric?.graph ?? null} />
          ))}
        {tab === "runs" && <RunsView onOpen={openRun} />}
        {tab === "sweeps" && (
          <SweepsView
            onOpenResults={(r) => {
              setResults(r);
              setRunId(null);
              setTab("results");
            }}
          />
        )}
        {tab === "catalog" && <CatalogView />}
      </main>
    </div>
  );
}

/** Exports go through fetch (the token is a header), then to a file the browser saves. */
async function download(id: string, format: "json" | "csv"): Promise<void> {
  const res = await fetch(`/api/runs/${id}/export?format=${format}`, {
    headers: { authorization: `Bearer ${sessionStorage.getItem("weft-token") ?? ""}` },
  });
  const blob = await res.blob();
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download =
    /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? `weft-run.${format}`;
  a.click();
  URL.revokeObjectURL(a.href);
}
