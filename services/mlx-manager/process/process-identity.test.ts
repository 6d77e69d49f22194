import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProcessAlive, isWrapperCommandLine, readCommandLine } from './process-identity.js';

describe('process identity', () => {
  it('recognizes the wrapper by its exact path among the arguments', () => {
    const wrapper = '/h/.mallex/mlx_server_wrapper.py';
    assert.equal(isWrapperCommandLine(`/h/.mallex/venv/bin/python -u ${wrapper} --mallex-cache-limit 1 -- --model m`, wrapper), true);
    assert.equal(isWrapperCommandLine('/usr/bin/python -u /other/mlx_server_wrapper.py', wrapper), false);
    assert.equal(isWrapperCommandLine(`vim ${wrapper}x`, wrapper), false);
    assert.equal(isWrapperCommandLine(null, wrapper), false);
  });

  it('reads the command line of a live process and nothing for a dead one', async () => {
    assert.match((await readCommandLine(process.pid)) ?? '', /node/);
    assert.equal(isProcessAlive(process.pid), true);
    assert.equal(await readCommandLine(2 ** 22 + 12345), null);
    assert.equal(isProcessAlive(2 ** 22 + 12345), false);
  });
});
