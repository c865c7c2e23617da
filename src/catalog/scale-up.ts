/**
 * Built-in scale-up fabrics. Figures from data/hardware/scaleup.csv. Bandwidth is per
 * accelerator, per direction (NVIDIA's "900 GB/s" for NVLink 4 is bidirectional: 450 GB/s here).
 *
 * Latency: no vendor publishes a hardware accelerator-to-accelerator one-way latency for NVLink or
 * Infinity Fabric. The catalog assumes 500 ns, the one-way half of UALink 1.0's "< 1 µs round trip"
 * target (scaleup.csv, ualink_1.0 row), for every switched or direct scale-up fabric; Ethernet-based
 * scale-up over a NIC (Gaudi 3) is assumed at 1 µs; Broadcom SUE states < 400 ns XPU to XPU.
 */
import { assumedSwitchFigures } from "./switches.js";
import type { ScaleUpSpec } from "./types.js";

const GBps = 1e9;
const ns = 1e-9;
const ASSUMED_LATENCY = 500 * ns;
const LATENCY_NOTE = "Latency 500 ns one-way is an assumption (half of UALink's < 1 µs round-trip target).";
const ML_ENG_NET = "github.com/stas00/ml-engineering network/README.md";

const nvlink5Base = {
  name: "NVLink 5",
  vendor: "NVIDIA",
  bandwidth: 900 * GBps,
  latency: ASSUMED_LATENCY,
  topology: "switch",
  maxDomain: 576,
  inNetworkReduction: true,
  switchRadix: 72,
  switchPortBandwidth: 50 * GBps,
  source: `scaleup.csv: ${ML_ENG_NET} (2 lanes x 25 GBps, 18 links, 900 GBps/dir); catalogone.com nvlink page; verda.com`,
} as const;

const CHIP_ESTIMATE_NOTE =
  "Switch chip power and price are ESTIMATES by the scale-out switch rule (15 W and 500 USD per Tb/s of " +
  "per-direction capacity, radix x port bandwidth): no vendor publishes them.";

/**
 * A switched fabric whose chip is described (radix, port bandwidth) but not priced gets the scale-out
 * switch rule's power and price for that chip, stated in its notes; one without a chip description keeps
 * none, and the bill of materials says so.
 */
function withChipEstimates(entries: Record<string, ScaleUpSpec>): Record<string, ScaleUpSpec> {
  const out: Record<string, ScaleUpSpec> = {};
  for (const [id, e] of Object.entries(entries)) {
    const described = e.topology === "switch" && e.switchRadix && e.switchPortBandwidth;
    if (!described || (e.switchPowerW !== undefined && e.switchPriceUsd !== undefined)) {
      out[id] = e;
      continue;
    }
    const { powerW, priceUsd } = assumedSwitchFigures(e.switchRadix!, e.switchPortBandwidth!);
    out[id] = {
      ...e,
      switchPowerW: e.switchPowerW ?? powerW,
      switchPriceUsd: e.switchPriceUsd ?? priceUsd,
      notes: e.notes ? `${e.notes} ${CHIP_ESTIMATE_NOTE}` : CHIP_ESTIMATE_NOTE,
    };
  }
  return out;
}

export const SCALE_UP: Record<string, ScaleUpSpec> = withChipEstimates({
  nvlink3: {
    id: "nvlink3",
    name: "NVLink 3 (NVSwitch gen2)",
    vendor: "NVIDIA",
    bandwidth: 300 * GBps,
    latency: ASSUMED_LATENCY,
    topology: "switch",
    domain: 8,
    maxDomain: 16,
    inNetworkReduction: false,
    source: `scaleup.csv: ${ML_ENG_NET} (12 links x 25 GBps/dir = 300 GBps); glennklockwood A100 (300+300 GB/s)`,
    notes: `6 NVSwitch gen2 per HGX A100; 16 GPUs on 16-GPU boards. NVSwitch gen2 has no in-switch reduction. ${LATENCY_NOTE}`,
  },
  nvlink4: {
    id: "nvlink4",
    name: "NVLink 4 (NVSwitch gen3)",
    vendor: "NVIDIA",
    bandwidth: 450 * GBps,
    latency: ASSUMED_LATENCY,
    topology: "switch",
    domain: 8,
    maxDomain: 256,
    inNetworkReduction: true,
    switchRadix: 64,
    switchPortBandwidth: 25 * GBps,
    source:
      `scaleup.csv: ${ML_ENG_NET} (18 links, 450 GBps/dir); fridayswithfaraday.com gpu-hw-nvswitch-fabric-topology ` +
      "(NVSwitch 3.0: 64 NVLink4 ports, 3.2 TB/s bidir)",
    notes:
      "NVLink SHARP (NVLS) reduces in the switch. 4 NVSwitch chips per HGX H100; 256 GPUs with the NVLink " +
      `Switch System. Switch port = one NVLink4 link (25 GB/s per direction). ${LATENCY_NOTE}`,
  },
  nvlink5: {
    id: "nvlink5",
    ...nvlink5Base,
    domain: 8,
    notes:
      "HGX B200/B300 8-GPU board. Switch radix 72 / 7.2 TB/s is DERIVED (72 GPUs x 18 links / 18 chips), " +
      `not read from an NVIDIA switch datasheet. ${LATENCY_NOTE}`,
  },
  "nvlink5-nvl72": {
    id: "nvlink5-nvl72",
    ...nvlink5Base,
    name: "NVLink 5 NVL72 rack domain",
    domain: 72,
    multiNode: true,
    source:
      `${nvlink5Base.source}; scaleup.csv nvl72_domain: slicast.com/article/1pl8afm (18 NVLink Switches, 130 TB/s); ` +
      "datacrunch.io/blog/nvidia-gb200-nvl72-for-ai-training-and-inference; oxmaint.com (9 switch trays)",
    notes:
      "72 GPUs in 18 compute trays of 4, all-to-all non-blocking through 18 NVLink Switch chips in 9 trays; " +
      `576 announced multi-rack. Switch radix 72 is DERIVED. ${LATENCY_NOTE}`,
  },
  "ualink-200g-x4": {
    id: "ualink-200g-x4",
    name: "UALink 200G 1.0, x4 ports",
    vendor: "UALink Consortium",
    bandwidth: 4 * 100 * GBps,
    latency: ASSUMED_LATENCY,
    topology: "switch",
    domain: 8,
    maxDomain: 1024,
    inNetworkReduction: false,
    switchRadix: 128,
    switchPortBandwidth: 100 * GBps,
    source:
      "scaleup.csv ualink_1.0: tomshardware.com (200 GT/s lanes, x1/x2/x4, x4 = 800 Gb/s per direction, 1,024 " +
      "accelerators, < 1 µs RTT); ualinkconsortium.org webinar Q&A (switch <= 150 ns @25.6T, < 250 ns @102.4T)",
    notes:
      "A x4 port carries 800 Gb/s = 100 GB/s per direction. ASSUMED 4 ports per accelerator (one per switch " +
      "plane): 400 GB/s per accelerator; override bandwidth for other port counts (ports x 100 GB/s). " +
      "Switch radix 128 x4 ports assumes a 102.4 Tb/s switch (102.4T / 800G). Latency 500 ns one-way = half " +
      "the < 1 µs round-trip target; switch hop 150-250 ns. Domain defaults to the node; set it for a pod.",
  },
  "infinity-fabric-mi300x": {
    id: "infinity-fabric-mi300x",
    name: "AMD Infinity Fabric (xGMI, 4th gen)",
    vendor: "AMD",
    bandwidth: 448 * GBps,
    latency: ASSUMED_LATENCY,
    topology: "mesh",
    domain: 8,
    maxDomain: 8,
    inNetworkReduction: false,
    source: `scaleup.csv infinity_fabric_mi300x: wheelersnetwork.com/2024/01 (7 links x16 @32 Gbps); ${ML_ENG_NET}`,
    notes:
      "Full mesh of 8 on the UBB: 7 links x 64 GB/s per direction. 448 GB/s only when talking to all 7 peers " +
      `at once; one peer = 64 GB/s. ${LATENCY_NOTE}`,
  },
  "infinity-fabric-mi355x": {
    id: "infinity-fabric-mi355x",
    name: "AMD Infinity Fabric (MI350 series)",
    vendor: "AMD",
    bandwidth: 537.6 * GBps,
    latency: ASSUMED_LATENCY,
    topology: "mesh",
    domain: 8,
    maxDomain: 8,
    inNetworkReduction: false,
    source:
      "scaleup.csv infinity_fabric_mi355x: humeconsulting.co (~153 GB/s bidir xGMI); tomshardware.com (world size 8)",
    notes: `DERIVED (7 x 153.6 / 2) from a third-party per-link figure; low-medium confidence. ${LATENCY_NOTE}`,
  },
  "gaudi3-roce": {
    id: "gaudi3-roce",
    name: "Gaudi 3 integrated 200GbE RoCE scale-up",
    vendor: "Intel",
    bandwidth: 525 * GBps,
    latency: 1000 * ns,
    topology: "mesh",
    domain: 8,
    maxDomain: 8,
    inNetworkReduction: false,
    source:
      "scaleup.csv gaudi3_roce_scaleup: docs.habana.ai Network Configuration (21 x 200 Gbps = 525 GB/s unidirectional)",
    notes:
      "All-to-all inside the HLS-3 box, 3 ports per peer = 75 GB/s per peer. Latency 1 µs is an assumption for RoCE between on-die NICs.",
  },
  "ethernet-sue": {
    id: "ethernet-sue",
    name: "Broadcom Scale-Up Ethernet (Tomahawk Ultra)",
    vendor: "Broadcom",
    bandwidth: 4 * 100 * GBps,
    latency: 400 * ns,
    topology: "switch",
    domain: 8,
    maxDomain: 64,
    inNetworkReduction: true,
    switchRadix: 64,
    switchPortBandwidth: 100 * GBps,
    source:
      "scaleup.csv scale_up_ethernet_sue: servethehome.com tomahawk-ultra hot chips 2025; techzine.eu (250 ns); " +
      "fs.com blog (< 400 ns XPU-XPU); wheelersnetwork.com/2025/07 (SUE latency budget)",
    notes:
      "ASSUMED 4 x 800G ports per accelerator (400 GB/s). Radix 64 at 800G; single-hop domain 64 with 4 planes " +
      "(512 at 100G ports). Tomahawk Ultra does in-network collectives. Switch 250 ns; 400 ns XPU to XPU.",
  },
  "tpu-v5p-ici": {
    id: "tpu-v5p-ici",
    name: "Google TPU v5p ICI (3D torus)",
    vendor: "Google",
    bandwidth: 600 * GBps,
    latency: ASSUMED_LATENCY,
    topology: "ring",
    domain: 64,
    maxDomain: 8960,
    multiNode: true,
    inNetworkReduction: false,
    source:
      "scaleup.csv tpu_v5p_ici: docs.cloud.google.com/tpu/docs/v5p (1200 GBps bidirectional ICI per chip; 8960-chip pod); " +
      "Jouppi et al., ISCA 2023 (TPU v4: 4x4x4 cubes joined by optical circuit switches)",
    notes:
      "A 3D torus, modeled as rings (one per dimension). Default domain 64 = one 4x4x4 cube (assumed as in " +
      `TPU v4); slices up to 6144 chips. ${LATENCY_NOTE}`,
  },
  "neuronlink-v3": {
    id: "neuronlink-v3",
    name: "AWS NeuronLink-v3",
    vendor: "AWS",
    bandwidth: 640 * GBps,
    latency: ASSUMED_LATENCY,
    topology: "ring",
    domain: 16,
    maxDomain: 64,
    inNetworkReduction: false,
    source:
      "scaleup.csv neuronlink_v3: github.com/aws-neuron/aws-neuron-sdk trainium2.rst (1.28 TB/s per chip; 64-chip UltraServer)",
    notes:
      "Direction of the 1.28 TB/s is not stated: ASSUMED bidirectional (640 GB/s per direction). 2D torus " +
      `inside a 16-chip instance, modeled as rings. ${LATENCY_NOTE}`,
  },
});
