import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectModelSize } from './model-size.js';

describe('detectModelSize', () => {
  const cases: Array<[string, 'small' | 'medium' | 'large', number | null]> = [
    ['mlx-community/Qwen2.5-Coder-7B-Instruct-4bit', 'small', 7],
    ['mlx-community/Qwen2.5-Coder-1.5B-Instruct-4bit', 'small', 1.5],
    ['mlx-community/Llama-3.1-8B-Instruct-4bit', 'small', 8],
    ['mlx-community/Qwen2.5-Coder-14B-Instruct-4bit', 'medium', 14],
    ['mlx-community/Qwen3-Coder-30B-A3B-Instruct-4bit', 'medium', 30],
    ['mlx-community/Qwen2.5-Coder-32B-Instruct-4bit', 'medium', 32],
    ['mlx-community/Qwen3-235B-A22B-4bit', 'large', 235],
    ['mlx-community/Llama-3.3-70B-Instruct-4bit', 'large', 70],
    ['mlx-community/Qwen3-Coder-Next-4bit', 'large', 80],
    ['mlx-community/Qwen3-Coder-Next-8bit', 'large', 80],
  ];
  for (const [id, size, billions] of cases) {
    it(`${id} is ${size}`, () => {
      const detected = detectModelSize(id);
      assert.equal(detected.size, size);
      assert.equal(detected.billions, billions);
      assert.equal(detected.warning, null);
    });
  }

  it('treats an unknown name as medium and says how to override it', () => {
    const detected = detectModelSize('my-org/secret-model');
    assert.equal(detected.size, 'medium');
    assert.match(detected.warning!, /modelSize/);
  });
});
