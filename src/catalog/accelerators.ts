/**
 * Built-in accelerators. Figures from data/hardware/accelerators.csv (its `sources` column is
 * repeated in each entry's `source`). TFLOP/s are dense; HBM sizes are the vendor's decimal GB.
 *
 * Prices: only the H100 (3.90 USD/GPU-hour, AWS P5 after the June-2025 cut) and the H200 (7.91, AWS
 * p5en / 8) have a public figure in the data. Every other accelerator is priced at the H100's cost per
 * dense BF16 FLOP/s — a stated assumption, see `pricePerFlopLikeH100`.
 */
import { A100_EFFICIENCY, H100_BF16_EFFICIENCY, H100_FP8_EFFICIENCY } from "./efficiency.js";
import type { AcceleratorSpec } from "./types.js";

const T = 1e12;
const GB = 1e9;
const TBps = 1e12;
const MiB = 2 ** 20;

/**
 * Memory totals as the driver reports them (`nvidia-smi`, the Memory-Usage column's total, MiB) on idle
 * devices, from published nvidia-smi listings: A100-SXM4-80GB 81,920 MiB; H100 80GB HBM3 81,559 MiB;
 * H200 143,771 MiB; B200 183,359 MiB.
 */
const NVIDIA_SMI_SOURCE = "Exposed memory: nvidia-smi memory totals on idle devices (published listings).";

/** Memory a program may allocate: the exposed total where known, else the marketed size. */
export function exposedHbm(a: { hbmBytes: number; hbmExposedBytes?: number }): number {
  return a.hbmExposedBytes ?? a.hbmBytes;
}

const H100_PRICE_USD_PER_HOUR = 3.9;
const H100_BF16_TFLOPS = 989;
const H100_TDP_W = 700;

/** USD per accelerator-hour at the H100's price per dense BF16 FLOP/s, rounded to cents. */
export function pricePerFlopLikeH100(bf16Tflops: number): number {
  return Math.round((H100_PRICE_USD_PER_HOUR * bf16Tflops * 100) / H100_BF16_TFLOPS) / 100;
}

/** Watts at the H100's TDP per dense BF16 FLOP/s, for parts whose TDP is not published. */
export function powerPerFlopLikeH100(bf16Tflops: number): number {
  return Math.round((H100_TDP_W * bf16Tflops) / H100_BF16_TFLOPS);
}

const ML_ENG_TFLOPS =
  "github.com/stas00/ml-engineering compute/accelerator/README.md (TFLOPS table, w/o sparsity)";
const PRICE_NOTE = "Price assumed at the H100's USD per dense BF16 FLOP/s (3.90 USD/h for 989 TFLOP/s).";

export const ACCELERATORS: Record<string, AcceleratorSpec> = {
  "A100-SXM4-80GB": {
    id: "A100-SXM4-80GB",
    name: "NVIDIA A100 SXM4 80GB",
    vendor: "NVIDIA",
    peakFlops: { bf16: 312 * T },
    hbmBytes: 80 * GB,
    hbmExposedBytes: 81920 * MiB,
    hbmBandwidth: 2.039 * TBps,
    efficiency: { bf16: A100_EFFICIENCY },
    scaleUp: "nvlink3",
    perNode: 8,
    powerW: 400,
    priceUsdPerHour: pricePerFlopLikeH100(312),
    source:
      "accelerators.csv: NVIDIA A100 datasheet via glennklockwood.com/garden/processors/A100; thundercompute.com A100 specs guide (2,039 GB/s, 400 W); " +
      "github.com/stas00/ml-engineering network/README.md",
    notes: `BF16 624 TFLOP/s is with sparsity; no FP8. ${PRICE_NOTE} ${NVIDIA_SMI_SOURCE}`,
  },
  "H100-SXM": {
    id: "H100-SXM",
    name: "NVIDIA H100 SXM5 80GB",
    vendor: "NVIDIA",
    peakFlops: { bf16: 989 * T, fp8: 1979 * T },
    hbmBytes: 80 * GB,
    hbmExposedBytes: 81559 * MiB,
    hbmBandwidth: 3.35 * TBps,
    efficiency: { bf16: H100_BF16_EFFICIENCY, fp8: H100_FP8_EFFICIENCY },
    scaleUp: "nvlink4",
    perNode: 8,
    powerW: 700,
    priceUsdPerHour: H100_PRICE_USD_PER_HOUR,
    source:
      "accelerators.csv: NVIDIA H100 datasheet (archive-lib.hpctech.co.jp mirror); glennklockwood.com/garden/processors/h100; " +
      `${ML_ENG_TFLOPS}; price: AWS P5 ~3.90/GPU-hr after the June-2025 cut (costnimbus.com)`,
    notes:
      "Datasheet BF16 1,979 / FP8 3,958 are with sparsity. 900 GB/s NVLink is bidirectional. " +
      `Price moves fast (pre-cut AWS list 12.29/GPU-hr, Lambda 2.99). ${NVIDIA_SMI_SOURCE}`,
  },
  "H200-SXM": {
    id: "H200-SXM",
    name: "NVIDIA H200 SXM 141GB",
    vendor: "NVIDIA",
    peakFlops: { bf16: 989 * T, fp8: 1979 * T },
    hbmBytes: 141 * GB,
    hbmExposedBytes: 143771 * MiB,
    hbmBandwidth: 4.8 * TBps,
    // Same GH100 compute and software as the H100: its fitted shares (of the H200's own HBM bandwidth).
    efficiency: { bf16: H100_BF16_EFFICIENCY, fp8: H100_FP8_EFFICIENCY },
    scaleUp: "nvlink4",
    perNode: 8,
    powerW: 700,
    priceUsdPerHour: 7.91,
    source:
      "accelerators.csv: lzwjava.github.io nvidia-h200-gpu-specs; aiminingco.com/gpu/h200/specs; " +
      `${ML_ENG_TFLOPS}; price: AWS p5en.48xlarge 63.296/hr / 8 (dstack offer listing)`,
    notes: `Same GH100 compute as the H100. ${NVIDIA_SMI_SOURCE}`,
  },
  B200: {
    id: "B200",
    name: "NVIDIA B200 (HGX B200)",
    vendor: "NVIDIA",
    peakFlops: { bf16: 2250 * T, fp8: 4500 * T, fp4: 9000 * T },
    fp4Formats: ["nvfp4", "mxfp4"],
    hbmBytes: 180 * GB,
    hbmExposedBytes: 183359 * MiB,
    hbmBandwidth: 7.7 * TBps,
    scaleUp: "nvlink5",
    perNode: 8,
    powerW: 1000,
    priceUsdPerHour: pricePerFlopLikeH100(2250),
    source:
      "accelerators.csv: NVIDIA GB200 NVL72 / HGX B200 spec table; glennklockwood.com/garden/processors/B200 (HGX @1000 W); " +
      `${ML_ENG_TFLOPS}` +
      "; FP4 (dense): glennklockwood.com/garden/processors/B200 and verda.com/blog/gb300-nvl72-architecture (9 PF, half the 18 PF sparse figure)",
    notes: `NVIDIA's HGX table gives 180 GB / 7.7 TB/s; earlier material 192 GB / 8 TB/s. ${PRICE_NOTE} ${NVIDIA_SMI_SOURCE}`,
  },
  GB200: {
    id: "GB200",
    name: "NVIDIA GB200 (per GPU, NVL72)",
    vendor: "NVIDIA",
    peakFlops: { bf16: 2500 * T, fp8: 5000 * T, fp4: 10000 * T },
    fp4Formats: ["nvfp4", "mxfp4"],
    hbmBytes: 186 * GB,
    hbmBandwidth: 8.0 * TBps,
    scaleUp: "nvlink5-nvl72",
    perNode: 4,
    powerW: 1200,
    priceUsdPerHour: pricePerFlopLikeH100(2500),
    source:
      "accelerators.csv: NVIDIA GB200 NVL72 spec table; glennklockwood.com/garden/processors/B200 (GB200 @1200 W); " +
      `${ML_ENG_TFLOPS}` +
      "; FP4 (dense): NVIDIA GB200 NVL72 spec table (1,440 PF FP4 with sparsity for 72 GPUs: 10 PF dense each, twice its FP8)",
    notes:
      "A node is a compute tray of 4 GPUs (2 Grace + 4 Blackwell); 18 trays make the NVL72 scale-up domain. " +
      `TDP configurable up to 1,200 W. ${PRICE_NOTE}`,
  },
  B300: {
    id: "B300",
    name: "NVIDIA B300 (HGX B300)",
    vendor: "NVIDIA",
    peakFlops: { bf16: 2250 * T, fp8: 4500 * T, fp4: 13500 * T },
    fp4Formats: ["nvfp4", "mxfp4"],
    hbmBytes: 288 * GB,
    hbmBandwidth: 8.0 * TBps,
    scaleUp: "nvlink5",
    perNode: 8,
    powerW: 1100,
    priceUsdPerHour: pricePerFlopLikeH100(2250),
    source:
      `accelerators.csv: glennklockwood.com/garden/processors/B300; verda.com/blog/gb300-nvl72-architecture; ${ML_ENG_TFLOPS}` +
      "; FP4 (dense): glennklockwood.com/garden/processors/B300 (13 PF) and verda.com/blog/gb300-nvl72-architecture (14 PF); 13.5 PF between",
    notes: `288 GB marketed; Verda lists 270 GB usable and 7.7 TB/s. ${PRICE_NOTE}`,
  },
  GB300: {
    id: "GB300",
    name: "NVIDIA GB300 (per GPU, NVL72)",
    vendor: "NVIDIA",
    peakFlops: { bf16: 2500 * T, fp8: 5000 * T, fp4: 15000 * T },
    fp4Formats: ["nvfp4", "mxfp4"],
    hbmBytes: 288 * GB,
    hbmBandwidth: 8.0 * TBps,
    scaleUp: "nvlink5-nvl72",
    perNode: 4,
    powerW: 1400,
    priceUsdPerHour: pricePerFlopLikeH100(2500),
    source:
      `accelerators.csv: verda.com/blog/gb300-nvl72-architecture; glennklockwood.com/garden/processors/B300; ${ML_ENG_TFLOPS}` +
      "; FP4 (dense): verda.com/blog/gb300-nvl72-architecture (15 PF per GPU, 1,080 PF per NVL72 rack)",
    notes: `288 GB marketed, 279 GB usable (Verda). 4 GPUs per compute tray as GB200. ${PRICE_NOTE}`,
  },
  MI300X: {
    id: "MI300X",
    name: "AMD Instinct MI300X",
    vendor: "AMD",
    peakFlops: { bf16: 1307.4 * T, fp8: 2614.9 * T },
    hbmBytes: 192 * GB,
    hbmBandwidth: 5.3 * TBps,
    scaleUp: "infinity-fabric-mi300x",
    perNode: 8,
    powerW: 750,
    priceUsdPerHour: pricePerFlopLikeH100(1307.4),
    source:
      `accelerators.csv: ${ML_ENG_TFLOPS} (2100 MHz x 256 FMA x 2 x 1216 = 1307.4); github.com/stas00/ml-engineering network/README.md; ` +
      "wheelersnetwork.com/2024/01; aiwiki.ai/wiki/amd_instinct_mi300x (192 GB, 5.3 TB/s, 750 W)",
    notes: `'2,615 FP16 dense' quoted by some sites is the sparse figure. ${PRICE_NOTE}`,
  },
  MI325X: {
    id: "MI325X",
    name: "AMD Instinct MI325X",
    vendor: "AMD",
    peakFlops: { bf16: 1307.4 * T, fp8: 2614.9 * T },
    hbmBytes: 256 * GB,
    hbmBandwidth: 6.0 * TBps,
    scaleUp: "infinity-fabric-mi300x",
    perNode: 8,
    powerW: 1000,
    priceUsdPerHour: pricePerFlopLikeH100(1307.4),
    source: `accelerators.csv: awesomeagents.ai/hardware/amd-mi325x; unanswered.io/guide/amd-instinct-mi325x; ${ML_ENG_TFLOPS}`,
    notes: `Same CDNA3 compute and Infinity Fabric as the MI300X. ${PRICE_NOTE}`,
  },
  MI355X: {
    id: "MI355X",
    name: "AMD Instinct MI355X",
    vendor: "AMD",
    peakFlops: { bf16: 2500 * T, fp8: 5000 * T, fp4: 10100 * T },
    fp4Formats: ["mxfp4"],
    hbmBytes: 288 * GB,
    hbmBandwidth: 8.0 * TBps,
    scaleUp: "infinity-fabric-mi355x",
    perNode: 8,
    powerW: 1400,
    priceUsdPerHour: pricePerFlopLikeH100(2500),
    source:
      `accelerators.csv: ${ML_ENG_TFLOPS} (note 22); theregister.com/2025/06/12/amd_mi355x; tomshardware.com; humeconsulting.co` +
      "; FP4 (dense): AMD Instinct MI355X specifications (MXFP4 10.1 PF; no NVFP4)",
    notes: `10.1 PF FP8 is with sparsity; the formula gives 2,516.6 BF16. ${PRICE_NOTE}`,
  },
  Gaudi3: {
    id: "Gaudi3",
    name: "Intel Gaudi 3 (HL-325L OAM)",
    vendor: "Intel",
    peakFlops: { bf16: 1835 * T, fp8: 1835 * T },
    hbmBytes: 128 * GB,
    hbmBandwidth: 3.7 * TBps,
    scaleUp: "gaudi3-roce",
    perNode: 8,
    powerW: 900,
    priceUsdPerHour: pricePerFlopLikeH100(1835),
    source:
      "accelerators.csv: docs.habana.ai Network Configuration (21x200G scale-up, 3x200G scale-out); yobitel.com intel-gaudi-3; " +
      `${ML_ENG_TFLOPS} (note 19)`,
    notes: `1,835 TFLOP/s is the whitepaper figure at 1,750 MHz; shipping parts at 1,600 MHz give ~1,677. ${PRICE_NOTE}`,
  },
  "TPU-v5p": {
    id: "TPU-v5p",
    name: "Google TPU v5p",
    vendor: "Google",
    peakFlops: { bf16: 459 * T, fp8: 459 * T },
    hbmBytes: 95 * GB,
    hbmBandwidth: 2.765 * TBps,
    scaleUp: "tpu-v5p-ici",
    perNode: 4,
    powerW: powerPerFlopLikeH100(459),
    priceUsdPerHour: pricePerFlopLikeH100(459),
    source: "accelerators.csv: docs.cloud.google.com/tpu/docs/v5p and /v5p-training",
    notes:
      "A newer doc revision gives 95 GiB HBM; taken here as 95 GB. A host has 4 chips. " +
      `TDP not published: assumed at the H100's watts per BF16 FLOP/s. ${PRICE_NOTE} ` +
      "Per-chip DCN (scale-out) is only 50 Gb/s.",
  },
  Trainium2: {
    id: "Trainium2",
    name: "AWS Trainium2",
    vendor: "AWS",
    peakFlops: { bf16: 667 * T, fp8: 1299 * T },
    hbmBytes: 103.1 * GB,
    hbmBandwidth: 2.9 * TBps,
    scaleUp: "neuronlink-v3",
    perNode: 16,
    powerW: powerPerFlopLikeH100(667),
    priceUsdPerHour: pricePerFlopLikeH100(667),
    source:
      "accelerators.csv: github.com/aws-neuron/aws-neuron-sdk about-neuron/arch/neuron-hardware/trainium2.rst",
    notes:
      "HBM 96 GiB (103.1 GB). 16 chips per Trn2 instance. TDP not published: assumed at the H100's watts " +
      `per BF16 FLOP/s. ${PRICE_NOTE}`,
  },
};
