import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildUserConfig } from './build-user-config.js';
import type { SetupAnswers } from './setup-answers.js';

const answers = (model: string, auth: Partial<SetupAnswers> = {}): SetupAnswers => ({
  backend: { kind: 'mlx' },
  model,
  tiers: { 1: { target: 'local' }, 2: { target: 'claude', claudeModel: 'claude-opus-5-5' } },
  authMethod: 'oauth',
  claudeApiKey: null,
  ...auth,
});

describe('buildUserConfig', () => {
  it('changes only the keys setup owns, without touching the input', () => {
    const existing = { proxyPort: 4000, routing: { waitForLocalSeconds: 3, tiers: { 9: { target: 'local' } } } };
    const next = buildUserConfig(existing, answers('m-7B'));
    assert.deepEqual(next, {
      proxyPort: 4000,
      model: 'm-7B',
      routing: { waitForLocalSeconds: 3, tiers: answers('m-7B').tiers, authMethod: 'oauth' },
    });
    assert.deepEqual(existing.routing.tiers, { 9: { target: 'local' } });
  });

  it('keeps modelSize for the same model and drops it for a new one', () => {
    assert.equal(buildUserConfig({ model: 'odd-model', modelSize: 'large' }, answers('odd-model')).modelSize, 'large');
    assert.equal('modelSize' in buildUserConfig({ model: 'odd-model', modelSize: 'large' }, answers('m-7B')), false);
  });

  it('keeps a saved API key when none was typed, and replaces it when one was', () => {
    const existing = { routing: { authMethod: 'apikey', claudeApiKey: 'sk-ant-saved' } };
    assert.equal((buildUserConfig(existing, answers('m', { authMethod: 'apikey' })).routing as { claudeApiKey: string }).claudeApiKey, 'sk-ant-saved');
    assert.equal((buildUserConfig(existing, answers('m', { authMethod: 'apikey', claudeApiKey: 'sk-ant-new' })).routing as { claudeApiKey: string }).claudeApiKey, 'sk-ant-new');
  });

  it('writes the backend kind and url of an existing server, keeping the other backend keys', () => {
    const existing = { backend: { kind: 'mlx', vision: true } };
    const next = buildUserConfig(existing, answers('qwen3-coder:30b', { backend: { kind: 'openai', url: 'http://127.0.0.1:11434/v1' } }));
    assert.deepEqual(next.backend, { kind: 'openai', url: 'http://127.0.0.1:11434/v1', vision: true });
    assert.deepEqual(buildUserConfig({ backend: { kind: 'openai', url: 'http://x/v1' } }, answers('m')).backend, { kind: 'mlx', url: 'http://x/v1' });
    assert.equal('backend' in buildUserConfig({}, answers('m')), false, 'mlx is the default: nothing to write');
  });
});
