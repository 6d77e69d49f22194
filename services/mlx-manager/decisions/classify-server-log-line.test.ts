import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyServerLogLine } from './classify-server-log-line.js';

describe('classifyServerLogLine', () => {
  const cases: Array<[string, string]> = [
    [
      'libc++abi: terminating due to uncaught exception of type std::runtime_error: [METAL] Command buffer execution failed: Insufficient Memory (00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)',
      'oom',
    ],
    ['libc++abi: terminating due to uncaught exception of type std::runtime_error: [METAL] Command buffer execution failed: Discarded (victim of GPU error/recovery) (00000005:kIOGPUCommandBufferCallbackErrorInnocentVictim)', 'oom'],
    ['[METAL] Command buffer execution failed: Ignored (for causing prior/excessive GPU errors) (00000004:kIOGPUCommandBufferCallbackErrorSubmissionsIgnored)', 'oom'],
    ['Exception in thread Thread-1 (_generate):', 'generation-thread-died'],
    ['Exception in thread Thread-12 (_generate):', 'generation-thread-died'],
    ['Exception in thread Thread-2 (serve_forever):', 'none'],
    ['RuntimeError: [metal::malloc] Resource limit (499000) exceeded.', 'none'],
    ['2026-01-01 10:00:00,000 - INFO - Starting httpd at 127.0.0.1 on port 8080...', 'httpd-started'],
    ['model.safetensors:  35%|███▌      | 1.52G/4.29G [00:30<00:55, 50.1MB/s]', 'download-progress'],
    ['Prompt processing progress: 2048/9000', 'none'],
    ['Exception occurred during processing of request from (\'127.0.0.1\', 50000)', 'none'],
    ['', 'none'],
  ];
  for (const [line, kind] of cases) it(`${kind}: ${line.slice(0, 60)}`, () => assert.equal(classifyServerLogLine(line).kind, kind));
});
