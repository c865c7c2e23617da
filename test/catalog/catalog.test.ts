// The built-in catalog: required ids, figures against data/hardware/*.csv, look-ups and overrides.
import { describe, expect, it } from "vitest";
import {
  ALIASES,
  builtinCatalog,
  CATALOG_KINDS,
  findEntry,
  mergeCatalog,
  pricePerFlopLikeH100,
} from "../../src/catalog/index.js";
import { WeftError } from "../../src/errors.js";
import { readDataCsv } from "../helpers/data.js";

const catalog = builtinCatalog();

const REQUIRED = {
  accelerators: [
    "A100-SXM4-80GB",
    "H100-SXM",
    "H200-SXM",
    "B200",
    "GB200",
    "MI300X",
    "MI355X",
    "Gaudi3",
    "B300",
    "GB300",
    "MI325X",
    "TPU-v5p",
    "Trainium2",
  ],
  scaleUp: [
    "nvlink3",
    "nvlink4",
    "nvlink5",
    "ualink-200g-x4",
    "infinity-fabric-mi300x",
    "nvlink5-nvl72",
    "infinity-fabric-mi355x",
    "gaudi3-roce",
    "ethernet-sue",
  ],
  switches: [
    "QM8700",
    "QM9700",
    "TH5-64x800G",
    "TH5-128x400G",
    "TH6-64x1.6T",
    "TH6-128x800G",
    "Spectrum4-64x800G",
    "Q3400-144x800G",
    "TH-Ultra-64x800G",
  ],
  nics: [
    "ConnectX-7",
    "ConnectX-8",
    "BlueField-3",
    "Pollara-400",
    "Thor-Ultra",
    "nic-100g",
    "nic-200g",
    "nic-400g",
    "nic-800g",
  ],
  optics: ["400G-DR4", "400G-SR4", "800G-DR8", "800G-SR8", "800G-DAC", "800G-ACC"],
} as const;

describe("built-in catalog", () => {
  it("has every required id, each keyed by its own id, with a source", () => {
    for (const [kind, ids] of Object.entries(REQUIRED)) {
      for (const id of ids) expect(catalog[kind as keyof typeof REQUIRED][id]?.id, `${kind} ${id}`).toBe(id);
    }
    for (const kind of CATALOG_KINDS) {
      for (const [id, entry] of Object.entries(catalog[kind])) {
        expect(entry.id).toBe(id);
        expect(entry.source.length, `${kind} ${id} source`).toBeGreaterThan(10);
      }
    }
  });

  it("key figures: dense bf16, per-direction scale-up, SI units", () => {
    expect(catalog.accelerators["H100-SXM"].peakFlops.bf16).toBe(989e12);
    expect(catalog.accelerators["H100-SXM"].peakFlops.fp8).toBe(1979e12);
    expect(catalog.scaleUp.nvlink4.bandwidth).toBe(450e9);
    expect(catalog.scaleUp["ualink-200g-x4"].bandwidth).toBe(4 * 100e9);
    expect(catalog.scaleUp["nvlink5-nvl72"].domain).toBe(72);
    expect(catalog.switches.QM8700).toMatchObject({ radix: 40, portBandwidth: 25e9 });
    expect(catalog.switches.QM9700).toMatchObject({ radix: 64, portBandwidth: 50e9 });
    expect(catalog.switches["TH6-64x1.6T"]).toMatchObject({ radix: 64, portBandwidth: 200e9 });
    // htsim's queue: 178,450 B at 100 Gb/s; the catalog scales it with port speed.
    expect(catalog.switches["TH5-128x400G"].buffer).toBe(4 * 178_450);
  });

  it("every accelerator's default scale-up fabric exists", () => {
    for (const acc of Object.values(catalog.accelerators)) {
      expect(() => findEntry(catalog, "scaleUp", acc.scaleUp)).not.toThrow();
    }
  });

  it("prices without a public figure follow the H100's price per FLOP", () => {
    expect(pricePerFlopLikeH100(989)).toBe(3.9);
    expect(catalog.accelerators.B200.priceUsdPerHour).toBe(8.87);
    expect(catalog.accelerators["H200-SXM"].priceUsdPerHour).toBe(7.91); // from the CSV
  });

  it("returns a fresh copy each time", () => {
    const a = builtinCatalog();
    a.accelerators["H100-SXM"].powerW = 1;
    expect(builtinCatalog().accelerators["H100-SXM"].powerW).toBe(700);
  });
});

describe("catalog against data/hardware CSVs (exact, relative tolerance 1e-9)", () => {
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  const num = (s: string | undefined) => (s === undefined || s.trim() === "" ? undefined : Number(s));

  it("accelerators.csv: dense BF16/FP8, HBM, HBM bandwidth, scale-up bandwidth, TDP, price", () => {
    const CSV_ID: Record<string, string> = {
      "A100-SXM4-80GB": "A100-SXM4-80GB",
      "H100-SXM5-80GB": "H100-SXM",
      "H200-SXM-141GB": "H200-SXM",
      "B200 (HGX B200)": "B200",
      "GB200 (per GPU, NVL72)": "GB200",
      "B300 (HGX B300)": "B300",
      "GB300 (per GPU, NVL72)": "GB300",
      MI300X: "MI300X",
      MI325X: "MI325X",
      MI355X: "MI355X",
      "Gaudi3 (HL-325L OAM)": "Gaudi3",
      "TPU v5p": "TPU-v5p",
      Trainium2: "Trainium2",
    };
    const rows = readDataCsv("hardware/accelerators.csv");
    const table: Record<string, unknown>[] = [];
    for (const row of rows) {
      const id = CSV_ID[row.id];
      expect(id, `CSV row ${row.id} mapped`).toBeDefined();
      const a = catalog.accelerators[id];
      const checks: [string, number | undefined, number | undefined][] = [
        ["bf16", num(row.dense_bf16_tflops) && num(row.dense_bf16_tflops)! * 1e12, a.peakFlops.bf16],
        ["fp8", num(row.dense_fp8_tflops) && num(row.dense_fp8_tflops)! * 1e12, a.peakFlops.fp8],
        ["hbm", num(row.hbm_gb) && num(row.hbm_gb)! * 1e9, a.hbmBytes],
        ["hbmBw", num(row.hbm_tb_s) && num(row.hbm_tb_s)! * 1e12, a.hbmBandwidth],
        [
          "scaleUp",
          num(row.scaleup_gb_s_per_dir_per_gpu) && num(row.scaleup_gb_s_per_dir_per_gpu)! * 1e9,
          catalog.scaleUp[a.scaleUp].bandwidth,
        ],
        ["tdp", num(row.tdp_w), a.powerW],
        ["price", num(row.cloud_price_usd_per_gpu_hr), a.priceUsdPerHour],
      ];
      for (const [what, csv, ours] of checks) {
        if (csv === undefined) continue; // empty cell: the catalog's documented assumption
        table.push({
          id,
          what,
          csv,
          catalog: ours,
          relErr: ours === undefined ? "missing" : Math.abs(ours - csv) / csv,
        });
        expect(ours !== undefined && close(ours, csv), `${id} ${what}: csv ${csv}, catalog ${ours}`).toBe(
          true,
        );
      }
    }
    console.table(table);
    expect(table.length).toBeGreaterThan(70);
  });

  it("scaleup.csv: per-accelerator per-direction bandwidth", () => {
    const CSV_ID: Record<string, string> = {
      nvlink3: "nvlink3",
      nvlink4: "nvlink4",
      nvlink5: "nvlink5",
      nvl72_domain: "nvlink5-nvl72",
      infinity_fabric_mi300x: "infinity-fabric-mi300x",
      infinity_fabric_mi355x: "infinity-fabric-mi355x",
      gaudi3_roce_scaleup: "gaudi3-roce",
      tpu_v5p_ici: "tpu-v5p-ici",
    };
    const table = readDataCsv("hardware/scaleup.csv")
      .filter((r) => CSV_ID[r.id])
      .map((r) => ({
        id: CSV_ID[r.id],
        csv: Number(r.per_gpu_gb_s_per_dir) * 1e9,
        catalog: catalog.scaleUp[CSV_ID[r.id]].bandwidth,
      }));
    console.table(table);
    expect(table).toHaveLength(8);
    for (const r of table) expect(close(r.catalog, r.csv), r.id).toBe(true);
  });

  it("switches.csv: radix x port speed is one of the ASIC's configurations", () => {
    const CSV_ID: Record<string, string> = {
      QM8700: "QM8700",
      QM9700: "QM9700",
      "Q3400-144x800G": "Q3400-RA (Quantum-X800)",
      "TH5-64x800G": "Tomahawk 5 (BCM78900)",
      "TH5-128x400G": "Tomahawk 5 (BCM78900)",
      "TH5-256x200G": "Tomahawk 5 (BCM78900)",
      "TH6-64x1.6T": "Tomahawk 6 (BCM78910/78914)",
      "TH6-128x800G": "Tomahawk 6 (BCM78910/78914)",
      "TH6-256x400G": "Tomahawk 6 (BCM78910/78914)",
      "TH6-512x200G": "Tomahawk 6 (BCM78910/78914)",
      "TH-Ultra-64x800G": "Tomahawk Ultra",
      "Spectrum4-64x800G": "SN5600",
      "Spectrum4-128x400G": "SN5600",
    };
    const rows = new Map(readDataCsv("hardware/switches.csv").map((r) => [r.id, r]));
    expect(Object.keys(catalog.switches).sort()).toEqual(Object.keys(CSV_ID).sort());
    for (const [id, csvId] of Object.entries(CSV_ID)) {
      const sw = catalog.switches[id];
      const gbps = (sw.portBandwidth * 8) / 1e9;
      const speed = gbps >= 1000 ? `${gbps / 1000}T` : `${gbps}G`;
      expect(rows.get(csvId)?.radix_by_speed, id).toContain(`${sw.radix}x${speed}`);
    }
  });

  it("nics.csv and optics.csv: port speed, power, reach", () => {
    const nics = new Map(readDataCsv("hardware/nics.csv").map((r) => [r.id, r]));
    const NIC_ID: Record<string, string> = {
      "ConnectX-7": "ConnectX-7",
      "ConnectX-8": "ConnectX-8 SuperNIC",
      "BlueField-3": "BlueField-3 (B3140/B3240)",
      "Pollara-400": "Pensando Pollara 400",
      "Thor-Ultra": "Thor Ultra",
    };
    for (const [id, csvId] of Object.entries(NIC_ID)) {
      expect(catalog.nics[id].bandwidth, id).toBe((Number(nics.get(csvId)?.port_speed_gbps) * 1e9) / 8);
    }
    const optics = new Map(readDataCsv("hardware/optics.csv").map((r) => [r.id, r]));
    const OPTIC_ID: Record<string, string> = {
      "400G-DR4": "MMS4X00-NS400",
      "400G-SR4": "MMA4Z00-NS400 / MMA1Z00-NS400",
      "800G-DR8": "MMS4X00-NS",
      "800G-SR8": "MMA4Z00-NS",
    };
    for (const [id, csvId] of Object.entries(OPTIC_ID)) {
      const row = optics.get(csvId)!;
      expect(catalog.optics[id]).toMatchObject({
        bandwidth: (Number(row.speed_gbps) * 1e9) / 8,
        powerW: Number(row.power_w),
        reachM: Number(row.max_reach_m),
      });
    }
  });
});

describe("findEntry", () => {
  it("resolves aliases, including the CSV's own ids", () => {
    expect(findEntry(catalog, "accelerators", "H100-SXM5-80GB").id).toBe("H100-SXM");
    expect(findEntry(catalog, "scaleUp", "nvl72").id).toBe("nvlink5-nvl72");
    expect(findEntry(catalog, "switches", "SN5600").id).toBe("Spectrum4-64x800G");
    for (const kind of CATALOG_KINDS) {
      for (const [alias, target] of Object.entries(ALIASES[kind])) {
        expect(catalog[kind][target], `${kind} alias ${alias}`).toBeDefined();
      }
    }
  });

  it("an unknown id names the nearest ids", () => {
    let err: unknown;
    try {
      findEntry(catalog, "switches", "QM9800", { file: "s.yaml", line: 3, col: 7 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WeftError);
    const e = err as WeftError;
    expect(e.message).toMatch(/^s\.yaml:3:7: unknown switch "QM9800"; nearest known ids: "QM9700", "QM8700"/);
    expect(e.position).toEqual({ file: "s.yaml", line: 3, col: 7 });
  });
});

describe("mergeCatalog", () => {
  it("overrides fields, parsing quantity strings, without touching the base", () => {
    const base = builtinCatalog();
    const merged = mergeCatalog(base, {
      accelerators: { "H100-SXM5-80GB": { hbmBandwidth: "3TB/s", peakFlops: { bf16: "900TFLOP/s" } } },
      scaleUp: { nvlink4: { bandwidth: "400GB/s", latency: "1us" } },
      switches: { QM9700: { latency: 300e-9, buffer: "1MiB" } },
    });
    expect(merged.accelerators["H100-SXM"]).toMatchObject({
      hbmBandwidth: 3e12,
      peakFlops: { bf16: 900e12, fp8: 1979e12 },
    });
    expect(merged.scaleUp.nvlink4).toMatchObject({ bandwidth: 400e9, latency: 1e-6 });
    expect(merged.switches.QM9700).toMatchObject({ latency: 300e-9, buffer: 2 ** 20 });
    expect(base.scaleUp.nvlink4.bandwidth).toBe(450e9);
    expect(merged.scaleUp.nvlink3).toBe(base.scaleUp.nvlink3);
  });

  it("adds new entries with the documented defaults", () => {
    const merged = mergeCatalog(builtinCatalog(), {
      switches: { "my-64x400": { radix: 64, portBandwidth: "400Gbps" } },
      nics: { "my-nic": { bandwidth: "800Gbps" } },
      scaleUp: { "my-link": { bandwidth: "1TB/s", domain: 16 } },
    });
    expect(merged.switches["my-64x400"]).toMatchObject({
      radix: 64,
      portBandwidth: 50e9,
      latency: expect.closeTo(600e-9, 15),
      buffer: 4 * 178_450,
      powerW: Math.round(25.6 * 15),
      priceUsd: 25.6 * 500,
      source: "scenario file",
    });
    expect(merged.nics["my-nic"]).toMatchObject({
      bandwidth: 100e9,
      hostBandwidth: 100e9,
      powerW: 50,
      priceUsd: 4000,
    });
    expect(merged.scaleUp["my-link"]).toMatchObject({
      domain: 16,
      maxDomain: 16,
      topology: "switch",
      latency: 500e-9,
    });
  });

  it("rejects unknown sections and fields with a suggestion, and incomplete new entries", () => {
    expect(() => mergeCatalog(builtinCatalog(), { acelerators: {} } as never)).toThrow(
      'unknown key "acelerators" in hardware; did you mean "accelerators"?',
    );
    expect(() => mergeCatalog(builtinCatalog(), { nics: { "ConnectX-7": { bandwith: "1Gbps" } } })).toThrow(
      'unknown key "bandwith" in hardware.nics.ConnectX-7; did you mean "bandwidth"?',
    );
    expect(() => mergeCatalog(builtinCatalog(), { nics: { "ConnectX-7": { bandwidth: "400GB" } } })).toThrow(
      /hardware\.nics\.ConnectX-7\.bandwidth: "400GB" has unit "GB"/,
    );
    expect(() => mergeCatalog(builtinCatalog(), { accelerators: { X: { hbmBytes: "1GB" } } })).toThrow(
      'new accelerator "X" in hardware.accelerators lacks "peakFlops.bf16", "hbmBandwidth", "scaleUp"',
    );
    expect(() =>
      mergeCatalog(builtinCatalog(), {
        accelerators: {
          X: { peakFlops: { bf16: 1e15 }, hbmBytes: 1e9, hbmBandwidth: 1e12, scaleUp: "nvlink9" },
        },
      }),
    ).toThrow('unknown scale-up fabric "nvlink9"');
  });
});
