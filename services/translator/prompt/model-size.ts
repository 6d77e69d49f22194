import type { ModelSize } from '../../../lib/config/schema.js';

export interface ModelSizeDecision {
  size: ModelSize;
  /** Billions of parameters, when the id says. */
  billions?: number;
  warning?: string;
}

// Models whose ids do not carry their size, by total parameters (a
// mixture-of-experts model needs the memory and knowledge of its total).
const KNOWN_MODELS: ReadonlyArray<{ pattern: RegExp; billions: number }> = [
  { pattern: /qwen3[-_.]?coder[-_.]?next/i, billions: 80 },
  { pattern: /qwen3[-_.]?next/i, billions: 80 },
  { pattern: /devstral[-_.]?small/i, billions: 24 },
  { pattern: /gemma[-_.]?3n/i, billions: 8 },
  { pattern: /mistral[-_.]?small/i, billions: 24 },
  { pattern: /codestral/i, billions: 22 },
];

/** The largest "<n>B" in the id: `30B-A3B` counts its 30B total, `8x7B` counts 56B; `4bit` is not a size. */
export function readBillions(model: string): number | undefined {
  const name = model.split('/').pop() ?? model;
  let largest: number | undefined;
  for (const match of name.matchAll(/(?<![a-z0-9.])(?:(\d+)x)?(\d+(?:\.\d+)?)([bm])(?![a-z0-9])/gi)) {
    const experts = match[1] ? Number(match[1]) : 1;
    const scale = match[3]?.toLowerCase() === 'm' ? 0.001 : 1;
    const billions = experts * Number(match[2]) * scale;
    if (largest === undefined || billions > largest) largest = billions;
  }
  return largest;
}

export function classifyBillions(billions: number): ModelSize {
  if (billions <= 8) return 'small';
  if (billions <= 32) return 'medium';
  return 'large';
}

/** small ≤ 8B, medium 9–32B, large > 32B; the config's `modelSize` wins; unknown → medium with a warning. */
export function detectModelSize(model: string, override?: ModelSize | null): ModelSizeDecision {
  const billions = readBillions(model) ?? KNOWN_MODELS.find((known) => known.pattern.test(model))?.billions;
  if (override) return billions === undefined ? { size: override } : { size: override, billions };
  if (billions === undefined) {
    return { size: 'medium', warning: `the size of ${model} is not in its name; using medium (set modelSize in config.yaml)` };
  }
  return { size: classifyBillions(billions), billions };
}
