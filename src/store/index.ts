/** The results store (DuckDB): design points by scenario hash, sweeps, queries and CSV/Parquet export. */
export { canonicalJson, fabricHash, normalizedDesign, scenarioHash, sha256 } from "./hash.js";
export { clusterUsdPerHour, type Metrics, pointMetrics } from "./metrics.js";
export { type Migration, migrations, registerMigration } from "./migrations.js";
export {
  type ExportFormat,
  formatOf,
  type OpenOptions,
  openStore,
  type PointRow,
  type QueryRow,
  type Store,
  type SweepRow,
} from "./store.js";
