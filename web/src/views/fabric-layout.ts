// The fabric as layers, bottom to top: endpoints, NICs, scale-up switches, leaf, spine, core. Each node
// is placed by its order inside its layer, spread over the same width, so the picture reads like the
// topology diagrams in vendors' reference designs. Plain arrays in, plain arrays out.

export interface FabricGraph {
  nodes: { names: string[]; kind: number[]; tier: number[]; group: number[] };
  kinds: string[];
  tiers: string[];
  cables: {
    from: number[];
    to: number[];
    tier: number[];
    bandwidth: number[];
    failed: number[];
    load?: number[];
  };
  cableTiers: string[];
  groups: string[];
  plan: {
    accelerators: number;
    switches: Record<string, number>;
    cables: Record<string, number>;
    optics: Record<string, number>;
    costUsd: Record<string, number>;
    powerW: Record<string, number>;
    warnings: string[];
  };
}

const SWITCH = 5;
const NIC = 4;

/** Layer of each node: 0 endpoints, 1 NICs, then 2 + switch tier − 1 (scale-up, leaf, spine, core). */
function layerOf(kind: number, tier: number): number {
  if (kind === SWITCH) return 1 + tier;
  return kind === NIC ? 1 : 0;
}

export interface Layout {
  x: Float32Array;
  y: Float32Array;
  layer: Uint8Array;
}

export const WIDTH = 1000;

export function layeredLayout(g: FabricGraph): Layout {
  const n = g.nodes.names.length;
  const layer = new Uint8Array(n);
  const count = new Int32Array(8);
  for (let v = 0; v < n; v++) {
    layer[v] = layerOf(g.nodes.kind[v], g.nodes.tier[v]);
    count[layer[v]]++;
  }
  // Empty layers take no room.
  const row = new Int32Array(8);
  let rows = 0;
  for (let l = 0; l < 8; l++) row[l] = count[l] > 0 ? rows++ : -1;
  const gap = WIDTH / Math.max(3, rows + 1);
  const seen = new Int32Array(8);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let v = 0; v < n; v++) {
    const l = layer[v];
    x[v] = ((seen[l]++ + 0.5) / count[l]) * WIDTH;
    y[v] = row[l] * gap;
  }
  return { x, y, layer };
}

/** Green (idle) → amber → red (saturated). */
export function loadColour(load: number): string {
  const t = Math.max(0, Math.min(1, load));
  const r = Math.round(t < 0.5 ? 34 + t * 2 * (234 - 34) : 234 + (t - 0.5) * 2 * (220 - 234));
  const gr = Math.round(t < 0.5 ? 197 + t * 2 * (179 - 197) : 179 + (t - 0.5) * 2 * (38 - 179));
  const b = Math.round(t < 0.5 ? 94 + t * 2 * (8 - 94) : 8 + (t - 0.5) * 2 * (38 - 8));
  return `rgb(${r},${gr},${b})`;
}

export const TIER_COLOURS: Record<string, string> = {
  host: "#cbd5e1",
  scaleUp: "#a78bfa",
  leaf: "#93c5fd",
  spine: "#60a5fa",
  core: "#2563eb",
};

export const NODE_COLOURS: Record<string, string> = {
  accelerator: "#16a34a",
  memory: "#0891b2",
  storage: "#ca8a04",
  host: "#64748b",
  nic: "#94a3b8",
  scaleUp: "#7c3aed",
  leaf: "#2563eb",
  spine: "#1d4ed8",
  core: "#1e3a8a",
};
