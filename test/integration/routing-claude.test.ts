import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import {
  appendToolResult,
  CLIENT_TOKEN,
  createClientHeaders,
  createPromptRequest,
  sendToGateway,
  startRoutingStack,
  waitFor,
  type RoutingStack,
} from './routing-harness.js';

// The Claude side of routing over real services: gateway → fake Anthropic,
// with the classifier asking the fake model server.

const HARD = 'Design a lock-free work-stealing scheduler for our runtime';

let stack: RoutingStack;
before(async () => {
  stack = await startRoutingStack({ classifyAs: (prompt) => (prompt.includes('lock-free') ? 'hard_question' : 'chit_chat') });
});
after(() => stack.close());
beforeEach(() => {
  stack.localState.set({ ready: true, state: 'ready' });
  stack.anthropic.setResponder(() => ({ kind: 'message' }));
});

describe('routing to Claude', () => {
  it('sends a hard question to the tier-3 model with the client\'s Authorization intact and without x-mallex-token', async () => {
    const before = stack.anthropic.requests.length;
    const answer = await sendToGateway(stack, createPromptRequest(HARD), createClientHeaders('claude-hard'));
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual([answer.route, answer.tier, answer.reason, answer.category], ['claude', '3', 'classified', 'hard_question']);
    assert.equal(JSON.parse(answer.text).content[0].text, 'answer from claude-opus-5-5');
    const forwarded = stack.anthropic.requests.slice(before);
    assert.equal(forwarded.length, 1);
    const upstream = forwarded[0]!;
    assert.equal(upstream.url, '/v1/messages?beta=true');
    assert.equal(upstream.body.model, 'claude-opus-5-5');
    assert.equal(upstream.headers.authorization, 'Bearer sk-ant-oat01-user-login');
    assert.equal(upstream.headers['anthropic-version'], '2023-06-01');
    assert.equal(upstream.headers['anthropic-beta'], 'claude-code-20250219,oauth-2025-04-20,interleaved-thinking-2025-05-14');
    assert.equal(upstream.headers['x-claude-code-session-id'], 'claude-hard');
    assert.equal(upstream.headers['x-mallex-token'], undefined);
    assert.equal(upstream.headers.host, `127.0.0.1:${stack.anthropic.port}`);
    // Everything but the model is what Claude Code sent.
    assert.deepEqual({ ...upstream.body, model: 'x' }, { ...createPromptRequest(HARD), model: 'x' });
  });

  it('keeps the tool-loop continuation of that turn on Claude, without asking the classifier again', async () => {
    const first = createPromptRequest(HARD);
    await sendToGateway(stack, first, createClientHeaders('claude-loop'));
    const classifications = stack.classifierCalls().length;
    const answer = await sendToGateway(stack, appendToolResult(first), createClientHeaders('claude-loop'));
    assert.deepEqual([answer.route, answer.tier, answer.reason, answer.category], ['claude', '3', 'tool-loop', 'hard_question']);
    assert.equal(stack.classifierCalls().length, classifications, 'no classifier call for a continuation');
    await waitFor(() => stack.records.filter((record) => record.session === 'claude-loop').length === 2, 'both records');
    const [start, loop] = stack.records.filter((record) => record.session === 'claude-loop');
    assert.ok(start!.classifierMs !== null, 'the turn was classified');
    assert.equal(loop!.classifierMs, null, 'the continuation was not');
    const upstream = stack.anthropic.requests.at(-1)!;
    assert.equal(upstream.body.model, 'claude-opus-5-5');
    // The recorded loop's last assistant turn has no thinking block: thinking is dropped rather than rejected.
    assert.equal(upstream.body.thinking, undefined);
  });

  it('passes a stream through untouched, so the official SDK reads it back whole', async () => {
    stack.anthropic.setResponder(() => ({ kind: 'message', content: [{ type: 'thinking', thinking: 'hmm' }, { type: 'text', text: 'Use a Chase-Lev deque.' }], usage: { input_tokens: 40, output_tokens: 9 } }));
    const client = new Anthropic({ baseURL: stack.gatewayUrl, authToken: 'sk-ant-oat01-user-login', apiKey: null, defaultHeaders: { 'x-mallex-token': CLIENT_TOKEN, 'x-claude-code-session-id': 'claude-sdk' }, maxRetries: 0 });
    const { data: stream, response } = await client.messages.stream(createPromptRequest(HARD, { stream: true }) as unknown as Anthropic.MessageStreamParams).withResponse();
    const message = await stream.finalMessage();
    assert.equal(response.headers.get('x-mallex-route'), 'claude');
    assert.deepEqual(message.content.map((block) => block.type), ['thinking', 'text']);
    assert.equal(message.model, 'claude-opus-5-5');
    await waitFor(() => stack.records.some((record) => record.session === 'claude-sdk'), 'the request record');
    const record = stack.records.find((entry) => entry.session === 'claude-sdk')!;
    assert.deepEqual([record.route, record.tier, record.model, record.inputTokens, record.outputTokens, record.status], ['claude', 3, 'claude-opus-5-5', 40, 9, 200]);
    assert.ok(record.ttftMs !== null && record.classifierMs !== null);
  });

  it('retries once after a 529 and then answers locally (cloud-fallback)', async () => {
    stack.anthropic.setResponder(() => ({ kind: 'error', status: 529 }));
    const before = stack.anthropic.requests.length;
    const answer = await sendToGateway(stack, createPromptRequest(HARD), createClientHeaders('claude-529'));
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual([answer.route, answer.reason, answer.category], ['local', 'cloud-fallback', 'hard_question']);
    assert.equal(JSON.parse(answer.text).content[0].text, 'local answer');
    assert.equal(stack.anthropic.requests.length - before, 2, 'one try and one retry');
  });

  it('retries once after a dropped connection and uses the retry\'s answer', async () => {
    stack.anthropic.enqueue({ kind: 'drop' });
    const before = stack.anthropic.requests.length;
    const answer = await sendToGateway(stack, createPromptRequest(HARD), createClientHeaders('claude-drop'));
    assert.deepEqual([answer.status, answer.route, answer.reason], [200, 'claude', 'classified']);
    assert.equal(stack.anthropic.requests.length - before, 2);
  });

  it('passes Anthropic\'s own error on when it fails twice and the local model is not ready', async () => {
    stack.localState.set({ ready: false, state: 'loading' });
    stack.anthropic.setResponder(() => ({ kind: 'error', status: 529, message: 'Overloaded' }));
    const answer = await sendToGateway(stack, createPromptRequest(HARD), createClientHeaders('claude-529-nowhere'));
    assert.equal(answer.status, 529);
    assert.equal(JSON.parse(answer.text).error.type, 'overloaded_error');
    assert.deepEqual([answer.route, answer.tier, answer.reason], ['claude', '2', 'cloud-fallback']);
  });

  it('passes a 400 from Anthropic on as it is, without a retry', async () => {
    stack.anthropic.setResponder(() => ({ kind: 'error', status: 400, message: 'messages: bad' }));
    const before = stack.anthropic.requests.length;
    const answer = await sendToGateway(stack, createPromptRequest(HARD), createClientHeaders('claude-400'));
    assert.equal(answer.status, 400);
    assert.deepEqual(JSON.parse(answer.text).error, { type: 'invalid_request_error', message: 'messages: bad' });
    assert.equal(stack.anthropic.requests.length - before, 1);
  });

  it('ends a stream that breaks mid-way with an SSE error event', async () => {
    stack.anthropic.setResponder(() => ({ kind: 'break-mid-stream' }));
    const answer = await sendToGateway(stack, createPromptRequest(HARD, { stream: true }), createClientHeaders('claude-break'));
    assert.equal(answer.status, 200);
    assert.match(answer.text, /^event: message_start/);
    assert.match(answer.text, /event: error\ndata: \{"type":"error","error":\{"type":"api_error"/);
  });

  it('stops the upstream request when Claude Code disconnects', async () => {
    stack.anthropic.setResponder(() => ({ kind: 'hang' }));
    const client = new AbortController();
    const pending = sendToGateway(stack, createPromptRequest(HARD, { stream: true }), createClientHeaders('claude-abort'), { signal: client.signal });
    await waitFor(() => stack.anthropic.requests.at(-1)?.headers['x-claude-code-session-id'] === 'claude-abort', 'the upstream request');
    client.abort();
    await assert.rejects(pending);
    await Promise.race([stack.anthropic.requests.at(-1)!.closed, new Promise((_, reject) => setTimeout(() => reject(new Error('upstream still open')), 3000))]);
  });

  it('routes to the first Claude tier without classifying when the local model is not ready', async () => {
    stack.localState.set({ ready: false, state: 'loading' });
    const classifications = stack.classifierCalls().length;
    const answer = await sendToGateway(stack, createPromptRequest('hello there, how are you?'), createClientHeaders('claude-not-ready'));
    assert.deepEqual([answer.route, answer.tier, answer.reason], ['claude', '2', 'local-unavailable']);
    assert.equal(stack.anthropic.requests.at(-1)!.body.model, 'claude-sonnet-5-5');
    assert.equal(stack.classifierCalls().length, classifications);
  });
});

describe('routing to Claude with authMethod apikey', () => {
  let keyed: RoutingStack;
  before(async () => {
    keyed = await startRoutingStack({ classifyAs: () => 'hard_question', routing: { authMethod: 'apikey', claudeApiKey: 'sk-ant-api03-configured' } });
  });
  after(() => keyed.close());

  it('replaces the client\'s credentials with the configured key and drops the OAuth beta flag', async () => {
    const answer = await sendToGateway(keyed, createPromptRequest(HARD), createClientHeaders('apikey-1'));
    assert.equal(answer.route, 'claude');
    const upstream = keyed.anthropic.requests.at(-1)!;
    assert.equal(upstream.headers['x-api-key'], 'sk-ant-api03-configured');
    assert.equal(upstream.headers.authorization, undefined);
    assert.equal(upstream.headers['anthropic-beta'], 'claude-code-20250219,interleaved-thinking-2025-05-14');
  });

  it('uses Claude even when the client sent no credentials of its own', async () => {
    const headers = createClientHeaders('apikey-2', {});
    delete headers.authorization;
    const answer = await sendToGateway(keyed, createPromptRequest(HARD), headers);
    assert.equal(answer.route, 'claude');
    assert.equal(keyed.anthropic.requests.at(-1)!.headers['x-api-key'], 'sk-ant-api03-configured');
  });
});
