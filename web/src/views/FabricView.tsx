// The fabric: a layered graph drawn by sigma (WebGL), cables coloured by load when a run measured it and
// by tier otherwise, failed cables in red; click a device for its ports. Beside it, the bill of materials.
import Graph from "graphology";
import { useEffect, useMemo, useRef, useState } from "react";
import Sigma from "sigma";
import { fmtBandwidth, fmtCount, fmtPct, fmtSi, fmtUsd } from "../format.js";
import { Section, Table } from "../results/common.js";
import { type FabricGraph, layeredLayout, loadColour, NODE_COLOURS, TIER_COLOURS } from "./fabric-layout.js";

/** Ports listed for a clicked device at most (a spine of a 16K fabric has hundreds). */
const MAX_PORTS = 128;

function buildGraph(g: FabricGraph): Graph {
  const layout = layeredLayout(g);
  const graph = new Graph({ type: "undirected", multi: true });
  const n = g.nodes.names.length;
  const big = n > 5000;
  for (let v = 0; v < n; v++) {
    const kind = g.kinds[g.nodes.kind[v]];
    const isSwitch = kind === "switch";
    const role = isSwitch ? g.tiers[g.nodes.tier[v]] : kind;
    graph.addNode(String(v), {
      x: layout.x[v],
      y: layout.y[v],
      size: isSwitch ? (big ? 3 : 5) : big ? 1 : 2.5,
      color: NODE_COLOURS[role] ?? "#666",
      label: g.nodes.names[v],
      role,
    });
  }
  const { from, to, tier, failed, load } = g.cables;
  for (let c = 0; c < from.length; c++) {
    const down = failed[c] === 1;
    graph.addEdgeWithKey(String(c), String(from[c]), String(to[c]), {
      size: down ? 2.5 : big ? 0.3 : 0.6,
      color: down ? "#dc2626" : load ? loadColour(load[c]) : TIER_COLOURS[g.cableTiers[tier[c]]],
      cable: c,
    });
  }
  return graph;
}

function Ports(props: { g: FabricGraph; node: number }) {
  const { g, node } = props;
  const rows = useMemo(() => {
    const out: [string, string, string, string, string][] = [];
    const { from, to, tier, bandwidth, failed, load } = g.cables;
    for (let c = 0; c < from.length && out.length < MAX_PORTS; c++) {
      if (from[c] !== node && to[c] !== node) continue;
      const peer = from[c] === node ? to[c] : from[c];
      out.push([
        g.nodes.names[peer],
        g.cableTiers[tier[c]],
        fmtBandwidth(bandwidth[c]),
        load ? fmtPct(load[c]) : "—",
        failed[c] ? "failed" : "up",
      ]);
    }
    return out;
  }, [g, node]);
  const kind = g.kinds[g.nodes.kind[node]];
  return (
    <div className="ports" data-testid="ports">
      <h3>{g.nodes.names[node]}</h3>
      <p className="muted">
        {kind === "switch" ? `${g.tiers[g.nodes.tier[node]]} switch` : kind}
        {g.nodes.group[node] >= 0 ? ` · group ${g.groups[g.nodes.group[node]]}` : ""}
      </p>
      <Table head={["peer", "tier", "bandwidth", "load", "state"]} rows={rows} />
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

  useEffect(() => {
    if (!box.current) return;
    const graph = buildGraph(g);
    const started = performance.now();
    const sigma = new Sigma(graph, box.current, {
      settings: {
        hideEdgesOnMove: graph.size > 20_000,
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
      clickNode: (name: string) => setSelected(g.nodes.names.indexOf(name)),
    };
    return () => {
      cancelAnimationFrame(frame);
      sigma.kill();
      setSelected(null);
    };
  }, [g]);

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
        </p>
        <div ref={box} className="sigma" data-testid="fabric-graph" />
        <Legend />
      </div>
      <aside className="fabric-side">
        {selected !== null && selected >= 0 ? (
          <Ports g={g} node={selected} />
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
