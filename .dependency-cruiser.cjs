/**
 * The layer order of src/ (docs/architecture.md): each layer may import the layers before it, never one
 * after it. `results` (the results contract types) sits right above the scenario it names, so every
 * layer that returns results, and report/ that reads them, import it from below. One rule per forbidden direction, so a violation names both ends (`sim-not-to-workload`).
 * src/errors.ts, src/typed-arrays.ts, src/prng.ts, src/limits.ts and src/version.ts sit below every layer;
 * src/run.ts and src/index.ts above all but the shells (calibrate, sweep, tune, server, cli), which call them.
 */
const LAYERS = [
  "units",
  "files",
  "catalog",
  "compute",
  "scenario",
  "model",
  "results",
  "topology",
  "routing",
  "sim",
  "collectives",
  "workload",
  "estimate",
  "jobs",
  "control",
  "report",
  "store",
  "calibrate",
  "sweep",
  "tune",
  "server",
  "cli",
];

/** The layers above the run core: they may call src/run.ts (every layer before them must not). */
const SHELLS = new Set(["calibrate", "sweep", "tune", "server", "cli"]);

const forbidden = [];
LAYERS.forEach((lower, i) => {
  for (const upper of LAYERS.slice(i + 1)) {
    forbidden.push({
      name: `${lower}-not-to-${upper}`,
      comment: `src/${lower} comes before src/${upper} in the layer order: it must not import it`,
      severity: "error",
      from: { path: `^src/${lower}/` },
      to: { path: `^src/${upper}/` },
    });
  }
  if (SHELLS.has(lower)) return;
  forbidden.push({
    name: `${lower}-not-to-shells`,
    comment: `src/${lower} must not import the shells above every layer (src/run.ts, src/index.ts)`,
    severity: "error",
    from: { path: `^src/${lower}/` },
    to: { path: "^src/(run|index)\\.ts$" },
  });
});

// The engines take their own option types (transport, load balancing), never the scenario's: a scenario
// reaches them through one bridge, packetOptionsFor (src/sim/engines/packet/scenario-options.ts).
forbidden.push({
  name: "engine-options-not-from-scenario",
  comment: "src/sim/engines and src/sim/network take their own option types; only scenario-options.ts reads a scenario",
  severity: "error",
  from: { path: "^src/sim/(engines|network)/", pathNot: "scenario-options\\.ts$" },
  to: { path: "^src/scenario/" },
});

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
