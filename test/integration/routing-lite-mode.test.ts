import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

// pm2 starts the services with V8's lite mode, which has no WebAssembly, so
// the global fetch (undici's parser is WebAssembly) fails there. The gateway
// and classifier must get every request through anyway.

describe('routing under V8 lite mode', () => {
  it('classifies, answers locally, passes through to Claude and counts tokens without WebAssembly', () => {
    const script = path.join(import.meta.dirname, 'routing-lite-mode-run.js');
    const run = spawnSync(process.execPath, ['--lite-mode', script], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 0, run.stderr);
    const results = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    assert.deepEqual(results, [
      { status: 200, route: 'claude', reason: 'classified' },
      { status: 200, route: 'local', reason: 'classified' },
      { status: 200 },
    ]);
  });
});
