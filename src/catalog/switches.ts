/**
 * Built-in scale-out switches, one entry per (ASIC, port speed) configuration, from
 * data/hardware/switches.csv. Radix and port speed come from the CSV; the CSV leaves latency,
 * buffer, power and price empty for most rows, so the catalog fills them with these stated assumptions:
 *
 * - latency: InfiniBand 130 ns (NVIDIA's quoted Quantum HDR figure; NDR third-party claims range 150-330 ns),
 *   Ethernet ASICs 600 ns (typical cut-through figure for shared-buffer Tomahawk/Spectrum class ASICs;
 *   vendors publish none), Tomahawk Ultra 250 ns (CSV);
 * - buffer per output port queue: one bandwidth-delay product at htsim's sizing (178,450 B at 100 Gb/s,
 *   data/README.md), i.e. port bandwidth x 14.276 µs;
 * - power: 15 W per Tb/s of per-direction capacity, without optics (~500 W Tomahawk 5 chip estimate at
 *   51.2 Tb/s, techinsights.com, x1.5 for fans, CPU and supplies);
 * - price: 500 USD per Tb/s of per-direction capacity (no public list prices).
 */
import type { SwitchSpec } from "./types.js";

const ns = 1e-9;

const HTSIM_QUEUE_BYTES = 178_450;
const HTSIM_LINK_BYTES_PER_S = 100e9 / 8;
/** Seconds of line rate one port queue holds (htsim: 1x BDP). */
const QUEUE_SECONDS = HTSIM_QUEUE_BYTES / HTSIM_LINK_BYTES_PER_S;
const WATTS_PER_TBPS = 15;
const USD_PER_TBPS = 500;

const IB_LATENCY = 130 * ns;
const ETHERNET_LATENCY = 600 * ns;

const ASSUMPTIONS =
  "Buffer (1x BDP per port, htsim sizing), power (15 W per Tb/s) and price (500 USD per Tb/s) are assumptions.";

interface SwitchRow {
  id: string;
  name: string;
  vendor: string;
  radix: number;
  portGbps: number;
  latency: number;
  source: string;
  notes: string;
  /** The ASIC reduces in the network (see SHARP_SOURCE / the row's source). */
  inNetworkReduction?: boolean;
}

/** Buffer, power and price of a switch by the catalog's assumptions (see the file comment). */
export function assumedSwitchFigures(
  radix: number,
  portBandwidth: number,
): { buffer: number; powerW: number; priceUsd: number } {
  const tbps = (radix * portBandwidth * 8) / 1e12;
  return {
    buffer: Math.round(portBandwidth * QUEUE_SECONDS),
    powerW: Math.round(tbps * WATTS_PER_TBPS),
    priceUsd: Math.round(tbps * USD_PER_TBPS),
  };
}

/** Latency assumed for a switch that does not state one (Ethernet ASIC). */
export const ASSUMED_SWITCH_LATENCY = ETHERNET_LATENCY;

function withAssumptions(row: SwitchRow): SwitchSpec {
  const portBandwidth = (row.portGbps * 1e9) / 8;
  return {
    id: row.id,
    name: row.name,
    vendor: row.vendor,
    radix: row.radix,
    portBandwidth,
    latency: row.latency,
    ...assumedSwitchFigures(row.radix, portBandwidth),
    source: row.source,
    notes: `${row.notes} ${ASSUMPTIONS}`.trim(),
    ...(row.inNetworkReduction ? { inNetworkReduction: true } : {}),
  };
}

const TH5_SOURCE =
  "switches.csv Tomahawk 5 (BCM78900): convergedigest.blogspot.com 2022-08 (Broadcom release); techinsights.com node/49000 (~500 W chip)";
const TH6_SOURCE =
  "switches.csv Tomahawk 6 (BCM78910/78914): servethehome (launch); gazettabyte.com 2025-06-03 (512x200G or 1024x100G SerDes)";
const SPECTRUM4_SOURCE =
  "switches.csv SN5600: docs.nvidia.com/networking/display/sn5000/data+interfaces (port table); convergedigest 2022 Spectrum-4";
/**
 * SHARP generations by ASIC: NVIDIA's SHARP Rev 3.13.0 general information (docs.nvidia.com/networking/
 * display/sharpv3130/general-information) lists streaming aggregation on Quantum (HDR, SHARPv2: one active
 * streaming tree per switch), Quantum-2 (NDR, SHARPv3: one active tree per port, trees in parallel) and
 * Quantum-3 (XDR, Quantum-X800: SHARPv4, also in the Q3400 row's source).
 */
const SHARP_SOURCE = "SHARP: docs.nvidia.com/networking/display/sharpv3130/general-information";
const ETH_LATENCY_NOTE = "Latency 600 ns is an assumption (not published).";

const ROWS: SwitchRow[] = [
  {
    id: "QM8700",
    name: "NVIDIA Quantum QM8700 (HDR)",
    vendor: "NVIDIA",
    radix: 40,
    portGbps: 200,
    latency: IB_LATENCY,
    source: "switches.csv QM8700: docs.nvidia.com/networking/display/QM87XX (QM87xx 1U HDR user manual)",
    notes:
      "40x200G HDR (80x100G HDR100 split). Latency ~130 ns as NVIDIA quotes it, not verified. " +
      `SHARPv2 streaming aggregation, one active tree per switch (${SHARP_SOURCE}).`,
    inNetworkReduction: true,
  },
  {
    id: "QM9700",
    name: "NVIDIA Quantum-2 QM9700 (NDR)",
    vendor: "NVIDIA",
    radix: 64,
    portGbps: 400,
    latency: IB_LATENCY,
    source:
      "switches.csv QM9700: docs.nvidia.com/networking/display/QM97X0PUB/Interfaces (32 twin-port OSFP cages); " +
      "itctshop.com infiniband-switch-guide (64x400G, 51.2 Tb/s bidir)",
    notes:
      "Also 128x200G NDR200. Latency: third-party claims conflict (< 150 ns vs ~330 ns); 130 ns assumed as for HDR. " +
      `SHARPv3 streaming aggregation, one active tree per port (${SHARP_SOURCE}).`,
    inNetworkReduction: true,
  },
  {
    id: "Q3400-144x800G",
    name: "NVIDIA Quantum-X800 Q3400-RA (XDR)",
    vendor: "NVIDIA",
    radix: 144,
    portGbps: 800,
    latency: IB_LATENCY,
    source:
      "switches.csv Q3400-RA: ziash.github.io NCA-AIIO study guide (144x800G, 115.2 Tb/s, SHARPv4); " +
      "quantum-computing.news; docs.nvidia.com XDR Q32xx/Q34xx user manual",
    notes: `72 OSFP cages, 200G SerDes. Latency 130 ns assumed as for HDR. SHARPv4 (source above; ${SHARP_SOURCE}).`,
    inNetworkReduction: true,
  },
  {
    id: "TH5-64x800G",
    name: "Broadcom Tomahawk 5, 64x800G",
    vendor: "Broadcom",
    radix: 64,
    portGbps: 800,
    latency: ETHERNET_LATENCY,
    source: TH5_SOURCE,
    notes: `51.2 Tb/s, 512 x 106.25G PAM4 SerDes, shared buffer of unpublished size. ${ETH_LATENCY_NOTE}`,
  },
  {
    id: "TH5-128x400G",
    name: "Broadcom Tomahawk 5, 128x400G",
    vendor: "Broadcom",
    radix: 128,
    portGbps: 400,
    latency: ETHERNET_LATENCY,
    source: TH5_SOURCE,
    notes: `51.2 Tb/s as 128x400G. ${ETH_LATENCY_NOTE}`,
  },
  {
    id: "TH5-256x200G",
    name: "Broadcom Tomahawk 5, 256x200G",
    vendor: "Broadcom",
    radix: 256,
    portGbps: 200,
    latency: ETHERNET_LATENCY,
    source: TH5_SOURCE,
    notes: `51.2 Tb/s as 256x200G. ${ETH_LATENCY_NOTE}`,
  },
  {
    id: "TH6-64x1.6T",
    name: "Broadcom Tomahawk 6, 64x1.6T",
    vendor: "Broadcom",
    radix: 64,
    portGbps: 1600,
    latency: ETHERNET_LATENCY,
    source: TH6_SOURCE,
    notes: `102.4 Tb/s, 3 nm multi-die; Broadcom quotes no power. ${ETH_LATENCY_NOTE}`,
  },
  {
    id: "TH6-128x800G",
    name: "Broadcom Tomahawk 6, 128x800G",
    vendor: "Broadcom",
    radix: 128,
    portGbps: 800,
    latency: ETHERNET_LATENCY,
    source: TH6_SOURCE,
    notes: `102.4 Tb/s as 128x800G. ${ETH_LATENCY_NOTE}`,
  },
  {
    id: "TH6-256x400G",
    name: "Broadcom Tomahawk 6, 256x400G",
    vendor: "Broadcom",
    radix: 256,
    portGbps: 400,
    latency: ETHERNET_LATENCY,
    source: TH6_SOURCE,
    notes: `102.4 Tb/s as 256x400G. ${ETH_LATENCY_NOTE}`,
  },
  {
    id: "TH6-512x200G",
    name: "Broadcom Tomahawk 6, 512x200G",
    vendor: "Broadcom",
    radix: 512,
    portGbps: 200,
    latency: ETHERNET_LATENCY,
    source: TH6_SOURCE,
    notes: `102.4 Tb/s as 512x200G (200G SerDes version). ${ETH_LATENCY_NOTE}`,
  },
  {
    id: "TH-Ultra-64x800G",
    name: "Broadcom Tomahawk Ultra, 64x800G",
    vendor: "Broadcom",
    radix: 64,
    portGbps: 800,
    latency: 250 * ns,
    source:
      "switches.csv Tomahawk Ultra: servethehome.com broadcom-tomahawk-ultra-at-hot-chips-2025; techzine.eu; fs.com blog (250 ns)",
    notes:
      "51.2 Tb/s, 512x100G SerDes; LLR + credit-based flow control; in-network collectives (INC, source above).",
    inNetworkReduction: true,
  },
  {
    id: "Spectrum4-64x800G",
    name: "NVIDIA Spectrum-4 SN5600, 64x800GbE",
    vendor: "NVIDIA",
    radix: 64,
    portGbps: 800,
    latency: ETHERNET_LATENCY,
    source: SPECTRUM4_SOURCE,
    notes: `51.2 Tb/s, fully shared buffer (size unverified). The Spectrum-X800 platform switch. ${ETH_LATENCY_NOTE}`,
  },
  {
    id: "Spectrum4-128x400G",
    name: "NVIDIA Spectrum-4 SN5600, 128x400GbE",
    vendor: "NVIDIA",
    radix: 128,
    portGbps: 400,
    latency: ETHERNET_LATENCY,
    source: SPECTRUM4_SOURCE,
    notes: `51.2 Tb/s as 128x400GbE. ${ETH_LATENCY_NOTE}`,
  },
];

export const SWITCHES: Record<string, SwitchSpec> = Object.fromEntries(
  ROWS.map((row) => [row.id, withAssumptions(row)]),
);
