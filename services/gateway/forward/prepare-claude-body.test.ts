import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRecordedRequest } from '../../../test/helpers/claude-code-fixtures.js';
import type { AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';
import { LOCAL_THINKING_SIGNATURE } from '../../../lib/wire/mallex-markers.js';
import { LOCAL_THINKING_SIGNATURE as TRANSLATOR_SIGNATURE } from '../../translator/response/anthropic-stream-events.js';
import { countCacheBreakpoints } from './limit-cache-breakpoints.js';
import { prepareClaudeBody, type ClaudeBodyAdjustment } from './prepare-claude-body.js';

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

// Issue #15: the transcript Anthropic gets has nothing in it Anthropic did
// not issue, and everything it did issue exactly as it was.
const claudeThinking = { type: 'thinking' as const, thinking: 'Claude reasons', signature: 'EqQBCkgIARABGAIiQMc1kZ+Anthropic/signed==' };
const claudeRedacted = { type: 'redacted_thinking' as const, data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP' };
const localThinking = (signature: string | undefined) => (signature === undefined ? { type: 'thinking' as const, thinking: 'local reasons' } : { type: 'thinking' as const, thinking: 'local reasons', signature });
const text = (value: string) => ({ type: 'text' as const, text: value });
const cached = (value: string) => ({ type: 'text' as const, text: value, cache_control: { type: 'ephemeral' as const } });
const localToolUse = (id: string) => ({ type: 'tool_use' as const, id, name: 'Bash', input: {} });
const resultFor = (id: string, content: string) => ({ type: 'tool_result' as const, tool_use_id: id, content });

type Row = [name: string, input: Partial<AnthropicMessagesRequest>, expectedMessages: AnthropicMessagesRequest['messages'] | 'unchanged', adjustments: ClaudeBodyAdjustment[], thinkingKept: boolean];

const thinkingOn = { thinking: { type: 'enabled' as const, budget_tokens: 2048 } };
const rows: Row[] = [
  [
    "the translator's local thinking (mallex's marker) → removed",
    { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: [localThinking(LOCAL_THINKING_SIGNATURE), text('A.')] }, { role: 'user', content: 'that is wrong, try again' }] },
    [{ role: 'user', content: 'q' }, { role: 'assistant', content: [text('A.')] }, { role: 'user', content: 'that is wrong, try again' }],
    ['local-thinking-removed'], false,
  ],
  [
    'local thinking signed empty, not signed, or with another mallex marker → removed',
    { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: [localThinking(''), localThinking(undefined), localThinking('mallex-other'), text('A.')] }, { role: 'user', content: 'more' }] },
    [{ role: 'user', content: 'q' }, { role: 'assistant', content: [text('A.')] }, { role: 'user', content: 'more' }],
    ['local-thinking-removed'], false,
  ],
  [
    'a local turn that was only reasoning → Claude Code\'s own "(no content)" (Anthropic refuses empty turns)',
    { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: [localThinking(LOCAL_THINKING_SIGNATURE)] }, { role: 'user', content: 'more' }] },
    [{ role: 'user', content: 'q' }, { role: 'assistant', content: [text('(no content)')] }, { role: 'user', content: 'more' }],
    ['local-thinking-removed', 'empty-turn-filled'], false,
  ],
  [
    "Claude's signed thinking and redacted thinking, then a local turn → Claude's blocks unchanged, the local one removed",
    {
      ...thinkingOn,
      messages: [
        { role: 'user', content: 'q1' },
        { role: 'assistant', content: [claudeThinking, claudeRedacted, text('Claude.')] },
        { role: 'user', content: 'q2' },
        { role: 'assistant', content: [localThinking(LOCAL_THINKING_SIGNATURE), text('Local.')] },
        { role: 'user', content: 'q3' },
      ],
    },
    [
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: [claudeThinking, claudeRedacted, text('Claude.')] },
      { role: 'user', content: 'q2' },
      { role: 'assistant', content: [text('Local.')] },
      { role: 'user', content: 'q3' },
    ],
    ['local-thinking-removed'], true,
  ],
  [
    'thinking on, a tool loop whose last step was local → thinking dropped (no signed block can start it)',
    { ...thinkingOn, messages: [{ role: 'user', content: 'ls' }, { role: 'assistant', content: [localThinking(LOCAL_THINKING_SIGNATURE), localToolUse('toolu_1')] }, { role: 'user', content: [resultFor('toolu_1', 'a')] }] },
    [{ role: 'user', content: 'ls' }, { role: 'assistant', content: [localToolUse('toolu_1')] }, { role: 'user', content: [resultFor('toolu_1', 'a')] }],
    ['local-thinking-removed', 'thinking-dropped'], false,
  ],
  [
    "thinking on, a tool loop whose last step was Claude's after a local one → thinking kept",
    {
      ...thinkingOn,
      messages: [
        { role: 'user', content: 'ls' },
        { role: 'assistant', content: [localThinking(LOCAL_THINKING_SIGNATURE), localToolUse('toolu_1')] },
        { role: 'user', content: [resultFor('toolu_1', 'a')] },
        { role: 'assistant', content: [claudeThinking, localToolUse('toolu_2')] },
        { role: 'user', content: [resultFor('toolu_2', 'b')] },
      ],
    },
    [
      { role: 'user', content: 'ls' },
      { role: 'assistant', content: [localToolUse('toolu_1')] },
      { role: 'user', content: [resultFor('toolu_1', 'a')] },
      { role: 'assistant', content: [claudeThinking, localToolUse('toolu_2')] },
      { role: 'user', content: [resultFor('toolu_2', 'b')] },
    ],
    ['local-thinking-removed'], true,
  ],
  [
    'thinking off, a local tool loop → nothing to drop',
    { messages: [{ role: 'user', content: 'ls' }, { role: 'assistant', content: [localToolUse('toolu_1')] }, { role: 'user', content: [resultFor('toolu_1', 'a')] }] },
    'unchanged', [], false,
  ],
  [
    'a tool_use id Anthropic would refuse → rewritten, with its tool_result',
    { messages: [{ role: 'user', content: 'ls' }, { role: 'assistant', content: [localToolUse('call:0')] }, { role: 'user', content: [resultFor('call:0', 'a')] }] },
    [{ role: 'user', content: 'ls' }, { role: 'assistant', content: [localToolUse('toolu_34dd6d282002fda1ba60fd28')] }, { role: 'user', content: [resultFor('toolu_34dd6d282002fda1ba60fd28', 'a')] }],
    ['tool-use-ids-rewritten'], false,
  ],
];

describe('prepareClaudeBody: transcript cleaning', () => {
  it('reads the one local thinking marker the translator writes', () => assert.equal(TRANSLATOR_SIGNATURE, LOCAL_THINKING_SIGNATURE));

  for (const [name, input, expectedMessages, adjustments, thinkingKept] of rows) {
    it(name, () => {
      const body = createBody(input);
      const original = structuredClone(body);
      const prepared = prepareClaudeBody(body, 'claude-sonnet-5-5');
      assert.deepEqual(prepared.body.messages, expectedMessages === 'unchanged' ? body.messages : expectedMessages);
      assert.deepEqual(prepared.adjustments, adjustments);
      assert.equal(prepared.body.thinking !== undefined, thinkingKept);
      assert.deepEqual(body, original, "Claude Code's body is not changed");
      // Thinking that stays is the very object Claude Code sent: serialised again, the same bytes.
      for (const message of prepared.body.messages) {
        if (typeof message.content === 'string') continue;
        for (const block of message.content) if (block.type === 'thinking' || block.type === 'redacted_thinking') assert.ok(block === claudeThinking || block === claudeRedacted);
      }
    });
  }

  it('leaves at most 4 cache_control breakpoints, removing the earliest', () => {
    const body = createBody({
      system: [cached('s1'), cached('s2')],
      tools: [{ name: 'Bash', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: [cached('u1')] }, { role: 'assistant', content: [text('a')] }, { role: 'user', content: [cached('u2')] }],
    });
    const prepared = prepareClaudeBody(body, 'm');
    assert.deepEqual(prepared.adjustments, ['cache-control-trimmed']);
    assert.equal(countCacheBreakpoints(prepared.body), 4);
    assert.equal(prepared.body.tools![0]!.cache_control, undefined, 'the tools come first in the cached prefix');
    assert.deepEqual(prepared.body.messages.at(-1)!.content, [cached('u2')], 'the last breakpoint stays');
    assert.equal(countCacheBreakpoints(body), 5, "Claude Code's body is not changed");
  });

  it('leaves 4 breakpoints alone', () => {
    const body = createBody({ system: [cached('s1'), cached('s2')], messages: [{ role: 'user', content: [cached('u1'), cached('u2')] }] });
    const prepared = prepareClaudeBody(body, 'm');
    assert.deepEqual(prepared.adjustments, []);
    assert.equal(prepared.body.system, body.system);
  });
});
