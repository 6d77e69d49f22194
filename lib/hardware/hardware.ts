/**
 * Apple Silicon chip classes as far as prompt prefill speed is concerned:
 * prefill is compute-bound, so it scales with GPU cores, and the base, Pro and
 * Max/Ultra parts of one generation differ by roughly 2x steps.
 */
const CHIP_CLASSES = ['base', 'pro', 'max-ultra'] as const;
export type ChipClass = (typeof CHIP_CLASSES)[number];

export interface Hardware {
  platform: 'darwin' | 'linux' | 'other';
  /** What the machine calls its CPU, e.g. "Apple M2 Pro" or "AMD EPYC 7B13"; "unknown CPU" when not found. */
  cpu: string;
  /** Installed (macOS) or usable (Linux MemTotal) memory; null when it could not be read. */
  memoryBytes: number | null;
  appleSilicon: boolean;
  /** null when the CPU is not a recognised Apple M-series chip. */
  chipClass: ChipClass | null;
  /** The M-series generation (1 for M1 …); null when not known. */
  chipGeneration: number | null;
}

export const BYTES_PER_GIB = 1024 ** 3;

/** "Apple M2 Pro, 32 GB memory" */
export function describeHardware(hardware: Hardware): string {
  const memory = hardware.memoryBytes === null ? 'unknown memory' : `${Math.round(hardware.memoryBytes / BYTES_PER_GIB)} GB memory`;
  return `${hardware.cpu}, ${memory}`;
}
