import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveChatCompletionsEndpoint } from './chat-completions-endpoint.js';

describe('resolveChatCompletionsEndpoint', () => {
  it('mlx: the managed server on loopback, without a model name', () => {
    const endpoint = resolveChatCompletionsEndpoint({ backend: { kind: 'mlx', url: 'http://127.0.0.1:9/v1', vision: false }, serverPort: 8123, model: 'mlx-community/x' });
    assert.deepEqual(endpoint, { url: 'http://127.0.0.1:8123/v1/chat/completions' });
  });

  it('openai: the configured base URL, with the model name', () => {
    const endpoint = resolveChatCompletionsEndpoint({ backend: { kind: 'openai', url: 'http://127.0.0.1:11434/v1/', vision: false }, serverPort: 8123, model: 'qwen2.5-coder:7b' });
    assert.deepEqual(endpoint, { url: 'http://127.0.0.1:11434/v1/chat/completions', model: 'qwen2.5-coder:7b' });
  });
});
