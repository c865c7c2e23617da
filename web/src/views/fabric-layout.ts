// The fabric as layers, bottom to top: endpoints, NICs, scale-up switches, leaf, spine, core. Each node
// is placed by its order inside its layer, spread over the same width, so the picture reads like the
// topology diagrams in vendors' reference designs. Plain arrays in, plain arrays out.

export interface FabricGraph {
  nodes: { names: string[]; kind: number[]; tier: number[]; group: number[]; server: number[] };
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

/** Above this many accelerators, each server is drawn as one node and parallel cables as one edge. */
export const AGGREGATE_ABOVE = 4096;

/**
 * Above this many server cables (after bundling), servers cabled to the same switches are drawn as one
 * block: software WebGL redraws ~25,000 edges in seconds, and a 16K-GPU rail-optimized fabric has one
 * cable per NIC (2,048 servers × 8 rails) where its scalable units have a few hundred distinct leaf sets.
 */
export const BLOCK_ABOVE = 8192;

/** Layer of a node: 0 endpoints (or servers), 1 NICs, then 1 + switch tier (scale-up, leaf, spine, core). */
function layerOf(kind: number, tier: number): number {
  if (kind === SWITCH) return 1 + tier;
  return kind === NIC ? 1 : 0;
}

/** What is drawn: nodes (a fabric node, or a server of them) and edges (one cable, or a bundle). */
export interface DisplayGraph {
  names: string[];
  role: string[];
  layer: Uint8Array;
  /** Fabric nodes behind each drawn node. */
  members: number[][];
  /** Drawn node of each fabric node. */
  drawnOf: Int32Array;
  edges: { source: number; target: number; cables: number[] }[];
  x: Float32Array;
  y: Float32Array;
  aggregated: boolean;
  /** Servers cabled to the same switches are one node. */
  blocks: boolean;
}

export const WIDTH = 1000;

export function displayGraph(g: FabricGraph): DisplayGraph {
  const n = g.nodes.names.length;
  const accelerators = g.nodes.kind.filter((k) => g.kinds[k] === "accelerator").length;
  const aggregated = accelerators > AGGREGATE_ABOVE;
  const serverOf = aggregated ? withServerSwitches(g) : g.nodes.server;
  const blockOf = aggregated ? serverBlocks(g, serverOf) : undefined;
  const drawnOf = new Int32Array(n);
  const names: string[] = [];
  const role: string[] = [];
  const layers: number[] = [];
  const members: number[][] = [];
  const serverNode = new Map<number, number>();
  for (let v = 0; v < n; v++) {
    const server = serverOf[v];
    if (aggregated && server >= 0) {
      const block = blockOf ? blockOf.block[server] : server;
      let d = serverNode.get(block);
      if (d === undefined) {
        d = names.length;
        serverNode.set(block, d);
        names.push(blockOf ? blockOf.names[block] : `server ${server}`);
        role.push("server");
        layers.push(0);
        members.push([]);
      }
      drawnOf[v] = d;
      members[d].push(v);
      continue;
    }
    const kind = g.kinds[g.nodes.kind[v]];
    drawnOf[v] = names.length;
    names.push(g.nodes.names[v]);
    role.push(kind === "switch" ? g.tiers[g.nodes.tier[v]] : kind);
    layers.push(layerOf(g.nodes.kind[v], g.nodes.tier[v]));
    members.push([v]);
  }
  const edges: DisplayGraph["edges"] = [];
  const bundle = new Map<number, number>();
  const { from, to } = g.cables;
  for (let c = 0; c < from.length; c++) {
    const a = drawnOf[from[c]];
    const b = drawnOf[to[c]];
    if (a === b) continue; // inside a server
    if (!aggregated) {
      edges.push({ source: a, target: b, cables: [c] });
      continue;
    }
    const key = Math.min(a, b) * names.length + Math.max(a, b);
    const e = bundle.get(key);
    if (e === undefined) {
      bundle.set(key, edges.length);
      edges.push({ source: a, target: b, cables: [c] });
    } else edges[e].cables.push(c);
  }
  const layer = Uint8Array.from(layers);
  const { x, y } = place(layer);
  return { names, role, layer, members, drawnOf, edges, x, y, aggregated, blocks: blockOf !== undefined };
}

/**
 * The server of each node, counting a scale-up switch cabled to one server's devices only (the NVSwitch
 * of an HGX board) as part of that server: it is inside the box, and drawing it apart doubles the nodes.
 */
function withServerSwitches(g: FabricGraph): Int32Array {
  const serverOf = Int32Array.from(g.nodes.server);
  const only = new Int32Array(serverOf.length).fill(-1); // -1 none yet, -2 several servers or others
  const { from, to } = g.cables;
  const meet = (sw: number, peer: number) => {
    if (g.kinds[g.nodes.kind[sw]] !== "switch" || g.tiers[g.nodes.tier[sw]] !== "scaleUp") return;
    const s = g.nodes.server[peer];
    only[sw] = s < 0 || (only[sw] !== -1 && only[sw] !== s) ? -2 : s;
  };
  for (let c = 0; c < from.length; c++) {
    meet(from[c], to[c]);
    meet(to[c], from[c]);
  }
  for (let v = 0; v < only.length; v++) if (only[v] >= 0) serverOf[v] = only[v];
  return serverOf;
}

/**
 * Servers grouped by the switches they are cabled to, when one node per server would leave more than
 * BLOCK_ABOVE server cables to draw; undefined when it would not. Blocks are numbered in server order
 * and named by their servers' range ("servers 0–31").
 */
function serverBlocks(
  g: FabricGraph,
  serverOf: ArrayLike<number>,
): { block: Int32Array; names: string[] } | undefined {
  let servers = 0;
  for (let v = 0; v < serverOf.length; v++) if (serverOf[v] >= servers) servers = serverOf[v] + 1;
  const peers: Set<number>[] = Array.from({ length: servers }, () => new Set());
  const { from, to } = g.cables;
  for (let c = 0; c < from.length; c++) {
    const a = serverOf[from[c]];
    const b = serverOf[to[c]];
    if (a >= 0 && b < 0) peers[a].add(to[c]);
    else if (b >= 0 && a < 0) peers[b].add(from[c]);
  }
  const cables = peers.reduce((s, p) => s + p.size, 0);
  if (cables <= BLOCK_ABOVE) return undefined;
  const byKey = new Map<string, number>();
  const block = new Int32Array(servers);
  const first: number[] = [];
  const last: number[] = [];
  const count: number[] = [];
  for (let s = 0; s < servers; s++) {
    const key = [...peers[s]].sort((x, y) => x - y).join(",");
    let b = byKey.get(key);
    if (b === undefined) {
      b = first.length;
      byKey.set(key, b);
      first.push(s);
      last.push(s);
      count.push(0);
    }
    block[s] = b;
    last[b] = s;
    count[b]++;
  }
  const names = first.map((f, b) =>
    count[b] === 1
      ? `server ${f}`
      : count[b] === last[b] - f + 1
        ? `servers ${f}–${last[b]}`
        : `${count[b]} servers from ${f}`,
  );
  return { block, names };
}

/** Each node by its order inside its layer, spread over the same width; empty layers take no room. */
function place(layer: Uint8Array): { x: Float32Array; y: Float32Array } {
  const count = new Int32Array(8);
  for (const l of layer) count[l]++;
  const row = new Int32Array(8);
  let rows = 0;
  for (let l = 0; l < 8; l++) row[l] = count[l] > 0 ? rows++ : -1;
  const gap = WIDTH / Math.max(3, rows + 1);
  const seen = new Int32Array(8);
  const x = new Float32Array(layer.length);
  const y = new Float32Array(layer.length);
  for (let v = 0; v < layer.length; v++) {
    const l = layer[v];
    x[v] = ((seen[l]++ + 0.5) / count[l]) * WIDTH;
    y[v] = row[l] * gap;
  }
  return { x, y };
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
  server: "#15803d",
  memory: "#0891b2",
  storage: "#ca8a04",
  host: "#64748b",
  nic: "#94a3b8",
  scaleUp: "#7c3aed",
  leaf: "#2563eb",
  spine: "#1d4ed8",
  core: "#1e3a8a",
};
