import { BYTES_PER_GIB, type Hardware } from '../../lib/hardware/hardware.js';
import { isStrongLocalModel } from '../../lib/hardware/model-catalog.js';
import type { Tiers } from './setup-answers.js';

const STRONG_LOCAL_MIN_GB = 64 * 0.9; // the 64 GB row, with recommend-model.ts's tolerance

export function sortTierNumbers(tiers: Tiers): string[] {
  return Object.keys(tiers).sort((a, b) => Number(a) - Number(b));
}

/**
 * The tier table suggested for this machine: the defaults, except that with
 * Qwen3-Coder-Next on 64 GB or more the middle tiers (medium work) stay local
 * too, because that model handles them well and costs nothing (issue #7).
 */
export function createMachineTiers(defaultTiers: Tiers, model: string, hardware: Hardware): Tiers {
  const tiers: Tiers = structuredClone(defaultTiers);
  const gib = (hardware.memoryBytes ?? 0) / BYTES_PER_GIB;
  if (!isStrongLocalModel(model) || gib < STRONG_LOCAL_MIN_GB) return tiers;
  const numbers = sortTierNumbers(tiers);
  for (const number of numbers.slice(1, -1)) tiers[number] = { target: 'local' };
  return tiers;
}

