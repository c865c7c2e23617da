// The built-in hardware catalog, one table per kind, every entry with its public source.
import { useEffect, useState } from "react";
import { api } from "../api.js";
import { Section, Table } from "../results/common.js";

type Entry = Record<string, unknown> & { source?: string };
type Catalog = Record<string, Record<string, Entry>>;

const TITLES: Record<string, string> = {
  accelerators: "Accelerators",
  scaleUp: "Scale-up links",
  nics: "NICs",
  switches: "Switches",
  optics: "Optics and cables",
};

function cell(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "number") return String(+v.toPrecision(4));
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

export function CatalogView() {
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Catalog>("/api/catalog").then(setCatalog, (e: Error) => setError(e.message));
  }, []);
  if (error) return <p className="error">{error}</p>;
  if (!catalog) return <p className="muted">loading…</p>;
  return (
    <div className="catalog" data-testid="catalog">
      {Object.entries(catalog).map(([kind, entries]) => {
        const keys = [...new Set(Object.values(entries).flatMap((e) => Object.keys(e)))].filter(
          (k) => k !== "source" && k !== "id" && k !== "notes",
        );
        return (
          <Section key={kind} title={TITLES[kind] ?? kind}>
            <Table
              head={["id", ...keys, "source"]}
              rows={Object.entries(entries).map(([id, e]) => [
                id,
                ...keys.map((k) => cell(e[k])),
                cell(e.source),
              ])}
            />
          </Section>
        );
      })}
    </div>
  );
}
