/**
 * The store's schema as an ordered list of migrations. A store file records the last one applied
 * (`meta.schema_version`) and opening it applies the rest, so older files keep working. To add a table,
 * append a migration (never edit or reorder one that shipped): other parts of Weft (the HTTP server's
 * `runs`, ...) extend the schema the same way, through `registerMigration`.
 */
export interface Migration {
  /** Unique, and increasing in list order. */
  version: number;
  /** What it adds, for people reading the file's history. */
  description: string;
  /** One or more SQL statements, separated by semicolons. */
  sql: string;
}

const builtin: Migration[] = [
  {
    version: 1,
    description: "design points and the sweeps that asked for them",
    sql: `
      CREATE TABLE points (
        hash VARCHAR PRIMARY KEY,          -- scenarioHash of the normalized scenario
        sweep VARCHAR,                     -- the sweep that first ran it (NULL for single runs)
        name VARCHAR NOT NULL,             -- the scenario's name
        kind VARCHAR NOT NULL,             -- collective | training | inference | traffic
        fidelity VARCHAR NOT NULL,
        status VARCHAR NOT NULL,           -- ok | error
        reason VARCHAR,                    -- why it failed (status = error)
        inputs JSON NOT NULL,              -- axis path -> value, as the sweep wrote it
        metrics JSON NOT NULL,             -- flat metric name -> number (see pointMetrics)
        results JSON,                      -- the run's Results, as weft run --json prints them
        wall_s DOUBLE NOT NULL,            -- wall time of the run, seconds
        weft_version VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
      );
      CREATE TABLE sweeps (
        id VARCHAR PRIMARY KEY,            -- hash of the sweep definition
        name VARCHAR NOT NULL,
        spec JSON NOT NULL,                -- the sweep file, parsed
        points INTEGER NOT NULL,           -- points the sweep defines (after sampling)
        created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
      );
      CREATE TABLE sweep_points (
        sweep VARCHAR NOT NULL,
        hash VARCHAR NOT NULL,
        inputs JSON NOT NULL,
        PRIMARY KEY (sweep, hash)
      );`,
  },
];

const extra: Migration[] = [];

/** Adds a migration that every store opened afterwards applies (once per file). */
export function registerMigration(m: Migration): void {
  const all = migrations();
  if (all.some((x) => x.version === m.version)) {
    const same = all.find((x) => x.version === m.version);
    if (same?.sql === m.sql) return;
    throw new Error(`store migration ${m.version} is already registered (${same?.description})`);
  }
  extra.push(m);
}

/** Every migration, in version order. */
export function migrations(): Migration[] {
  return [...builtin, ...extra].sort((a, b) => a.version - b.version);
}
