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
import {
  type DrawnEdge,
  drawnKey,
  edgeStats,
  fabricMembers,
  type Groups,
  groupDisplayGraph,
  type View,
  view,
} from "./fabric-lod.js";

/** Ports listed for a clicked device at most (a spine of a 16K fabric has hundreds). */
const MAX_PORTS = 128;

const FAILED = "#dc2626";

/** How long the overview's labels wait after its first frame, so a first zoom or click is answered first. */
const LABELS_AFTER_MS = 1000;

/**
 * Camera ratio (1 = whole fabric in view) below which the groups on screen open: a third of the width
 * holds a few pods, whose opened meshes stay within what software WebGL redraws briskly.
 */
const OPEN_BELOW_RATIO = 0.34;

function edgeColour(g: FabricGraph, e: DrawnEdge): string {
  if (e.failed > 0) return FAILED;
  if (!Number.isNaN(e.maxLoad)) return loadColour(e.maxLoad);
  return TIER_COLOURS[g.cableTiers[e.tier]] ?? "#999";
}

/** Bundles grow with the log of their cables, so a pod's 1,024-cable mesh reads as heavier than one cable. */
function edgeSize(e: DrawnEdge, big: boolean): number {
  if (e.failed > 0) return 2.5;
  const one = big ? 0.3 : 0.6;
  return e.cables === 1 ? one : Math.min(3, one + 0.3 * Math.log2(e.cables));
}

function fillGraph(graph: Graph, g: FabricGraph, v: View): void {
  const big = v.nodes.length > 3000 || v.edges.length > 5000;
  for (const n of v.nodes)
    graph.addNode(n.key, {
      x: n.x,
      y: n.y,
      size: n.size,
      color: NODE_COLOURS[n.role] ?? "#666",
      label: n.label,
      role: n.role,
      group: n.group,
    });
  v.edges.forEach((e, i) => {
    graph.addEdgeWithKey(String(i), e.source, e.target, {
      size: edgeSize(e, big),
      color: edgeColour(g, e),
      cables: e.cables,
      failed: e.failed,
    });
  });
}

/** The cables of a drawn node (all its members'), to the first MAX_PORTS. */
function Ports(props: { g: FabricGraph; d: DisplayGraph; groups?: Groups; node: string }) {
  const { g, d, groups, node } = props;
  const members = useMemo(() => fabricMembers(d, groups, node), [d, groups, node]);
  const rows = useMemo(() => {
    const out: string[][] = [];
    const mine = new Set(members);
    const several = members.length > 1;
    const { from, to, tier, bandwidth, failed, load } = g.cables;
    for (let c = 0; c < from.length && out.length < MAX_PORTS; c++) {
      const inFrom = mine.has(from[c]);
      const inTo = mine.has(to[c]);
      if (inFrom === inTo) continue; // not this node's, or inside a server
      const self = inFrom ? from[c] : to[c];
      const peer = inFrom ? to[c] : from[c];
      out.push([
        ...(several ? [g.nodes.names[self]] : []),
        g.nodes.names[peer],
        g.cableTiers[tier[c]],
        fmtBandwidth(bandwidth[c]),
        load ? fmtPct(load[c]) : "—",
        failed[c] ? "failed" : "up",
      ]);
    }
    return out;
  }, [g, members]);
  const several = members.length > 1;
  const isGroup = node.startsWith("g");
  const title = isGroup ? groups?.names[Number(node.slice(1))] : d.names[Number(node)];
  return (
    <div className="ports" data-testid="ports">
      <h3>{title}</h3>
      <p className="muted">{several ? `${fmtCount(members.length)} devices` : d.role[Number(node)]}</p>
      <Table
        head={[...(several ? ["port of"] : []), "peer", "tier", "bandwidth", "load", "state"]}
        rows={rows}
      />
      {rows.length === MAX_PORTS && <p className="muted">first {MAX_PORTS} ports shown</p>}
    </div>
  );
}

/** The drawn edges of a node: cables, failures and load per neighbour, as the picture bundles them. */
function Links(props: { v: View; node: string }) {
  const { v, node } = props;
  const label = new Map(v.nodes.map((n) => [n.key, n.label]));
  const rows = v.edges
    .filter((e) => e.source === node || e.target === node)
    .map((e) => [
      label.get(e.source === node ? e.target : e.source) ?? "",
      fmtCount(e.cables),
      fmtCount(e.failed),
      Number.isNaN(e.maxLoad) ? "—" : fmtPct(e.maxLoad),
      Number.isNaN(e.maxLoad) ? "—" : fmtPct(e.meanLoad),
    ]);
  if (rows.length === 0) return null;
  return (
    <Table
      testId="links-table"
      head={["linked to", "cables", "failed", "max load", "mean load"]}
      numeric={[false, true, true, true, true]}
      rows={rows}
    />
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
  const graphRef = useRef<Graph | null>(null);
  /** The view the graph was last filled with. */
  const filledRef = useRef<View | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const g = props.graph;
  const switchCount = useMemo(() => g.nodes.kind.filter((k) => g.kinds[k] === "switch").length, [g]);
  const d = useMemo(() => displayGraph(g), [g]);
  const groups = useMemo(() => groupDisplayGraph(d), [d]);
  const stats = useMemo(() => edgeStats(g, d), [g, d]);
  const drawn = useMemo(() => view(d, stats, groups, open), [d, stats, groups, open]);
  const drawnRef = useRef(drawn);
  drawnRef.current = drawn;

  // Sigma lives as long as the fabric: opening a group refills its graph and keeps the camera.
  useEffect(() => {
    if (!box.current) return;
    const started = performance.now();
    const graph = new Graph({ type: "undirected", multi: true });
    fillGraph(graph, g, drawnRef.current);
    graphRef.current = graph;
    filledRef.current = drawnRef.current;
    const big = graph.size > 5_000 || groups !== undefined;
    const sigma = new Sigma(graph, box.current, {
      settings: {
        // Big pictures move with their nodes only, and draw the edges and labels again when still.
        hideEdgesOnMove: big,
        hideLabelsOnMove: big,
        // Sigma draws labels from glyphs it rasterizes first (~0.4 s in software): the overview's labels
        // follow its first frame instead of holding it back.
        renderLabels: graph.order < 3_000 && groups === undefined,
        labelRenderedSizeThreshold: 8,
        minEdgeThickness: 0.3,
        stagePadding: 20,
      },
    });
    // Sigma draws its first frame inside the constructor; the next animation frame is on screen.
    const frame = requestAnimationFrame(() => {
      if (!box.current) return;
      box.current.dataset.renderedMs = String(Math.round(performance.now() - started));
      if (groups) labelsLater = setTimeout(() => sigma.setSetting("renderLabels", true), LABELS_AFTER_MS);
    });
    let labelsLater: ReturnType<typeof setTimeout> | undefined;
    const openGroup = (key: string) => {
      if (key.startsWith("g")) setOpen((o) => new Set([...o, Number(key.slice(1))]));
    };
    sigma.on("clickNode", ({ node }) => {
      setSelected(node);
      openGroup(node);
    });
    sigma.on("clickStage", () => setSelected(null));
    // Zoomed in far enough, the groups in sight open once the camera stops.
    let zoomStill: ReturnType<typeof setTimeout> | undefined;
    sigma.getCamera().on("updated", ({ ratio }) => {
      clearTimeout(zoomStill);
      if (!groups || ratio > OPEN_BELOW_RATIO) return;
      zoomStill = setTimeout(() => {
        const inView = groupsInView(sigma, graph);
        if (inView.length > 0) setOpen((o) => new Set([...o, ...inView]));
      }, 300);
    });
    // Expose the rendered graph to tests and to the console, read-only.
    (window as unknown as { weftFabric?: unknown }).weftFabric = {
      get graph() {
        return graphRef.current;
      },
      sigma,
      clickNode: (name: string) => {
        const v = d.drawnOf[g.nodes.names.indexOf(name)];
        const k = groups ? groups.groupOf[v] : -1;
        if (k >= 0) setOpen((o) => new Set([...o, k]));
        setSelected(String(v));
      },
      openGroup,
    };
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(labelsLater);
      clearTimeout(zoomStill);
      sigma.kill();
      graphRef.current = null;
      setSelected(null);
      setOpen(new Set());
    };
  }, [g, d, groups]);

  // Opening or closing groups: the same graph, refilled (sigma redraws it on the graph's events).
  useEffect(() => {
    const graph = graphRef.current;
    if (graph && filledRef.current !== drawn) {
      graph.clear();
      fillGraph(graph, g, drawn);
      filledRef.current = drawn;
    }
    if (box.current) {
      box.current.dataset.nodes = String(drawn.nodes.length);
      box.current.dataset.edges = String(drawn.edges.length);
    }
  }, [g, drawn]);

  const failedCables = useMemo(() => g.cables.failed.filter((f) => f === 1).length, [g]);
  return (
    <div className="fabric">
      <div className="fabric-main">
        <p className="muted" data-testid="fabric-summary">
          {fmtCount(g.nodes.names.length)} nodes ·{" "}
          <span data-testid="switch-count">{fmtCount(switchCount)}</span> switches ·{" "}
          {fmtCount(g.cables.from.length)} cables
          {failedCables > 0 && ` · ${fmtCount(failedCables)} failed (red)`}
          {g.cables.load ? " · colour: load (busiest cable of a bundle)" : " · colour: tier"}
          {d.aggregated &&
            (d.blocks
              ? " · one node per block of servers cabled to the same switches, parallel cables as one edge"
              : " · one node per server, parallel cables as one edge")}
          {groups && " · pods and planes drawn as one node each: click one to open it"}
        </p>
        {groups && open.size > 0 && (
          <p className="muted">
            {open.size} of {groups.names.length} groups open ·{" "}
            <button type="button" className="link" data-testid="collapse" onClick={() => setOpen(new Set())}>
              close all
            </button>
          </p>
        )}
        <div ref={box} className="sigma" data-testid="fabric-graph" />
        <Legend />
      </div>
      <aside className="fabric-side">
        {selected !== null ? (
          <>
            <Ports g={g} d={d} groups={groups} node={selected} />
            {groups && <Links v={drawn} node={drawnKeyOf(selected, groups, open)} />}
          </>
        ) : (
          <p className="muted">Click a device{groups ? " or a group" : ""} to see its ports.</p>
        )}
        <Bom plan={g.plan} />
      </aside>
    </div>
  );
}

/** Closed groups whose node is on screen. */
function groupsInView(sigma: Sigma, graph: Graph): number[] {
  const { width, height } = sigma.getDimensions();
  const inView: number[] = [];
  graph.forEachNode((key, a) => {
    if (!a.group) return;
    const p = sigma.graphToViewport({ x: a.x, y: a.y });
    if (p.x >= 0 && p.x <= width && p.y >= 0 && p.y <= height) inView.push(Number(key.slice(1)));
  });
  return inView;
}

/** The drawn node standing for a selection: itself, or its group while that is closed. */
function drawnKeyOf(key: string, groups: Groups, open: ReadonlySet<number>): string {
  return key.startsWith("g") ? key : drawnKey(Number(key), groups, open);
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
        <i style={{ background: FAILED }} /> failed cable
      </span>
    </div>
  );
}
