import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFirstSeenWarnings } from './first-seen-warnings.js';

describe('createFirstSeenWarnings', () => {
  it('passes each kind of warning once, whatever its counts', () => {
    const firstSeen = createFirstSeenWarnings();
    assert.deepEqual(firstSeen(['metadata ignored', 'cache_control ignored (×2)']), ['metadata ignored', 'cache_control ignored (×2)']);
    assert.deepEqual(firstSeen(['metadata ignored', 'cache_control ignored (×5)']), []);
    assert.deepEqual(firstSeen(['max_tokens 32000 capped to 8192', 'metadata ignored']), ['max_tokens 32000 capped to 8192']);
    assert.deepEqual(firstSeen(['max_tokens 64000 capped to 8192']), []);
  });

  it('stops remembering past its limit instead of growing', () => {
    const firstSeen = createFirstSeenWarnings(2);
    assert.deepEqual(firstSeen(['a ignored', 'b ignored', 'c ignored']), ['a ignored', 'b ignored']);
    assert.deepEqual(firstSeen(['c ignored']), []);
  });
});
