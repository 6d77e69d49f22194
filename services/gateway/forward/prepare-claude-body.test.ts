import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRecordedRequest } from '../../../test/helpers/claude-code-fixtures.js';
import type { AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';
import { prepareClaudeBody } from './prepare-claude-body.js';

const toolUse = { type: 'tool_use' as const, id: 't1', name: 'Bash', input: { command: 'ls' } };
const toolResult = { type: 'tool_result' as const, tool_use_id: 't1', content: 'a.txt' };

function createBody(overrides: Partial<AnthropicMessagesRequest>): AnthropicMessagesRequest {
  return { model: 'claude-opus-5-5', max_tokens: 1000, messages: [{ role: 'user', content: 'hi' }], ...overrides };
}

describe('prepareClaudeBody', () => {
  it("rewrites the model and leaves the rest of a Claude-only conversation as Claude Code sent it", () => {
    const { body } = readRecordedRequest('2.1.328', 'chat', 1);
    const prepared = prepareClaudeBody(body, 'claude-sonnet-5-5');
    assert.equal(prepared.body.model, 'claude-sonnet-5-5');
    assert.deepEqual(prepared.adjustments, []);
    assert.deepEqual({ ...prepared.body, model: body.model }, body);
    assert.equal(body.model, 'claude-opus-5-5', 'the original is not changed');
  });

  it('drops thinking (and the thinking edits) when the last tool-loop turn came from the local model', () => {
    // The recorded loop: the fake answered tool_use without thinking, as the local model does.
    const { body } = readRecordedRequest('2.1.328', 'tool', 2);
    const prepared = prepareClaudeBody(body, 'claude-opus-5-5');
    assert.deepEqual(prepared.adjustments, ['thinking-dropped']);
    assert.equal(prepared.body.thinking, undefined);
    assert.equal(prepared.body.context_management, undefined);
    assert.deepEqual(prepared.body.output_config, body.output_config);
    assert.ok(body.thinking, 'the original keeps its thinking');
  });

  it('keeps thinking when the last assistant turn starts with Claude\'s own thinking block', () => {
    const body = createBody({
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [
        { role: 'user', content: 'list files' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'use ls', signature: 'sig' }, toolUse] },
        { role: 'user', content: [toolResult] },
      ],
    });
    const prepared = prepareClaudeBody(body, 'claude-opus-5-5');
    assert.deepEqual(prepared.adjustments, []);
    assert.deepEqual(prepared.body.thinking, { type: 'enabled', budget_tokens: 2048 });
  });

  it('keeps other context_management edits when it drops thinking', () => {
    const body = createBody({
      thinking: { type: 'adaptive' },
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }, { type: 'clear_tool_uses_20250919' }] },
      messages: [{ role: 'user', content: 'go' }, { role: 'assistant', content: [toolUse] }, { role: 'user', content: [toolResult] }],
    });
    const prepared = prepareClaudeBody(body, 'm');
    assert.deepEqual(prepared.body.context_management, { edits: [{ type: 'clear_tool_uses_20250919' }] });
  });

  it('leaves a request without thinking alone even when the last turn has no thinking block', () => {
    const body = createBody({ messages: [{ role: 'user', content: 'go' }, { role: 'assistant', content: [toolUse] }, { role: 'user', content: [toolResult] }] });
    assert.deepEqual(prepareClaudeBody(body, 'm').adjustments, []);
  });
});
