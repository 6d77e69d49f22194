import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasDecidingFlags, parseSetupFlags, parseTierFlag } from './parse-setup-flags.js';

describe('parseSetupFlags', () => {
  it('turns each flag into one answer', () => {
    assert.deepEqual(parseSetupFlags({ model: 'mlx-community/x-4bit', tier: ['2=local', '3=claude-opus-5-5'], auth: 'oauth' }), {
      model: 'mlx-community/x-4bit',
      tierOverrides: { 2: { target: 'local' }, 3: { target: 'claude', claudeModel: 'claude-opus-5-5' } },
      authMethod: 'oauth',
    });
  });

  it('implies --auth apikey from --api-key', () => {
    assert.deepEqual(parseSetupFlags({ apiKey: ' sk-ant-x ' }), { claudeApiKey: 'sk-ant-x', authMethod: 'apikey' });
  });

  it('takes --backend and --url, --url implying openai and written as a base URL', () => {
    assert.deepEqual(parseSetupFlags({ url: '127.0.0.1:11434' }), { url: 'http://127.0.0.1:11434/v1', backend: 'openai' });
    assert.deepEqual(parseSetupFlags({ backend: 'mlx' }), { backend: 'mlx' });
  });

  const bad: Array<[string, () => unknown, RegExp]> = [
    ['a tier without a target', () => parseTierFlag('2'), /--tier 2: expected NUMBER=local/],
    ['tier zero', () => parseTierFlag('0=local'), /expected NUMBER=local/],
    ['an unknown auth method', () => parseSetupFlags({ auth: 'password' }), /--auth password: expected oauth or apikey/],
    ['an unknown backend', () => parseSetupFlags({ backend: 'ollama' }), /--backend ollama: expected mlx .* or openai/],
    ['a URL that is not one', () => parseSetupFlags({ url: 'a b' }), /--url "a b": expected the server's URL/],
    ['--url with --backend mlx', () => parseSetupFlags({ backend: 'mlx', url: 'http://127.0.0.1:1/v1' }), /--url is for --backend openai/],
    ['a model with spaces', () => parseSetupFlags({ model: 'a b' }), /--model "a b": expected a model id without spaces/],
  ];
  for (const [name, parse, pattern] of bad) {
    it(`refuses ${name}`, () => assert.throws(parse, pattern));
  }

  it('knows which flags let setup run without a terminal', () => {
    assert.equal(hasDecidingFlags({}), false);
    assert.equal(hasDecidingFlags({ tier: [] }), false);
    assert.equal(hasDecidingFlags({ defaults: true }), true);
    assert.equal(hasDecidingFlags({ model: 'x' }), true);
    assert.equal(hasDecidingFlags({ url: 'http://127.0.0.1:1/v1' }), true);
  });
});
