import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildServerArguments } from './server-arguments.js';

describe('buildServerArguments', () => {
  it('passes the cache limit to the wrapper and mlx-lm.server its flags, extra arguments last', () => {
    assert.deepEqual(
      buildServerArguments({
        wrapperPath: '/h/mlx_server_wrapper.py',
        cacheLimitBytes: 2147483648,
        model: 'mlx-community/Qwen2.5-Coder-7B-Instruct-4bit',
        port: 8080,
        promptCacheSize: 4,
        extraArgs: ['--chat-template-args', '{"enable_thinking":false}'],
      }),
      [
        '-u', '/h/mlx_server_wrapper.py', '--mallex-cache-limit', '2147483648', '--',
        '--model', 'mlx-community/Qwen2.5-Coder-7B-Instruct-4bit', '--host', '127.0.0.1', '--port', '8080',
        '--prompt-concurrency', '1', '--decode-concurrency', '1', '--prompt-cache-size', '4',
        '--chat-template-args', '{"enable_thinking":false}',
      ],
    );
  });
});
