import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeCacheLimit, computeServerLimits } from './cache-limit.js';

const GIB = 1024 ** 3;

describe('computeCacheLimit', () => {
  const cases: Array<[string, Parameters<typeof computeCacheLimit>[0], number]> = [
    ['25 % of an 8 GiB working set', { configuredBytes: null, workingSetBytes: 8 * GIB, physicalMemoryBytes: 16 * GIB }, 2 * GIB],
    ['25 % of a 12.7 GB working set (16 GB Mac)', { configuredBytes: null, workingSetBytes: 12_713_115_648, physicalMemoryBytes: 16 * GIB }, 3_178_278_912],
    ['at most 4 GiB on a 64 GiB working set', { configuredBytes: null, workingSetBytes: 64 * GIB, physicalMemoryBytes: 96 * GIB }, 4 * GIB],
    ['the configured value wins', { configuredBytes: 123_456_789, workingSetBytes: 64 * GIB, physicalMemoryBytes: 96 * GIB }, 123_456_789],
    ['physical memory when no working set is reported', { configuredBytes: null, workingSetBytes: null, physicalMemoryBytes: 8 * GIB }, 2 * GIB],
    ['physical memory when the working set is 0', { configuredBytes: null, workingSetBytes: 0, physicalMemoryBytes: 4 * GIB }, 1 * GIB],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.equal(computeCacheLimit(input), expected));
});

describe('computeServerLimits', () => {
  const cases: Array<[number, number, number, { cacheLimitBytes: number; promptCacheSize: number }]> = [
    [4 * GIB, 4, 0, { cacheLimitBytes: 4 * GIB, promptCacheSize: 4 }],
    [4 * GIB, 4, 1, { cacheLimitBytes: 2 * GIB, promptCacheSize: 2 }],
    [4 * GIB, 4, 2, { cacheLimitBytes: 1 * GIB, promptCacheSize: 1 }],
    [4 * GIB, 4, 10, { cacheLimitBytes: 256 * 1024 ** 2, promptCacheSize: 1 }],
    [100_000_000, 10, 3, { cacheLimitBytes: 100_000_000, promptCacheSize: 1 }],
  ];
  for (const [base, prompt, ooms, expected] of cases) {
    it(`after ${ooms} OOM exits: ${expected.cacheLimitBytes} bytes, prompt cache ${expected.promptCacheSize}`, () => {
      assert.deepEqual(computeServerLimits({ baseCacheLimitBytes: base, basePromptCacheSize: prompt, oomCount: ooms }), expected);
    });
  }
});
