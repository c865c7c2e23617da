/**
 * Built-in optics and cables, from data/hardware/optics.csv (speed, reach, power per module).
 * `bandwidth` is per direction for the whole module (a twin-port 800G OSFP = 2x400G = 100 GB/s).
 * `powerW` and `priceUsd` are per module (one cable end); a copper cable is one item for both ends.
 * No public prices exist; the catalog assumes street-price orders of magnitude: 400G SR4 500, DR4 700,
 * 800G SR8 800, DR8 1,000, 2xFR4 1,400, 1.6T DR8 1,800 USD; DAC 100-200, ACC 300, 200G AOC 400 USD.
 */
import type { OpticSpec } from "./types.js";

const NV = "docs.nvidia.com/networking/display";
const PRICE = "Price is an assumption (no public list price).";

function optic(
  id: string,
  name: string,
  gbps: number,
  powerW: number,
  priceUsd: number,
  reachM: number,
  copper: boolean,
  source: string,
  notes: string,
  vendor = "NVIDIA",
): OpticSpec {
  return { id, name, vendor, bandwidth: (gbps * 1e9) / 8, powerW, priceUsd, reachM, copper, source, notes };
}

export const OPTICS: Record<string, OpticSpec> = Object.fromEntries(
  [
    optic(
      "400G-DR4",
      "400G DR4 OSFP (MMS4X00-NS400)",
      400,
      9,
      700,
      100,
      false,
      `optics.csv: ${NV}/mms4x00ns400/overview`,
      `SMF, MPO-12/APC; 9 W at 400G, 5 W in 200G mode. ${PRICE}`,
    ),
    optic(
      "400G-SR4",
      "400G SR4 OSFP/QSFP112 (MMA4Z00-NS400)",
      400,
      9,
      500,
      50,
      false,
      `optics.csv: ${NV}/MMA4Z00NS400T; ${NV}/MMA1Z00NS400T/Overview`,
      `MMF (OM4); 9 W max, 8 W typical. ${PRICE}`,
    ),
    optic(
      "800G-DR8",
      "800G 2xDR4 twin-port OSFP (MMS4X00-NS)",
      800,
      17,
      1000,
      100,
      false,
      `optics.csv: ${NV}/800gmms4x00nst/overview`,
      `Switch side, finned; 17 W in all configurations. ${PRICE}`,
    ),
    optic(
      "800G-SR8",
      "800G 2xSR4 twin-port OSFP (MMA4Z00-NS)",
      800,
      15,
      800,
      50,
      false,
      `optics.csv: ${NV}/800gmma4z00nst/overview`,
      `MMF (OM4); 15 W. ${PRICE}`,
    ),
    optic(
      "800G-2xFR4",
      "800G 2xFR4 twin-port OSFP (MMS4X50-NM)",
      800,
      17,
      1400,
      2000,
      false,
      `optics.csv: ${NV}/mms4x50nm800g2kmpub`,
      `Power not in the data: assumed 17 W as the DR8. ${PRICE}`,
    ),
    optic(
      "800G-DAC",
      "800G passive DAC (MCP4Y10-Nxxx)",
      800,
      0,
      150,
      2,
      true,
      `optics.csv: ${NV}/mcp4y10nxxx2x400pub`,
      `Copper 30AWG, 0.5-2 m, near-zero power. ${PRICE}`,
    ),
    optic(
      "800G-DAC-2x400G",
      "800G to 2x400G passive DAC splitter (MCP7Y00/MCP7Y10)",
      800,
      0,
      200,
      3,
      true,
      `optics.csv: ${NV}/MCP7Y00NXXX800pub; ${NV}/MCP7Y10NXXX800Gpub`,
      `1-3 m; ACCs for 4-5 m. ${PRICE}`,
    ),
    optic(
      "400G-DAC",
      "400G passive DAC",
      400,
      0,
      100,
      3,
      true,
      `optics.csv: ${NV}/MCP7Y00NXXX800pub (400G ends of the splitter family)`,
      `DERIVED from the 800G splitter's 400G ends: 3 m, near-zero power. ${PRICE}`,
    ),
    optic(
      "800G-ACC",
      "800G active copper cable (NDR ACC)",
      800,
      2.5,
      300,
      5,
      true,
      `optics.csv: ${NV}/mcp7y10nxxx800gpub/transceiver+connectivity+scenarios`,
      `4-5 m. Power not in the data: assumed 2.5 W per end. ${PRICE}`,
    ),
    optic(
      "200G-AOC",
      "200G HDR active optical cable",
      200,
      6,
      400,
      30,
      false,
      `optics.csv: docs.nvidia.com/dgx-superpod/design-guide-cabling-data-centers/latest/port-power.html`,
      `6 W per port is NVIDIA's port-power budget (an upper bound). Reach 30 m assumed. ${PRICE}`,
    ),
    optic(
      "1.6T-DR8",
      "1.6T DR8 OSFP",
      1600,
      25,
      1800,
      500,
      false,
      "catalog assumption, scaled from the 800G DR8 (optics.csv: docs.nvidia.com/networking/display/800gmms4x00nst/overview); reach per IEEE 802.3dj 1.6TBASE-DR8",
      `No 1.6T module in the data: 25 W and the price are assumptions. ${PRICE}`,
      "generic",
    ),
  ].map((o) => [o.id, o]),
);
