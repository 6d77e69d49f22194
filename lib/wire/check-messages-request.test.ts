import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRecordedRequest } from '../../test/helpers/claude-code-fixtures.js';
import { findCountTokensRequestProblem, findMessagesRequestProblem, parseMessagesRequest } from './check-messages-request.js';

const valid = { model: 'claude-opus-5-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] };

describe('findMessagesRequestProblem', () => {
  it('accepts real Claude Code requests of both recorded versions', () => {
    for (const [version, scenario, index] of [['2.1.328', 'chat', 1], ['2.1.328', 'tool', 2], ['2.1.50', 'tool', 3]] as const) {
      assert.equal(findMessagesRequestProblem(readRecordedRequest(version, scenario, index).body), null, `${version}/${scenario}/${index}`);
    }
    assert.equal(findMessagesRequestProblem(valid), null);
  });

  it('leaves unknown block types and fields to the converter and Anthropic', () => {
    const unknown = { ...valid, future_field: 1, messages: [{ role: 'user', content: [{ type: 'hologram', data: 1 }] }] };
    assert.equal(findMessagesRequestProblem(unknown), null);
  });

  it('is the one check: the gateway and the translator refuse the same bodies (issue 18: they disagreed on roles and empty messages)', () => {
    assert.match(findMessagesRequestProblem({ ...valid, messages: [{ role: 'narrator', content: 'hi' }] }) ?? '', /^messages\.0\.role: expected "user", "assistant" or "system"/);
    assert.deepEqual(parseMessagesRequest({ ...valid, messages: [] }), { ok: false, message: 'invalid request: messages: at least one message is required' });
    assert.deepEqual(parseMessagesRequest(valid), { ok: true, value: valid });
    assert.equal(findCountTokensRequestProblem({ messages: [{ role: 'user', content: 'hi' }] }), null, 'count_tokens needs no model or max_tokens');
    assert.match(findCountTokensRequestProblem({ messages: [] }) ?? '', /at least one message/);
  });

  const problems: Array<[string, unknown, RegExp]> = [
    ['an array body', [valid], /^body:/],
    ['a string body', 'hi', /^body:/],
    ['null', null, /^body:/],
    ['a numeric model', { ...valid, model: 5 }, /^model:/],
    ['an empty model', { ...valid, model: '' }, /^model:/],
    ['missing messages', { model: 'm', max_tokens: 64 }, /^messages: expected/],
    ['messages as a string', { ...valid, messages: 'hi' }, /^messages: expected/],
    ['empty messages', { ...valid, messages: [] }, /at least one message/],
    ['a message that is a string', { ...valid, messages: ['hi'] }, /^messages\.0: /],
    ['a message without a role', { ...valid, messages: [{ content: 'hi' }] }, /^messages\.0\.role/],
    ['numeric content', { ...valid, messages: [{ role: 'user', content: 5 }] }, /^messages\.0\.content:/],
    ['missing content', { ...valid, messages: [{ role: 'user' }] }, /^messages\.0\.content:/],
    ['a block without a type', { ...valid, messages: [{ role: 'user', content: [{ text: 'x' }] }] }, /^messages\.0\.content\.0:/],
    ['a block that is a string', { ...valid, messages: [{ role: 'user', content: ['x'] }] }, /^messages\.0\.content\.0:/],
    ['a numeric user_id', { ...valid, metadata: { user_id: 5 } }, /^metadata\.user_id/],
    ['metadata as a string', { ...valid, metadata: 'x' }, /^metadata:/],
    ['tools as a string', { ...valid, tools: 'all' }, /^tools:/],
    ['a tool without a name', { ...valid, tools: [{ input_schema: {} }] }, /^tools\.0\.name/],
    ['a missing max_tokens', { model: 'm', messages: valid.messages }, /^max_tokens:/],
    ['a zero max_tokens', { ...valid, max_tokens: 0 }, /^max_tokens:/],
    ['system as a number', { ...valid, system: 5 }, /^system:/],
    ['a system block that is not text', { ...valid, system: [{ type: 'image' }] }, /^system\.0:/],
    ['stream as a string', { ...valid, stream: 'yes' }, /^stream:/],
    ['a negative temperature', { ...valid, temperature: -1 }, /^temperature:/],
    ['top_p over 1', { ...valid, top_p: 2 }, /^top_p:/],
    ['stop_sequences with a number', { ...valid, stop_sequences: [1] }, /^stop_sequences:/],
    ['thinking as a string', { ...valid, thinking: 'on' }, /^thinking:/],
  ];
  for (const [name, body, expected] of problems) {
    it(`names the problem with ${name}`, () => assert.match(findMessagesRequestProblem(body) ?? '', expected));
  }
});
