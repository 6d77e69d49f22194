import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTestConfig } from '../../../test/integration/translator-harness.js';
import { resolveUpstream } from './upstream-url.js';

describe('resolveUpstream', () => {
  const config = loadTestConfig();
  const cases: Array<[string, Parameters<typeof resolveUpstream>[0], ReturnType<typeof resolveUpstream>]> = [
    ['mlx: loopback serverPort', { ...config, serverPort: 8181 }, { url: 'http://127.0.0.1:8181/v1/chat/completions', backendKind: 'mlx' }],
    ['openai: backend.url', { ...config, backend: { kind: 'openai', url: 'http://127.0.0.1:11434/v1', vision: false } }, { url: 'http://127.0.0.1:11434/v1/chat/completions', backendKind: 'openai' }],
    ['openai: trailing slash', { ...config, backend: { kind: 'openai', url: 'http://127.0.0.1:1234/v1/', vision: false } }, { url: 'http://127.0.0.1:1234/v1/chat/completions', backendKind: 'openai' }],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.deepEqual(resolveUpstream(input), expected));
});
