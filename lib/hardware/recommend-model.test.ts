import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateDownloadGb, isStrongLocalModel, MODEL_CATALOG } from './model-catalog.js';
import { recommendModel } from './recommend-model.js';

const GIB = 1024 ** 3;

describe('recommendModel', () => {
  // The table of issue #7, plus the sizes between its rows and Linux's smaller MemTotal.
  const table: Array<[string, number | null, string]> = [
    ['unknown memory', null, 'mlx-community/Qwen2.5-Coder-7B-Instruct-4bit'],
    ['4 GB', 4 * GIB, 'mlx-community/Qwen2.5-Coder-7B-Instruct-4bit'],
    ['8 GB', 8 * GIB, 'mlx-community/Qwen2.5-Coder-7B-Instruct-4bit'],
    ['16 GB', 16 * GIB, 'mlx-community/Qwen2.5-Coder-14B-Instruct-4bit'],
    ['16 GB as Linux reports it', 15.5 * GIB, 'mlx-community/Qwen2.5-Coder-14B-Instruct-4bit'],
    ['24 GB', 24 * GIB, 'mlx-community/Qwen2.5-Coder-14B-Instruct-4bit'],
    ['32 GB', 32 * GIB, 'mlx-community/Qwen3-Coder-30B-A3B-Instruct-4bit'],
    ['36 GB', 36 * GIB, 'mlx-community/Qwen3-Coder-30B-A3B-Instruct-4bit'],
    ['48 GB', 48 * GIB, 'mlx-community/Qwen3-Coder-30B-A3B-Instruct-4bit'],
    ['64 GB', 64 * GIB, 'mlx-community/Qwen3-Coder-Next-4bit'],
    ['96 GB', 96 * GIB, 'mlx-community/Qwen3-Coder-Next-4bit'],
    ['128 GB', 128 * GIB, 'mlx-community/Qwen3-Coder-Next-8bit'],
    ['192 GB', 192 * GIB, 'mlx-community/Qwen3-Coder-Next-8bit'],
    ['512 GB', 512 * GIB, 'mlx-community/Qwen3-Coder-Next-8bit'],
  ];
  for (const [name, bytes, model] of table) {
    it(`${name} → ${model}`, () => assert.equal(recommendModel(bytes).model.id, model));
  }

  it('warns in its reason when memory is below the smallest row', () => {
    assert.match(recommendModel(4 * GIB).reason, /below the 8 GB/);
    assert.match(recommendModel(null).reason, /could not be read/);
  });

  it('lists every model under mlx-community with a size and a download estimate', () => {
    for (const model of MODEL_CATALOG) {
      assert.match(model.id, /^mlx-community\//);
      assert.ok(model.downloadGb > 0 && model.downloadGb < model.memoryGb * 1.1, `${model.id} fits its row`);
    }
  });
});

describe('estimateDownloadGb', () => {
  it('uses the catalog, then the id, then gives up', () => {
    assert.equal(estimateDownloadGb('mlx-community/Qwen3-Coder-Next-4bit'), 44.9);
    assert.equal(estimateDownloadGb('mlx-community/Meta-Llama-3.1-8B-Instruct-4bit'), 4.4);
    assert.equal(estimateDownloadGb('someone/Qwen3-30B-A3B-8bit'), 33);
    assert.equal(estimateDownloadGb('someone/my-model'), null);
  });
});

describe('isStrongLocalModel', () => {
  it('is true only for Qwen3-Coder-Next', () => {
    assert.equal(isStrongLocalModel('mlx-community/Qwen3-Coder-Next-8bit'), true);
    assert.equal(isStrongLocalModel('mlx-community/Qwen3-Coder-30B-A3B-Instruct-4bit'), false);
  });
});
