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
  drawnLabel,
  type EdgeStats,
  edgeStats,
  fabricMembers,
  type Groups,
  groupDisplayGraph,
  linksOf,
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
  return (
    <div className="ports" data-testid="ports">
      <h3>{drawnLabel(d, groups, node)}</h3>
      <p className="muted">{several ? `${fmtCount(members.length)} devices` : d.role[Number(node)]}</p>
      <Table
        head={[...(several ? ["port of"] : []), "peer", "tier", "bandwidth", "load", "state"]}
        rows={rows}
      />
      {rows.length === MAX_PORTS && <p className="muted">first {MAX_PORTS} ports shown</p>}
    </div>
  );
}

/** A selection's links as the picture bundles them: cables, failures and load per neighbour. */
function Links(props: {
  d: DisplayGraph;
  stats: EdgeStats;
  groups: Groups;
  open: ReadonlySet<number>;
  node: string;
}) {
  const { d, stats, groups, open, node } = props;
  const rows = useMemo(() => {
    const self = node.startsWith("g") ? node : drawnKey(Number(node), groups, open);
    return linksOf(d, stats, groups, open, node).map((e) => [
      drawnLabel(d, groups, e.source === self ? e.target : e.source),
      fmtCount(e.cables),
      fmtCount(e.failed),
      Number.isNaN(e.maxLoad) ? "—" : fmtPct(e.maxLoad),
      Number.isNaN(e.maxLoad) ? "—" : fmtPct(e.meanLoad),
    ]);
  }, [d, stats, groups, open, node]);
  return (
    <Section title="Links as drawn">
      <Table
        testId="links-table"
        head={["linked to", "cables", "failed", "max load", "mean load"]}
        numeric={[false, true, true, true, true]}
        rows={rows}
      />
    </Section>
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

/** A fabric with what its picture is made from, computed once per fabric. */
interface Prepared {
  g: FabricGraph;
  d: DisplayGraph;
  groups?: Groups;
  stats: EdgeStats;
}

function prepare(g: FabricGraph): Prepared {
  const d = displayGraph(g);
  return { g, d, groups: groupDisplayGraph(d), stats: edgeStats(g, d) };
}

/** Open groups and the selection belong to one fabric: another fabric starts closed, nothing selected. */
interface Choice {
  of: Prepared | null;
  open: ReadonlySet<number>;
  selected: string | null;
}

const NONE: Choice = { of: null, open: new Set(), selected: null };

export function FabricView(props: { graph: FabricGraph | null }) {
  const box = useRef<HTMLDivElement>(null);
  const sigmaRef = useRef<Sigma | null>(null);
  /** The fabric and the view sigma's graph holds. */
  const shownRef = useRef<{ p: Prepared | null; v: View | null }>({ p: null, v: null });
  /** Cancels what the last first picture left scheduled. */
  const cancelRef = useRef(() => {});
  const p = useMemo(() => (props.graph ? prepare(props.graph) : null), [props.graph]);
  const pRef = useRef(p);
  pRef.current = p;
  const [stored, setChoice] = useState<Choice>(NONE);
  const choice = stored.of === p ? stored : NONE;
  const drawn = useMemo(() => (p ? view(p.d, p.stats, p.groups, choice.open) : null), [p, choice.open]);

  // Sigma starts with the first fabric and lives as long as the view: opening groups or another fabric
  // refills its graph (it redraws on the graph's events).
  useEffect(() => {
    const shown = shownRef.current;
    if (!p || !drawn || !box.current || shown.v === drawn) return;
    if (!sigmaRef.current) {
      sigmaRef.current = startSigma(box.current);
      listen(sigmaRef.current, pRef, setChoice);
    }
    const sigma = sigmaRef.current;
    const fresh = shown.p !== p;
    shownRef.current = { p, v: drawn };
    if (fresh) {
      cancelRef.current();
      cancelRef.current = drawFabric(sigma, p, drawn, box.current);
    } else refill(sigma.getGraph(), p.g, drawn);
    box.current.dataset.nodes = String(drawn.nodes.length);
    box.current.dataset.edges = String(drawn.edges.length);
    box.current.dataset.detailedEdges = String(p.d.edges.length);
  }, [p, drawn]);

  useEffect(
    () => () => {
      cancelRef.current();
      sigmaRef.current?.kill();
    },
    [],
  );

  return (
    <div className="fabric">
      <div className="fabric-main">
        {p ? <Summary p={p} /> : <p className="muted">building the fabric…</p>}
        {p?.groups && choice.open.size > 0 && (
          <p className="muted">
            {choice.open.size} of {p.groups.names.length} groups open ·{" "}
            <button
              type="button"
              className="link"
              data-testid="collapse"
              onClick={() => setChoice({ ...choice, of: p, open: new Set() })}
            >
              close all
            </button>
          </p>
        )}
        <div ref={box} className="sigma" data-testid="fabric-graph" />
        <Legend />
      </div>
      <aside className="fabric-side">
        {p &&
          (choice.selected !== null ? (
            <>
              {p.groups && (
                <Links d={p.d} stats={p.stats} groups={p.groups} open={choice.open} node={choice.selected} />
              )}
              <Ports g={p.g} d={p.d} groups={p.groups} node={choice.selected} />
            </>
          ) : (
            <p className="muted">Click a device{p.groups ? " or a group" : ""} to see its ports.</p>
          ))}
        {p && <Bom plan={p.g.plan} />}
      </aside>
    </div>
  );
}

function Summary(props: { p: Prepared }) {
  const { g, d, groups } = props.p;
  const switchCount = useMemo(() => g.nodes.kind.filter((k) => g.kinds[k] === "switch").length, [g]);
  const failedCables = useMemo(() => g.cables.failed.filter((f) => f === 1).length, [g]);
  return (
    <p className="muted" data-testid="fabric-summary">
      {fmtCount(g.nodes.names.length)} nodes · <span data-testid="switch-count">{fmtCount(switchCount)}</span>{" "}
      switches · {fmtCount(g.cables.from.length)} cables
      {failedCables > 0 && ` · ${fmtCount(failedCables)} failed (red)`}
      {g.cables.load ? " · colour: load (busiest cable of a bundle)" : " · colour: tier"}
      {d.aggregated &&
        (d.blocks
          ? " · one node per block of servers cabled to the same switches, parallel cables as one edge"
          : " · one node per server, parallel cables as one edge")}
      {groups && " · pods and planes drawn as one node each: click one to open it"}
    </p>
  );
}

/** Clicks and zooms change the choice of the fabric shown now; the handle serves tests and the console. */
function listen(
  sigma: Sigma,
  pRef: { current: Prepared | null },
  setChoice: (f: (c: Choice) => Choice) => void,
): void {
  const change = (f: (c: Choice) => Choice) =>
    setChoice((c) => f(c.of === pRef.current ? c : { ...NONE, of: pRef.current }));
  const openGroups = (ks: number[]) => change((c) => ({ ...c, open: new Set([...c.open, ...ks]) }));
  const select = (key: string | null) => change((c) => ({ ...c, selected: key }));
  sigma.on("clickNode", ({ node }) => {
    select(node);
    if (node.startsWith("g")) openGroups([Number(node.slice(1))]);
  });
  sigma.on("clickStage", () => select(null));
  openGroupsOnZoom(sigma, openGroups);
  // Expose the rendered graph to tests and to the console, read-only.
  (window as unknown as { weftFabric?: unknown }).weftFabric = {
    graph: sigma.getGraph(),
    sigma,
    clickNode: (name: string) => {
      const f = pRef.current;
      if (!f) return;
      const v = f.d.drawnOf[f.g.nodes.names.indexOf(name)];
      const k = f.groups ? f.groups.groupOf[v] : -1;
      if (k >= 0) openGroups([k]);
      select(String(v));
    },
    openGroups,
  };
}

/**
 * A fabric's first picture: settings for its size, the whole picture in view, labels after it. Returns a
 * cancel for what it leaves scheduled.
 */
function drawFabric(sigma: Sigma, p: Prepared, v: View, box: HTMLElement | null): () => void {
  const started = performance.now();
  if (box) delete box.dataset.renderedMs;
  const overview = p.groups !== undefined;
  const big = v.edges.length > 5_000 || overview;
  // Big pictures move with their nodes only, and draw the edges and labels again when still.
  sigma.setSetting("hideEdgesOnMove", big);
  sigma.setSetting("hideLabelsOnMove", big);
  // Sigma draws labels from glyphs it rasterizes first (~0.4 s in software WebGL): the overview's labels
  // follow its first frame instead of holding it back.
  sigma.setSetting("renderLabels", v.nodes.length < 3_000 && !overview);
  sigma.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
  refill(sigma.getGraph(), p.g, v);
  sigma.refresh();
  // Sigma has drawn the frame; the next animation frame has it on screen.
  let labelsLater: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    if (box) box.dataset.renderedMs = String(Math.round(performance.now() - started));
    if (overview) labelsLater = setTimeout(() => sigma.setSetting("renderLabels", true), LABELS_AFTER_MS);
  });
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(labelsLater);
  };
}

function refill(graph: Graph, g: FabricGraph, v: View): void {
  graph.clear();
  fillGraph(graph, g, v);
}

function startSigma(container: HTMLElement): Sigma {
  return new Sigma(new Graph({ type: "undirected", multi: true }), container, {
    settings: { renderLabels: false, labelRenderedSizeThreshold: 8, minEdgeThickness: 0.3, stagePadding: 20 },
  });
}

/** Zoomed in past OPEN_BELOW_RATIO, the groups in sight open once the camera stops. */
function openGroupsOnZoom(sigma: Sigma, open: (groups: number[]) => void): void {
  let still: ReturnType<typeof setTimeout> | undefined;
  sigma.getCamera().on("updated", ({ ratio }) => {
    clearTimeout(still);
    if (ratio > OPEN_BELOW_RATIO) return;
    still = setTimeout(() => {
      const inView = groupsInView(sigma);
      if (inView.length > 0) open(inView);
    }, 300);
  });
  sigma.on("kill", () => clearTimeout(still));
}

/** Closed groups whose node is on screen. */
function groupsInView(sigma: Sigma): number[] {
  const { width, height } = sigma.getDimensions();
  const inView: number[] = [];
  sigma.getGraph().forEachNode((key, a) => {
    if (!a.group) return;
    const p = sigma.graphToViewport({ x: a.x, y: a.y });
    if (p.x >= 0 && p.x <= width && p.y >= 0 && p.y <= height) inView.push(Number(key.slice(1)));
  });
  return inView;
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
