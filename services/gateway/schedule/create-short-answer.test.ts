import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readAndCheckSse } from '../../../test/helpers/check-sse-order.js';
import { createShortAnswer } from './create-short-answer.js';

describe('createShortAnswer', () => {
  it('is a whole message with one empty text block as JSON', () => {
    const answer = createShortAnswer({ stream: false, model: 'local', id: 'msg_1' });
    assert.equal(answer.contentType, 'application/json');
    const message = JSON.parse(answer.body);
    assert.deepEqual([message.type, message.role, message.stop_reason, message.content], ['message', 'assistant', 'end_turn', [{ type: 'text', text: '' }]]);
  });
});

describe('createShortAnswer as a stream', () => {
  it('keeps the event order the SDK accumulates (PROTOCOL.md B4), with an empty text and end_turn', async () => {
    const answer = createShortAnswer({ stream: true, model: 'local', id: 'msg_2' });
    assert.match(answer.contentType, /text\/event-stream/);
    const check = await readAndCheckSse([Buffer.from(answer.body)]);
    assert.deepEqual(check.violations, []);
    assert.deepEqual([check.text, check.stopReason], ['', 'end_turn']);
  });
});
