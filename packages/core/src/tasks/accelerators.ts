// GPU and TPU accelerators for the `accelerator` option, with flytekit's device names
// (flytekit/extras/accelerators.py). A100-style devices can be partitioned.
import { brand } from "../errors/flyte-error.js";

/** An accelerator device, optionally partitioned. */
export class Accelerator {
  constructor(
    /** The device name Flyte passes to the cluster: `nvidia-tesla-a100`. */
    readonly device: string,
    /** A partition such as `2g.10gb`, `null` for explicitly unpartitioned, undefined when unsaid. */
    readonly partitionSize?: string | null,
  ) {}

  /** This device, explicitly not partitioned. */
  get unpartitioned(): Accelerator {
    return new Accelerator(this.device, null);
  }

  /** A partition of this device by its size name (`"2g.10gb"`). */
  partitioned(partitionSize: string): Accelerator {
    return new Accelerator(this.device, partitionSize);
  }
}
// An option value from another copy of the package is taken as one of ours.
brand(Accelerator, "Accelerator", { setName: false });

const gpu = (device: string) => new Accelerator(device);

export const A10G = gpu("nvidia-a10g");
export const L4 = gpu("nvidia-l4");
export const L4_VWS = gpu("nvidia-l4-vws");
export const L40S = gpu("nvidia-l40s");
export const K80 = gpu("nvidia-tesla-k80");
export const M60 = gpu("nvidia-tesla-m60");
export const P4 = gpu("nvidia-tesla-p4");
export const P100 = gpu("nvidia-tesla-p100");
export const T4 = gpu("nvidia-tesla-t4");
export const V100 = gpu("nvidia-tesla-v100");
export const H100 = gpu("nvidia-h100");
export const H200 = gpu("nvidia-h200");
export const RTX_PRO_6000 = gpu("nvidia-rtx-pro-6000");

function partitionable<P extends Record<string, string>>(device: string, partitions: P): Accelerator & { [K in keyof P]: Accelerator } {
  const base = new Accelerator(device);
  for (const [name, size] of Object.entries(partitions)) Object.defineProperty(base, name, { value: base.partitioned(size), enumerable: true });
  return base as Accelerator & { [K in keyof P]: Accelerator };
}

/** NVIDIA A100; `A100.partition_2g_10gb` is a 10GB MIG partition, `A100.unpartitioned` the whole GPU. */
export const A100 = partitionable("nvidia-tesla-a100", {
  partition_1g_5gb: "1g.5gb",
  partition_2g_10gb: "2g.10gb",
  partition_3g_20gb: "3g.20gb",
  partition_4g_20gb: "4g.20gb",
  partition_7g_40gb: "7g.40gb",
});

/** NVIDIA A100 80GB and its MIG partitions. */
export const A100_80GB = partitionable("nvidia-a100-80gb", {
  partition_1g_10gb: "1g.10gb",
  partition_2g_20gb: "2g.20gb",
  partition_3g_40gb: "3g.40gb",
  partition_4g_40gb: "4g.40gb",
  partition_7g_80gb: "7g.80gb",
});

/** Google Cloud TPU v5e slices. */
export const V5E = partitionable("tpu-v5-lite-podslice", {
  slice_1x1: "1x1",
  slice_2x2: "2x2",
  slice_2x4: "2x4",
  slice_4x4: "4x4",
  slice_4x8: "4x8",
  slice_8x8: "8x8",
  slice_8x16: "8x16",
  slice_16x16: "16x16",
});

/** Google Cloud TPU v5p slices. */
export const V5P = partitionable("tpu-v5p-slice", {
  slice_2x2x1: "2x2x1",
  slice_2x2x2: "2x2x2",
  slice_2x4x4: "2x4x4",
  slice_4x4x4: "4x4x4",
  slice_4x4x8: "4x4x8",
  slice_4x8x8: "4x8x8",
  slice_8x8x8: "8x8x8",
  slice_8x8x16: "8x8x16",
  slice_8x16x16: "8x16x16",
  slice_16x16x16: "16x16x16",
  slice_16x16x24: "16x16x24",
});

/** Google Cloud TPU v6e slices. */
export const V6E = partitionable("tpu-v6e-slice", {
  slice_1x1: "1x1",
  slice_2x2: "2x2",
  slice_2x4: "2x4",
  slice_4x4: "4x4",
  slice_4x8: "4x8",
  slice_8x8: "8x8",
  slice_8x16: "8x16",
  slice_16x16: "16x16",
});
