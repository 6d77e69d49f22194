import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SseMessage } from '../../lib/sse/index.js';
import { checkSseMessages, readAndCheckSse } from './check-sse-order.js';

const event = (name: string, data: Record<string, unknown>): SseMessage => ({ event: name, data: JSON.stringify({ type: name, ...data }) });

const start = event('message_start', { message: { id: 'msg_1', content: [] } });
const ping = event('ping', {});
const textStart = (index: number) => event('content_block_start', { index, content_block: { type: 'text', text: '' } });
const textDelta = (index: number, text: string) => event('content_block_delta', { index, delta: { type: 'text_delta', text } });
const blockStop = (index: number) => event('content_block_stop', { index });
const messageDelta = event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } });
const stop = event('message_stop', {});

describe('checkSseMessages', () => {
  it('accepts the order of PROTOCOL.md B4 and collects the text', () => {
    const check = checkSseMessages([start, ping, textStart(0), textDelta(0, 'he'), textDelta(0, 'llo'), blockStop(0), textStart(1), blockStop(1), messageDelta, stop]);
    assert.deepEqual(check.violations, []);
    assert.equal(check.text, 'hello');
    assert.equal(check.stopReason, 'end_turn');
  });

  it('accepts a stream that ends with an error event', () => {
    const check = checkSseMessages([start, textStart(0), event('error', { error: { type: 'overloaded_error', message: 'x' } })]);
    assert.deepEqual(check.violations, []);
    assert.equal(check.errorType, 'overloaded_error');
  });

  const broken: Array<[string, SseMessage[], RegExp]> = [
    ['a delta before message_start', [textStart(0), blockStop(0), messageDelta, stop], /before message_start/],
    ['two message_starts', [start, start, messageDelta, stop], /second message_start/],
    ['a skipped index', [start, textStart(1), blockStop(1), messageDelta, stop], /expected 0/],
    ['two open blocks', [start, textStart(0), textStart(1), blockStop(1), messageDelta, stop], /while block 0 is open/],
    ['a delta on a closed block', [start, textStart(0), blockStop(0), textDelta(0, 'x'), messageDelta, stop], /open is null/],
    ['message_delta with an open block', [start, textStart(0), messageDelta, stop], /while block 0 is open/],
    ['no message_stop', [start, messageDelta], /without message_stop/],
    ['an event after message_stop', [start, messageDelta, stop, ping], /after the stream ended/],
    ['message_delta without output_tokens', [start, event('message_delta', { delta: {}, usage: {} }), stop], /output_tokens/],
    ['an event name that does not match its data', [{ event: 'ping', data: '{"type":"message_start"}' }, messageDelta, stop], /carries data of type/],
    ['an event without a name', [{ data: JSON.stringify({ type: 'message_start' }) }, messageDelta, stop], /without an "event:" line/],
  ];
  for (const [name, messages, expected] of broken) {
    it(`reports ${name}`, () => {
      const check = checkSseMessages(messages);
      assert.ok(check.violations.some((violation) => expected.test(violation)), JSON.stringify(check.violations));
    });
  }

  it('reads raw bytes split anywhere', async () => {
    const text = [start, textStart(0), textDelta(0, 'é'), blockStop(0), messageDelta, stop].map((message) => `event: ${message.event}\ndata: ${message.data}\n\n`).join('');
    const bytes = new TextEncoder().encode(text);
    const pieces = [bytes.slice(0, 7), bytes.slice(7, bytes.length - 3), bytes.slice(bytes.length - 3)];
    const check = await readAndCheckSse(pieces);
    assert.deepEqual(check.violations, []);
    assert.equal(check.text, 'é');
  });
});
