import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { formatExportLines, quoteForShell } from './proxy.js';

describe('quoteForShell', () => {
  it('survives a real shell for awkward values', () => {
    for (const value of ["it's", 'a\nb', '$HOME `x` "q"', 'x-mallex-token: abc_-1', 'http://127.0.0.1:3456']) {
      const result = spawnSync('sh', ['-c', `printf %s ${quoteForShell(value)}`], { encoding: 'utf8' });
      assert.equal(result.stdout, value);
    }
  });
});

describe('formatExportLines', () => {
  it('exports what changed and unsets what was removed', () => {
    const lines = formatExportLines(
      { A: '1', ANTHROPIC_API_KEY: 'k' },
      { A: '1', ANTHROPIC_BASE_URL: 'http://127.0.0.1:3456', ANTHROPIC_CUSTOM_HEADERS: 'X-Team: blue\nx-mallex-token: t' },
    );
    assert.deepEqual(lines, [
      'unset ANTHROPIC_API_KEY',
      'export ANTHROPIC_BASE_URL=http://127.0.0.1:3456',
      "export ANTHROPIC_CUSTOM_HEADERS='X-Team: blue\nx-mallex-token: t'",
    ]);
  });
});
