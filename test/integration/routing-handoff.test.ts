import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { AnthropicMessagesRequest, ContentBlock } from '../../lib/wire/anthropic.js';
import { LOCAL_THINKING_SIGNATURE } from '../../lib/wire/mallex-markers.js';
import type { FakeReply } from '../fakes/fake-model-server.js';
import { createClientHeaders, createPromptRequest, sendToGateway, startRoutingStack, waitFor, type RoutingStack } from './routing-harness.js';

// Issue #15 over real services: conversations that move between the local
// model and Claude, sent to a fake Anthropic that refuses what the real one
// refuses (PROTOCOL.md D2). Every Claude request here must be accepted first time.

let stack: RoutingStack;
let localReply: FakeReply;
before(async () => {
  stack = await startRoutingStack({
    classifyAs: (prompt) => (prompt.includes('lock-free') ? 'hard_question' : 'chit_chat'),
    generate: () => localReply,
  });
});
after(() => stack.close());
beforeEach(() => {
  stack.localState.set({ ready: true, state: 'ready' });
  stack.anthropic.setResponder(() => ({ kind: 'message' }));
  localReply = { steps: [{ reasoning: 'The user wants a capital. Sydney is big.' }, { content: 'The capital of Australia is Sydney.' }], finishReason: 'stop' };
});

/** What Claude Code sends next: the answer it got appended as the assistant turn, then the user's next words. */
function continueWith(request: AnthropicMessagesRequest, answerText: string, next: string | ContentBlock[]): AnthropicMessagesRequest {
  const answer = JSON.parse(answerText) as { content: ContentBlock[] };
  return { ...request, messages: [...request.messages, { role: 'assistant', content: answer.content }, { role: 'user', content: next }] };
}

/** Claude Code's resend after a refused signature: the same request without thinking blocks. */
function withoutThinking(request: AnthropicMessagesRequest): AnthropicMessagesRequest {
  return {
    ...request,
    messages: request.messages.map((message) => (typeof message.content === 'string' ? message : { ...message, content: message.content.filter((block) => block.type !== 'thinking' && block.type !== 'redacted_thinking') })),
  };
}

async function readRecords(session: string, count: number) {
  await waitFor(() => stack.records.filter((record) => record.session === session).length === count, `${count} records of ${session}`);
  return stack.records.filter((record) => record.session === session);
}

const thinkingBlocks = (message: { content: string | ContentBlock[] }) => (typeof message.content === 'string' ? [] : message.content.filter((block) => block.type === 'thinking'));

describe('handoffs that Claude accepts', () => {
  it('local reasoning turn → "that\'s wrong, try again" → tier 2 accepts it on the first request, without the local thinking', async () => {
    const headers = createClientHeaders('handoff-a');
    const first = createPromptRequest('what is the capital of Australia');
    const local = await sendToGateway(stack, first, headers);
    assert.deepEqual([local.status, local.route], [200, 'local'], local.text);
    assert.deepEqual(thinkingBlocks(JSON.parse(local.text)).map((block) => block.signature), [LOCAL_THINKING_SIGNATURE], 'the local reasoning came back as a thinking block');

    const refusalsBefore = stack.anthropic.refusals.length;
    const sentBefore = stack.anthropic.requests.length;
    const retry = continueWith(first, local.text, "that's wrong, try again");
    const escalated = await sendToGateway(stack, retry, headers);
    assert.equal(escalated.status, 200, escalated.text);
    assert.deepEqual([escalated.route, escalated.tier, escalated.reason], ['claude', '2', 'escalation']);
    assert.equal(stack.anthropic.refusals.length, refusalsBefore, 'Anthropic refused nothing');
    assert.equal(stack.anthropic.requests.length, sentBefore + 1, 'one request to Anthropic');
    const upstream = stack.anthropic.requests.at(-1)!.body as AnthropicMessagesRequest;
    assert.deepEqual(upstream.messages.flatMap(thinkingBlocks), [], 'no local thinking reached Anthropic');
    assert.match(JSON.stringify(upstream.messages), /capital of Australia is Sydney/, 'the local answer itself did');
    assert.deepEqual((await readRecords('handoff-a', 2))[1]!.transcriptAdjustments, ['local-thinking-removed']);
  });

  it('climbs once per "try again": the same request resent (with or without thinking) stays on its tier, a new one climbs', async () => {
    const headers = createClientHeaders('handoff-resend');
    const first = createPromptRequest('what is the capital of Australia');
    const local = await sendToGateway(stack, first, headers);
    const retry = continueWith(first, local.text, "that's wrong, try again");
    const tiers: string[] = [];
    for (const request of [retry, withoutThinking(retry), retry]) {
      const answer = await sendToGateway(stack, request, headers);
      assert.equal(answer.status, 200, answer.text);
      tiers.push(`${answer.tier}/${answer.reason}`);
    }
    assert.deepEqual(tiers, ['2/escalation', '2/resend', '2/resend']);
    const models = stack.anthropic.requests.slice(-3).map((request) => request.body.model);
    assert.deepEqual(models, ['claude-sonnet-5-5', 'claude-sonnet-5-5', 'claude-sonnet-5-5']);
    const lastAnswer = JSON.stringify({ content: [{ type: 'text', text: 'answer from claude-sonnet-5-5' }] });
    const again = await sendToGateway(stack, continueWith(retry, lastAnswer, "that's still wrong, try again"), headers);
    assert.deepEqual([again.status, again.tier, again.reason], [200, '3', 'escalation']);
  });

  it("Claude's signed thinking → a local turn → back to Claude: accepted, Claude's block sent back unchanged", async () => {
    const headers = createClientHeaders('handoff-b');
    stack.anthropic.setResponder(() => ({ kind: 'message', content: [{ type: 'thinking', thinking: 'A Chase-Lev deque per worker.' }, { type: 'text', text: 'Use work stealing.' }] }));
    const first = createPromptRequest('design a lock-free scheduler');
    const claude = await sendToGateway(stack, first, headers);
    assert.deepEqual([claude.status, claude.route, claude.tier], [200, 'claude', '3'], claude.text);
    const claudeThinking = thinkingBlocks(JSON.parse(claude.text))[0]!;
    assert.equal(claudeThinking.signature, stack.anthropic.signThinking('A Chase-Lev deque per worker.'));

    const second = continueWith(first, claude.text, 'thanks, how are you?');
    const local = await sendToGateway(stack, second, headers);
    assert.deepEqual([local.status, local.route], [200, 'local'], local.text);

    const refusalsBefore = stack.anthropic.refusals.length;
    const back = await sendToGateway(stack, continueWith(second, local.text, "that's wrong, try again"), headers);
    assert.deepEqual([back.status, back.route, back.tier], [200, 'claude', '2'], back.text);
    assert.equal(stack.anthropic.refusals.length, refusalsBefore, 'Anthropic refused nothing');
    const upstream = stack.anthropic.requests.at(-1)!.body as AnthropicMessagesRequest;
    assert.deepEqual(upstream.messages.flatMap(thinkingBlocks), [claudeThinking], "only Claude's own thinking, as Claude wrote and signed it");
    assert.ok(upstream.thinking, 'thinking stays on');
    assert.deepEqual((await readRecords('handoff-b', 3))[2]!.transcriptAdjustments, ['local-thinking-removed']);
  });

  it('a tool loop whose first step was local and whose next step goes to Claude: accepted, thinking dropped for that request', async () => {
    const headers = createClientHeaders('handoff-c');
    localReply = { steps: [{ reasoning: 'List the files first.' }, { toolCalls: [{ name: 'Bash', arguments: { command: 'ls' } }] }], finishReason: 'tool_calls' };
    const first = createPromptRequest('list the files here');
    const local = await sendToGateway(stack, first, headers);
    assert.deepEqual([local.status, local.route], [200, 'local'], local.text);
    const toolUse = (JSON.parse(local.text) as { content: ContentBlock[] }).content.find((block) => block.type === 'tool_use')!;
    assert.ok(toolUse && toolUse.type === 'tool_use', local.text);

    stack.localState.set({ ready: false, state: 'loading' });
    const refusalsBefore = stack.anthropic.refusals.length;
    const next = continueWith(first, local.text, [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'a.txt\nb.txt' }]);
    const claude = await sendToGateway(stack, next, headers);
    assert.deepEqual([claude.status, claude.route, claude.reason], [200, 'claude', 'local-unavailable'], claude.text);
    assert.equal(stack.anthropic.refusals.length, refusalsBefore, 'Anthropic refused nothing');
    const upstream = stack.anthropic.requests.at(-1)!.body as AnthropicMessagesRequest;
    assert.equal(upstream.thinking, undefined);
    assert.match(JSON.stringify(upstream.messages), new RegExp(`"tool_use_id":"${toolUse.id}"`), 'the local tool_use id pairs with its result');
    assert.deepEqual((await readRecords('handoff-c', 2))[1]!.transcriptAdjustments, ['local-thinking-removed', 'thinking-dropped']);
  });
});

/** Claude Code's WebSearch request: a Haiku model id and Anthropic's web_search server tool. */
function createWebSearchRequest(): AnthropicMessagesRequest {
  return {
    model: 'claude-haiku-4-5-20251001',
    max_tokens: 32_000,
    system: [{ type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude." }],
    messages: [{ role: 'user', content: 'Perform a web search for the query: mlx-lm release notes' }],
    tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 8 } as never],
    stream: false,
  };
}

describe('server tools', () => {
  it('sends a WebSearch request to Claude (reason server-tool), never to the local model', async () => {
    const generationsBefore = stack.generations().length;
    const answer = await sendToGateway(stack, createWebSearchRequest(), createClientHeaders('websearch'));
    assert.deepEqual([answer.status, answer.route, answer.tier, answer.reason], [200, 'claude', '2', 'server-tool'], answer.text);
    assert.deepEqual(stack.anthropic.requests.at(-1)!.body.tools, createWebSearchRequest().tools);
    assert.equal(stack.generations().length, generationsBefore);
  });

  it('without Claude credentials answers a clear, non-retryable error that says web search needs Claude', async () => {
    const sentBefore = stack.anthropic.requests.length;
    const generationsBefore = stack.generations().length;
    const answer = await sendToGateway(stack, createWebSearchRequest(), createClientHeaders('websearch-nocreds', {}));
    assert.equal(answer.status, 400, answer.text);
    assert.equal(answer.reason, 'server-tool');
    const error = JSON.parse(answer.text) as { type: string; error: { type: string; message: string } };
    assert.equal(error.type, 'error');
    assert.equal(error.error.type, 'invalid_request_error');
    assert.match(error.error.message, /^web search needs Claude: .*web_search_20250305.*no Claude credentials/);
    assert.equal(stack.anthropic.requests.length, sentBefore);
    assert.equal(stack.generations().length, generationsBefore, 'no local answer pretending to have searched');
    const [record] = await readRecords('websearch-nocreds', 1);
    assert.deepEqual([record!.status, record!.reason, record!.errorType], [400, 'server-tool', 'invalid_request_error']);
  });
});
