/**
 * Other names people use for catalog entries (the ids of data/hardware/*.csv, product names).
 * `findEntry` resolves an alias to its entry; aliases never appear as catalog keys.
 */
import type { Catalog } from "./types.js";

export const ALIASES: { [K in keyof Catalog]: Record<string, string> } = {
  accelerators: {
    "A100-SXM4": "A100-SXM4-80GB",
    A100: "A100-SXM4-80GB",
    "H100-SXM5-80GB": "H100-SXM",
    "H100-SXM5": "H100-SXM",
    H100: "H100-SXM",
    "H200-SXM-141GB": "H200-SXM",
    H200: "H200-SXM",
    "HGX-B200": "B200",
    "HGX-B300": "B300",
    "Gaudi-3": "Gaudi3",
    "HL-325L": "Gaudi3",
    TPUv5p: "TPU-v5p",
    Trn2: "Trainium2",
  },
  scaleUp: {
    nvl72: "nvlink5-nvl72",
    nvl72_domain: "nvlink5-nvl72",
    ualink: "ualink-200g-x4",
    "ualink_1.0": "ualink-200g-x4",
    infinity_fabric_mi300x: "infinity-fabric-mi300x",
    infinity_fabric_mi355x: "infinity-fabric-mi355x",
    gaudi3_roce_scaleup: "gaudi3-roce",
    scale_up_ethernet_sue: "ethernet-sue",
    sue: "ethernet-sue",
    tpu_v5p_ici: "tpu-v5p-ici",
    neuronlink_v3: "neuronlink-v3",
  },
  nics: {
    CX7: "ConnectX-7",
    "ConnectX-8 SuperNIC": "ConnectX-8",
    CX8: "ConnectX-8",
    BF3: "BlueField-3",
    "Pensando Pollara 400": "Pollara-400",
    "Thor Ultra": "Thor-Ultra",
  },
  switches: {
    "Q3400-RA": "Q3400-144x800G",
    "Quantum-X800": "Q3400-144x800G",
    SN5600: "Spectrum4-64x800G",
    "Spectrum-X800": "Spectrum4-64x800G",
    TH5: "TH5-64x800G",
    Tomahawk5: "TH5-64x800G",
    TH6: "TH6-64x1.6T",
    Tomahawk6: "TH6-64x1.6T",
    "Tomahawk-Ultra": "TH-Ultra-64x800G",
  },
  optics: {
    "MMS4X00-NS400": "400G-DR4",
    "MMA4Z00-NS400": "400G-SR4",
    "MMS4X00-NS": "800G-DR8",
    "MMA4Z00-NS": "800G-SR8",
    "MMS4X50-NM": "800G-2xFR4",
  },
};
