import type { ChipClass } from './hardware.js';

export interface ChipIdentity {
  appleSilicon: boolean;
  chipClass: ChipClass | null;
  chipGeneration: number | null;
}

/**
 * Reads the chip out of a CPU name such as "Apple M3 Max". Rosetta and Intel
 * Macs report an Intel brand string, which is not Apple Silicon.
 */
export function classifyChip(cpuName: string): ChipIdentity {
  const match = /\bApple M(\d+)(?:\s+(Pro|Max|Ultra))?\b/i.exec(cpuName);
  if (!match) return { appleSilicon: false, chipClass: null, chipGeneration: null };
  const variant = match[2]?.toLowerCase();
  const chipClass: ChipClass = variant === 'pro' ? 'pro' : variant === 'max' || variant === 'ultra' ? 'max-ultra' : 'base';
  return { appleSilicon: true, chipClass, chipGeneration: Number(match[1]) };
}
