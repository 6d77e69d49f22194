import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readChipFactor, resolveBudgets } from './budgets.js';

describe('resolveBudgets', () => {
  it('uses the built-in defaults for null, scaled for the chip', () => {
    const none = { small: { prefillBudget: null, contextLimit: null }, medium: { prefillBudget: null, contextLimit: null }, large: { prefillBudget: null, contextLimit: null } };
    assert.deepEqual(resolveBudgets('small', none), { prefillBudget: 4000, contextLimit: 16000 });
    assert.deepEqual(resolveBudgets('medium', none, 'Apple M1'), { prefillBudget: 1000, contextLimit: 32000 });
    assert.deepEqual(resolveBudgets('large', none, 'Apple M2 Ultra'), { prefillBudget: 1000, contextLimit: 64000 });
    assert.deepEqual(resolveBudgets('small', { ...none, small: { prefillBudget: 900, contextLimit: 5000 } }, 'Apple M3 Max'), { prefillBudget: 900, contextLimit: 5000 });
  });

  it('reads the chip factor from the name macOS reports', () => {
    assert.equal(readChipFactor('Apple M2'), 0.5);
    assert.equal(readChipFactor('Apple M2 Pro'), 1);
    assert.equal(readChipFactor('Apple M4'), 1);
    assert.equal(readChipFactor('Apple M1 Max'), 2);
    assert.equal(readChipFactor(undefined), 1);
    assert.equal(readChipFactor('Intel(R) Core(TM) i9-9980HK CPU @ 2.40GHz'), 1, 'not Apple Silicon');
  });
});
