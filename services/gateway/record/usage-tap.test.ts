import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createUsageTap } from './usage-tap.js';

const stream = [
  'event: message_start',
  'data: {"type":"message_start","message":{"id":"msg_1","usage":{"input_tokens":10,"output_tokens":1,"cache_creation_input_tokens":5,"cache_read_input_tokens":100}}}',
  '',
  'event: content_block_delta',
  'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\\"usage\\" is a word ✓"}}',
  '',
  'event: message_delta',
  'data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":42}}',
  '',
  'event: message_stop',
  'data: {"type":"message_stop"}',
  '',
  '',
].join('\r\n');

describe('createUsageTap', () => {
  it('reads input (cached included) and output tokens from a stream split at every byte', () => {
    const bytes = Buffer.from(stream);
    for (let offset = 1; offset < bytes.length; offset += 7) {
      const tap = createUsageTap('text/event-stream; charset=utf-8');
      tap.push(bytes.subarray(0, offset));
      tap.push(bytes.subarray(offset));
      assert.deepEqual(tap.finish(), { inputTokens: 115, outputTokens: 42, uncachedInputTokens: 15 }, `split at ${offset}`);
    }
  });

  it('takes message_delta input counts as overwrites (the local model reports them late)', () => {
    const tap = createUsageTap('text/event-stream');
    tap.push(Buffer.from('data: {"type":"message_start","message":{"usage":{"input_tokens":0,"output_tokens":1}}}\n\n'));
    tap.push(Buffer.from('data: {"type":"message_delta","usage":{"output_tokens":7,"input_tokens":300,"cache_read_input_tokens":1000}}\n\n'));
    assert.deepEqual(tap.finish(), { inputTokens: 1300, outputTokens: 7, uncachedInputTokens: 300 });
  });

  it('reads a JSON answer', () => {
    const tap = createUsageTap('application/json');
    const body = Buffer.from(JSON.stringify({ type: 'message', usage: { input_tokens: 3, output_tokens: 4 } }));
    tap.push(body.subarray(0, 10));
    tap.push(body.subarray(10));
    assert.deepEqual(tap.finish(), { inputTokens: 3, outputTokens: 4, uncachedInputTokens: 3 });
  });

  it('answers nulls for an error body', () => {
    const tap = createUsageTap('application/json');
    tap.push(Buffer.from('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}'));
    assert.deepEqual(tap.finish(), { inputTokens: null, outputTokens: null, uncachedInputTokens: null });
  });
});
