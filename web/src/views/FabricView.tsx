// The fabric: a layered graph drawn by sigma (WebGL), cables coloured by load when a run measured it and
// by tier otherwise, failed cables in red; click a device for its ports. Beside it, the bill of materials.
import Graph from "graphology";
import { useEffect, useMemo, useRef, useState } from "react";
import Sigma from "sigma";
import { fmtBandwidth, fmtCount, fmtPct, fmtSi, fmtUsd } from "../format.js";
import { Section, Table } from "../results/common.js";
import {
  type DisplayGraph,
  displayGraph,
  type FabricGraph,
  loadColour,
  NODE_COLOURS,
  TIER_COLOURS,
} from "./fabric-layout.js";

/** Ports listed for a clicked device at most (a spine of a 16K fabric has hundreds). */
const MAX_PORTS = 128;

function buildGraph(g: FabricGraph, d: DisplayGraph): Graph {
  const graph = new Graph({ type: "undirected", multi: true });
  const big = d.names.length > 3000;
  for (let v = 0; v < d.names.length; v++) {
    const isSwitch = d.layer[v] >= 2;
    graph.addNode(String(v), {
      x: d.x[v],
      y: d.y[v],
      size: isSwitch ? (big ? 3 : 5) : big ? 1.5 : 2.5,
      color: NODE_COLOURS[d.role[v]] ?? "#666",
      label: d.names[v],
      role: d.role[v],
    });
  }
  const { failed, load, tier } = g.cables;
  d.edges.forEach((e, i) => {
    const down = e.cables.some((c) => failed[c] === 1);
    const busiest = load ? Math.max(...e.cables.map((c) => load[c])) : undefined;
    graph.addEdgeWithKey(String(i), String(e.source), String(e.target), {
      size: down ? 2.5 : big ? 0.3 : 0.6,
      color: down
        ? "#dc2626"
        : busiest !== undefined
          ? loadColour(busiest)
          : TIER_COLOURS[g.cableTiers[tier[e.cables[0]]]],
    });
  });
  return graph;
}

/** The cables of a drawn node (all its members'), to the first MAX_PORTS. */
function Ports(props: { g: FabricGraph; d: DisplayGraph; node: number }) {
  const { g, d, node } = props;
  const rows = useMemo(() => {
    const out: string[][] = [];
    const mine = new Set(d.members[node]);
    const { from, to, tier, bandwidth, failed, load } = g.cables;
    for (let c = 0; c < from.length && out.length < MAX_PORTS; c++) {
      const inFrom = mine.has(from[c]);
      const inTo = mine.has(to[c]);
      if (inFrom === inTo) continue; // not this node's, or inside a server
      const self = inFrom ? from[c] : to[c];
      const peer = inFrom ? to[c] : from[c];
      out.push([
        ...(d.aggregated && d.members[node].length > 1 ? [g.nodes.names[self]] : []),
        g.nodes.names[peer],
        g.cableTiers[tier[c]],
        fmtBandwidth(bandwidth[c]),
        load ? fmtPct(load[c]) : "—",
        failed[c] ? "failed" : "up",
      ]);
    }
    return out;
  }, [g, d, node]);
  const several = d.aggregated && d.members[node].length > 1;
  return (
    <div className="ports" data-testid="ports">
      <h3>{d.names[node]}</h3>
      <p className="muted">
        {several ? `${d.members[node].length} devices (accelerators and NICs)` : d.role[node]}
      </p>
      <Table
        head={[...(several ? ["port of"] : []), "peer", "tier", "bandwidth", "load", "state"]}
        rows={rows}
      />
      {rows.length === MAX_PORTS && <p className="muted">first {MAX_PORTS} ports shown</p>}
    </div>
  );
}

function Bom(props: { plan: FabricGraph["plan"] }) {
  const p = props.plan;
  const parts = ["switches", "optics", "nics", "accelerators", "total"];
  return (
    <Section title="Bill of materials">
      <Table
        testId="bom-table"
        head={["", "cost", "power"]}
        numeric={[false, true, true]}
        rows={parts.map((k) => [k, fmtUsd(p.costUsd[k] ?? 0), fmtSi(p.powerW[k] ?? 0, "W")])}
      />
      <Table
        head={["switches", "count"]}
        numeric={[false, true]}
        rows={Object.entries(p.switches).map(([t, c]) => [t, fmtCount(c)])}
      />
      <Table
        head={["cables", "count"]}
        numeric={[false, true]}
        rows={Object.entries(p.cables).map(([t, c]) => [t, fmtCount(c)])}
      />
      {Object.keys(p.optics).length > 0 && (
        <Table
          head={["optics", "count"]}
          numeric={[false, true]}
          rows={Object.entries(p.optics).map(([t, c]) => [t, fmtCount(c)])}
        />
      )}
      {p.warnings.map((w) => (
        <p className="warning" key={w}>
          {w}
        </p>
      ))}
    </Section>
  );
}

export function FabricView(props: { graph: FabricGraph }) {
  const box = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const g = props.graph;
  const switchCount = useMemo(() => g.nodes.kind.filter((k) => g.kinds[k] === "switch").length, [g]);
  const d = useMemo(() => displayGraph(g), [g]);

  useEffect(() => {
    if (!box.current) return;
    const started = performance.now();
    const graph = buildGraph(g, d);
    const sigma = new Sigma(graph, box.current, {
      settings: {
        // Big pictures move with their nodes only, and draw the edges again when still.
        hideEdgesOnMove: graph.size > 5_000,
        renderLabels: graph.order < 3_000,
        labelRenderedSizeThreshold: 8,
        minEdgeThickness: 0.3,
        stagePadding: 20,
      },
    });
    // Sigma draws its first frame inside the constructor; the next animation frame is on screen.
    const frame = requestAnimationFrame(() => {
      if (!box.current) return;
      box.current.dataset.renderedMs = String(Math.round(performance.now() - started));
      box.current.dataset.nodes = String(graph.order);
      box.current.dataset.edges = String(graph.size);
    });
    sigma.on("clickNode", ({ node }) => setSelected(Number(node)));
    sigma.on("clickStage", () => setSelected(null));
    // Expose the rendered graph to tests and to the console, read-only.
    (window as unknown as { weftFabric?: unknown }).weftFabric = {
      graph,
      sigma,
      clickNode: (name: string) => setSelected(d.drawnOf[g.nodes.names.indexOf(name)]),
    };
    return () => {
      cancelAnimationFrame(frame);
      sigma.kill();
      setSelected(null);
    };
  }, [g, d]);

  return (
    <div className="fabric">
      <div className="fabric-main">
        <p className="muted" data-testid="fabric-summary">
          {fmtCount(g.nodes.names.length)} nodes ·{" "}
          <span data-testid="switch-count">{fmtCount(switchCount)}</span> switches ·{" "}
          {fmtCount(g.cables.from.length)} cables
          {g.cables.failed.some((f) => f === 1) &&
            ` · ${fmtCount(g.cables.failed.filter((f) => f === 1).length)} failed (red)`}
          {g.cables.load ? " · colour: load" : " · colour: tier"}
          {d.aggregated &&
            (d.blocks
              ? " · one node per block of servers cabled to the same switches, parallel cables as one edge"
              : " · one node per server, parallel cables as one edge")}
        </p>
        <div ref={box} className="sigma" data-testid="fabric-graph" />
        <Legend />
      </div>
      <aside className="fabric-side">
        {selected !== null && selected >= 0 ? (
          <Ports g={g} d={d} node={selected} />
        ) : (
          <p className="muted">Click a device to see its ports.</p>
        )}
        <Bom plan={g.plan} />
      </aside>
    </div>
  );
}

function Legend() {
  return (
    <div className="legend">
      {Object.entries(NODE_COLOURS).map(([k, c]) => (
        <span key={k}>
          <i style={{ background: c }} /> {k}
        </span>
      ))}
      <span>
        <i style={{ background: "#dc2626" }} /> failed cable
      </span>
    </div>
  );
}
