import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readChipFactor, resolveBudgets } from './budgets.js';
import { detectModelSize } from './model-size.js';

describe('detectModelSize', () => {
  const table: Array<[string, 'small' | 'medium' | 'large']> = [
    ['mlx-community/Qwen2.5-Coder-7B-Instruct-4bit', 'small'],
    ['mlx-community/Qwen3-8B-4bit', 'small'],
    ['mlx-community/Llama-3.2-1B-Instruct-4bit', 'small'],
    ['mlx-community/SmolLM2-360M-Instruct', 'small'],
    ['mlx-community/Qwen2.5-Coder-14B-Instruct-4bit', 'medium'],
    ['mlx-community/Qwen3-Coder-30B-A3B-Instruct-4bit', 'medium'],
    ['mlx-community/Qwen2.5-Coder-32B-Instruct-8bit', 'medium'],
    ['mlx-community/Mixtral-8x7B-Instruct-v0.1', 'large'],
    ['mlx-community/Llama-3.3-70B-Instruct-4bit', 'large'],
    ['lmstudio-community/Qwen3-Coder-Next-MLX-4bit', 'large'],
    ['mlx-community/Devstral-Small-2507-4bit', 'medium'],
    ['mlx-community/gpt-oss-20b-MXFP4-Q8', 'medium'],
  ];
  for (const [model, size] of table) {
    it(`${model} is ${size}`, () => {
      const decision = detectModelSize(model);
      assert.equal(decision.size, size);
      assert.equal(decision.warning, undefined);
    });
  }

  it('an unknown size is medium with a warning, unless config says', () => {
    const decision = detectModelSize('/Users/me/models/my-finetune-4bit');
    assert.equal(decision.size, 'medium');
    assert.match(decision.warning ?? '', /modelSize/);
    assert.deepEqual(detectModelSize('/Users/me/models/my-finetune-4bit', 'small'), { size: 'small' });
    assert.equal(detectModelSize('mlx-community/Qwen2.5-Coder-7B-Instruct-4bit', 'large').size, 'large');
  });
});

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
  });
});
