import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeBackoffDelay, decideAfterFailure } from './backoff.js';

const policy = { baseMs: 1000, capMs: 30_000 };

describe('computeBackoffDelay', () => {
  const cases: Array<[number, number]> = [
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [5, 16_000],
    [6, 30_000],
    [2000, 30_000],
  ];
  for (const [attempt, expected] of cases) {
    it(`waits ${expected} ms before restart ${attempt}`, () => assert.equal(computeBackoffDelay(attempt, policy), expected));
  }
  it('rejects an attempt below 1', () => assert.throws(() => computeBackoffDelay(0, policy), RangeError));
});

describe('decideAfterFailure', () => {
  const cases: Array<[number, number, ReturnType<typeof decideAfterFailure>]> = [
    [1, 5, { action: 'restart', attempt: 1, delayMs: 1000 }],
    [5, 5, { action: 'restart', attempt: 5, delayMs: 16_000 }],
    [6, 5, { action: 'fail', attempts: 6 }],
    [1, 0, { action: 'fail', attempts: 1 }],
  ];
  for (const [failures, maxRestarts, expected] of cases) {
    it(`failure ${failures} with maxRestarts ${maxRestarts} → ${expected.action}`, () => {
      assert.deepEqual(decideAfterFailure({ consecutiveFailures: failures, maxRestarts, policy }), expected);
    });
  }
});
