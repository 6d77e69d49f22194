// The MLX buffer cache limit the wrapper sets (PROTOCOL.md A1: mlx-lm.server
// has no flag for it). Unbounded, MLX keeps freed buffers cached up to its
// memory limit, which on a 16 GB Mac leaves little for anything else.

const GIB = 1024 ** 3;
/** Default: 25 % of the GPU working set, at most 4 GB. */
const CACHE_LIMIT_FRACTION = 0.25;
const CACHE_LIMIT_CAP_BYTES = 4 * GIB;
/** After out-of-memory restarts the limit is halved, but not below this. */
const CACHE_LIMIT_FLOOR_BYTES = 256 * 1024 ** 2;

export function computeCacheLimit({ configuredBytes, workingSetBytes, physicalMemoryBytes }: {
  /** mlx.cacheLimitBytes; null: computed. */
  configuredBytes: number | null;
  /** mx.device_info()["max_recommended_working_set_size"]; null when MLX does not report one. */
  workingSetBytes: number | null;
  /** Used only when the working set is unknown. */
  physicalMemoryBytes: number;
}): number {
  if (configuredBytes !== null) return configuredBytes;
  const basis = workingSetBytes !== null && workingSetBytes > 0 ? workingSetBytes : physicalMemoryBytes;
  return Math.floor(Math.min(basis * CACHE_LIMIT_FRACTION, CACHE_LIMIT_CAP_BYTES));
}

/**
 * Limits for the next start. Each out-of-memory exit halves both the cache
 * limit and the prompt cache (mlx-lm #1390: OOM aborts follow a prompt cache
 * grown to tens of GB).
 */
export function computeServerLimits({ baseCacheLimitBytes, basePromptCacheSize, oomCount }: {
  baseCacheLimitBytes: number;
  basePromptCacheSize: number;
  oomCount: number;
}): { cacheLimitBytes: number; promptCacheSize: number } {
  const divisor = 2 ** Math.min(oomCount, 30);
  const floor = Math.min(baseCacheLimitBytes, CACHE_LIMIT_FLOOR_BYTES);
  return {
    cacheLimitBytes: Math.max(floor, Math.floor(baseCacheLimitBytes / divisor)),
    promptCacheSize: Math.max(1, Math.floor(basePromptCacheSize / divisor)),
  };
}
