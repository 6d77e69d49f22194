import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLineSplitter } from './line-splitter.js';

describe('createLineSplitter', () => {
  it('splits on \\n, \\r\\n and tqdm\'s bare \\r, across chunk boundaries', () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((line) => lines.push(line));
    for (const chunk of ['a: 10%|', '| 1/10\r', 'a: 20%|| 2/10\rStart', 'ing httpd\r', '\nlast']) splitter.push(chunk);
    splitter.flush();
    assert.deepEqual(lines, ['a: 10%|| 1/10', 'a: 20%|| 2/10', 'Starting httpd', 'last']);
  });

  it('cuts a line that never ends', () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((line) => lines.push(line));
    splitter.push('x'.repeat(40_000));
    assert.deepEqual(lines.map((line) => line.length), [16_384, 16_384]);
  });
});
