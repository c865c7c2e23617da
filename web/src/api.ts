// The dashboard's only way to the server: fetch with the bearer token, and a run's events read from a
// streamed response (EventSource cannot send the Authorization header).

const TOKEN_KEY = "weft-token";

/** The token from `#token=…` (the address `weft serve` prints), kept for the tab's life. */
export function takeToken(): string | null {
  const m = /[#&]token=([^&]+)/.exec(window.location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: string; problems?: Problem[] },
  ) {
    super(body.error ?? `HTTP ${status}`);
  }
}

export interface Problem {
  error: string;
  line?: number;
  col?: number;
}

function headers(json: boolean): HeadersInit {
  return {
    authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) ?? ""}`,
    ...(json ? { "content-type": "application/json" } : {}),
  };
}

export async function api<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method: body === undefined ? "GET" : "POST",
    headers: headers(body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data);
  return data as T;
}

export interface Progress {
  done: number;
  total: number;
  label?: string;
}

export interface Run {
  id: string;
  name: string;
  kind: string;
  state: "queued" | "running" | "done" | "failed";
  createdAt: string;
  finishedAt: string | null;
  wallS: number | null;
  error: string | null;
  scenario?: string;
  results?: Results | null;
}

/** Results as `weft run --json` prints them; each view reads the keys of its kind. */
export type Results = { kind: string; scenario: string; fidelity: string; wallS: number } & Record<
  string,
  unknown
>;

/** Follows a run's server-sent events until its end; returns the finished run. */
export async function watchRun(id: string, onProgress: (p: Progress) => void): Promise<Run> {
  const res = await fetch(`/api/runs/${id}/events`, { headers: headers(false) });
  if (!res.ok || !res.body) throw new ApiError(res.status, await res.json().catch(() => ({})));
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut = buffer.indexOf("\n\n");
    while (cut >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "null");
      if (event === "progress") onProgress(data as Progress);
      if (event === "end") return data as Run;
      cut = buffer.indexOf("\n\n");
    }
  }
  throw new Error("the run's event stream ended without its result");
}

export interface Example {
  name: string;
  title: string;
  text: string;
  files: Record<string, string>;
}
