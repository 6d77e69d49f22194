import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRecordedRequest } from '../../test/helpers/claude-code-fixtures.js';
import { findMessagesRequestProblem } from './check-messages-request.js';

const valid = { model: 'claude-opus-5-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] };

describe('findMessagesRequestProblem', () => {
  it('accepts real Claude Code requests of both recorded versions', () => {
    for (const [version, scenario, index] of [['2.1.328', 'chat', 1], ['2.1.328', 'tool', 2], ['2.1.50', 'tool', 3]] as const) {
      assert.equal(findMessagesRequestProblem(readRecordedRequest(version, scenario, index).body), null, `${version}/${scenario}/${index}`);
    }
    assert.equal(findMessagesRequestProblem(valid), null);
  });

  it('leaves unknown roles, block types and fields to the translator and Anthropic', () => {
    const unknown = { ...valid, future_field: 1, messages: [{ role: 'narrator', content: [{ type: 'hologram', data: 1 }] }] };
    assert.equal(findMessagesRequestProblem(unknown), null);
  });

  const problems: Array<[string, unknown, RegExp]> = [
    ['an array body', [valid], /^body:/],
    ['a string body', 'hi', /^body:/],
    ['null', null, /^body:/],
    ['a numeric model', { ...valid, model: 5 }, /^model:/],
    ['an empty model', { ...valid, model: '' }, /^model:/],
    ['missing messages', { model: 'm' }, /^messages: expected/],
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
  ];
  for (const [name, body, expected] of problems) {
    it(`names the problem with ${name}`, () => assert.match(findMessagesRequestProblem(body) ?? '', expected));
  }
});
