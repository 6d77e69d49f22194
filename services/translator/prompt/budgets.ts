import type { MallexConfig, ModelSize } from '../../../lib/config/schema.js';
import { classifyChip } from '../../../lib/hardware/classify-chip.js';

export interface PromptBudgets {
  /** New, uncached tokens one request may add. */
  prefillBudget: number;
  /** The whole prompt, in estimated tokens. */
  contextLimit: number;
}

export type ConfiguredBudgets = MallexConfig['translator']['budgets'];

// prefillBudget: what prefills in about five seconds on an M-series Pro at the
// measured speeds (a 7B model ≈ 700 tokens/s, issue #4).
// contextLimit: a prompt that still prefills from scratch in reasonable time
// when the cache is lost (a server restart, an evicted entry), fits a 4-bit
// model's KV cache next to its weights on a 16–32 GB Mac, and stays inside the
// range where a model of that size still follows its instructions. Small:
// 16K, half of Qwen2.5-Coder-7B's 32K window, leaving room for 8K of output;
// medium: 32K; large: 64K (their windows are 128K or more, memory is what
// limits).
const DEFAULT_BUDGETS: Readonly<Record<ModelSize, PromptBudgets>> = {
  small: { prefillBudget: 4000, contextLimit: 16000 },
  medium: { prefillBudget: 2000, contextLimit: 32000 },
  large: { prefillBudget: 500, contextLimit: 64000 },
};

/**
 * The prefill speed scales with the GPU: base M1/M2 chips prefill at about
 * half the speed of a Pro, Max and Ultra at about twice. `chip` is the name
 * macOS reports (e.g. "Apple M2 Max"); unknown or absent → ×1.
 */
export function readChipFactor(chip: string | undefined): number {
  if (!chip) return 1;
  const identity = classifyChip(chip);
  if (identity.chipClass === 'max-ultra') return 2;
  if (identity.chipClass === 'base' && identity.chipGeneration !== null && identity.chipGeneration <= 2) return 0.5;
  return 1;
}

/** A configured number is used as written; null takes the size's default (prefill scaled for the chip). */
export function resolveBudgets(size: ModelSize, configured: ConfiguredBudgets | undefined, chip?: string): PromptBudgets {
  const defaults = DEFAULT_BUDGETS[size];
  const own = configured?.[size];
  return {
    prefillBudget: own?.prefillBudget ?? Math.round(defaults.prefillBudget * readChipFactor(chip)),
    contextLimit: own?.contextLimit ?? defaults.contextLimit,
  };
}
