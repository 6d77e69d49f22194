import { classifyChip } from './classify-chip.js';
import type { Hardware } from './hardware.js';

/**
 * Builds the hardware description from the output of
 * `sysctl -n machdep.cpu.brand_string` and `sysctl -n hw.memsize`.
 * Either may be null when the command failed.
 */
export function parseMacosHardware(brandString: string | null, memsizeText: string | null): Hardware {
  const cpu = brandString?.trim() || 'unknown CPU';
  const memory = Number(memsizeText?.trim());
  return {
    platform: 'darwin',
    cpu,
    memoryBytes: Number.isSafeInteger(memory) && memory > 0 ? memory : null,
    ...classifyChip(cpu),
  };
}
