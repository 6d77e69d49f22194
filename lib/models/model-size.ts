import type { ModelSize } from '../config/schema.js';

// Models whose id does not say their size (total parameters, billions).
const KNOWN_MODEL_PARAMETERS: ReadonlyArray<[RegExp, number]> = [
  [/qwen3-coder-next/i, 80],
  [/gpt-oss-120b/i, 120],
  [/gpt-oss-20b/i, 21],
];

export interface DetectedModelSize {
  size: ModelSize;
  /** Total parameters in billions, when known. */
  billions: number | null;
  /** Said when the size could not be read from the id. */
  warning: string | null;
}

function classifyParameterCount(billions: number): ModelSize {
  if (billions <= 8) return 'small';
  if (billions <= 32) return 'medium';
  return 'large';
}

/**
 * The size class of a model from its id: "7B" → small, "14B" → medium,
 * "30B-A3B" counts its total 30B (all experts sit in memory and the prompt
 * passes through all of them), known names from a table; otherwise medium,
 * with a warning that names the config override.
 */
export function detectModelSize(modelId: string): DetectedModelSize {
  for (const [pattern, billions] of KNOWN_MODEL_PARAMETERS) {
    if (pattern.test(modelId)) return { size: classifyParameterCount(billions), billions, warning: null };
  }
  const name = modelId.split('/').pop() ?? modelId;
  // The first "<number>B" that is not the active-parameter part of "A3B".
  const match = /(?:^|[^a-z0-9.])(\d+(?:\.\d+)?)b(?![a-z0-9])/i.exec(name.replace(/-a\d+(?:\.\d+)?b/gi, ''));
  if (match) {
    const billions = Number(match[1]);
    return { size: classifyParameterCount(billions), billions, warning: null };
  }
  return {
    size: 'medium',
    billions: null,
    warning: `cannot tell the size of "${modelId}" from its name; treating it as medium (set modelSize: small|medium|large in config.yaml)`,
  };
}
