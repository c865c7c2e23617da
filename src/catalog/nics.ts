/**
 * Built-in NICs, from data/hardware/nics.csv (port speed and host interface). The CSV has no
 * power or price for any NIC; the catalog assumes, per port speed: 100G 15 W / 800 USD, 200G 20 W /
 * 1,200 USD, 400G 25 W / 2,000 USD, 800G 35 W / 3,000 USD (a DPU, BlueField-3, 75 W / 3,500 USD).
 *
 * Host bandwidth is the PCIe link per direction: Gen4 x16 31.5 GB/s and Gen5 x16 63 GB/s (16 or 32 GT/s
 * x 16 lanes, 128b/130b encoding), Gen6 x16 121 GB/s (64 GT/s x 16 lanes, 242/256 FLIT efficiency),
 * from the PCI Express base specifications.
 */
import type { NicSpec } from "./types.js";

const GBps = 1e9;
const PCIE4_X16 = 31.5 * GBps;
const PCIE5_X16 = 63 * GBps;
const PCIE6_X16 = 121 * GBps;
const ASSUMED = "Power and price are assumptions (not published).";

function nic(
  id: string,
  name: string,
  vendor: string,
  gbps: number,
  hostBandwidth: number,
  powerW: number,
  priceUsd: number,
  source: string,
  notes: string,
): NicSpec {
  return { id, name, vendor, bandwidth: (gbps * 1e9) / 8, hostBandwidth, powerW, priceUsd, source, notes };
}

const GENERIC = "Generic NIC of this port speed: figures are the catalog's per-speed assumptions.";

export const NICS: Record<string, NicSpec> = Object.fromEntries(
  [
    nic(
      "ConnectX-7",
      "NVIDIA ConnectX-7 400G",
      "NVIDIA",
      400,
      PCIE5_X16,
      25,
      2000,
      "nics.csv ConnectX-7: docs.nvidia.com/networking/display/connectx7vpiocp3/supported+interfaces (PCIe Gen 5.0 x16)",
      `IB NDR / RoCE; 1x400G OSFP or 2x QSFP112. ${ASSUMED}`,
    ),
    nic(
      "ConnectX-8",
      "NVIDIA ConnectX-8 SuperNIC 800G",
      "NVIDIA",
      800,
      PCIE6_X16,
      35,
      3000,
      "nics.csv ConnectX-8 SuperNIC: docs.nvidia.com/networking/display/connectx8firmwarev40441036 (800Gb/s XDR or 2x400GbE); " +
        "servethehome Hot Chips 2025 (48 Gen6 lanes, integrated switch)",
      `800G XDR IB or 2x400GbE (single-port 800GbE not supported per firmware notes); host link taken as the x16 edge. ${ASSUMED}`,
    ),
    nic(
      "BlueField-3",
      "NVIDIA BlueField-3 DPU 400G",
      "NVIDIA",
      400,
      PCIE5_X16,
      75,
      3500,
      "nics.csv BlueField-3 (B3140/B3240): docs.nvidia.com/doca DOCA Installation Guide; BlueField DPU BSP supported platforms",
      `B3220 = 2x200G. P-series DPUs need 8-pin ATX power. ${ASSUMED}`,
    ),
    nic(
      "Pollara-400",
      "AMD Pensando Pollara 400",
      "AMD",
      400,
      PCIE5_X16,
      25,
      2000,
      "nics.csv Pensando Pollara 400: amd.com/en/products/network-interface-cards/pensando.html; wccftech.com Hot Chips 2025",
      `UEC-ready RDMA (packet spraying, out-of-order placement, selective retransmit), RoCEv2. ${ASSUMED}`,
    ),
    nic(
      "Thor-Ultra",
      "Broadcom Thor Ultra 800G",
      "Broadcom",
      800,
      PCIE6_X16,
      35,
      3000,
      "nics.csv Thor Ultra: onmine.io/broadcom-drops-the-hammer-on-ai-networking-with-thor-ultra",
      `UEC (multipath, out-of-order, SACK). ${ASSUMED}`,
    ),
    nic("nic-100g", "Generic 100G NIC", "generic", 100, PCIE4_X16, 15, 800, "catalog assumption", GENERIC),
    nic("nic-200g", "Generic 200G NIC", "generic", 200, PCIE4_X16, 20, 1200, "catalog assumption", GENERIC),
    nic("nic-400g", "Generic 400G NIC", "generic", 400, PCIE5_X16, 25, 2000, "catalog assumption", GENERIC),
    nic("nic-800g", "Generic 800G NIC", "generic", 800, PCIE6_X16, 35, 3000, "catalog assumption", GENERIC),
  ].map((n) => [n.id, n]),
);
