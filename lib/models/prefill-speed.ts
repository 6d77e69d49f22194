import type { ModelSize } from '../config/schema.js';

// Prompt-processing speed of a local model on Apple Silicon, tokens per
// second, by size class. Rough figures for 4-bit MLX models on a Pro-class
// chip (7B ≈ 700 tok/s, as the trimming issue measured); used to turn trimmed
// tokens into seconds a person understands, not for any decision.
export const PREFILL_TOKENS_PER_SECOND: Readonly<Record<ModelSize, number>> = {
  small: 700,
  medium: 300,
  large: 90,
};
