import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { LOCAL_THINKING_SIGNATURE } from '../../services/translator/response/anthropic-stream-events.js';
import { INTERNAL_TOKEN, startTranslatorHarness, userTurn, type TranslatorHarness } from './translator-harness.js';

// The official SDK as the client, the real translator on a loopback port, the
// fake mlx-lm.server behind it: what the SDK assembles must be exactly what
// the fake said, whether streamed (finalMessage) or not (create).

const usage = { prompt_tokens: 100, completion_tokens: 9, cached_tokens: 60 };
const expectedUsage = { input_tokens: 40, output_tokens: 9, cache_read_input_tokens: 60, cache_creation_input_tokens: 0 };

/** The parts of a message the fake decides; ids are checked separately. */
function pickMessage(message: Anthropic.Message) {
  return {
    role: message.role,
    model: message.model,
    content: message.content.map((block) => (block.type === 'tool_use' ? { ...block, id: 'toolu' } : block)),
    stop_reason: message.stop_reason,
    usage: {
      input_tokens: message.usage.input_tokens,
      output_tokens: message.usage.output_tokens,
      cache_read_input_tokens: message.usage.cache_read_input_tokens,
      cache_creation_input_tokens: message.usage.cache_creation_input_tokens,
    },
  };
}

async function requestBothWays(harness: TranslatorHarness, request: Anthropic.MessageCreateParamsNonStreaming = userTurn): Promise<[Anthropic.Message, Anthropic.Message]> {
  const streamed = await harness.client.messages.stream(request).finalMessage();
  const whole = await harness.client.messages.create(request);
  return [streamed, whole];
}

// Tool calls are matched against the tools the request offered, as Claude Code's requests always do.
const withTools: Anthropic.MessageCreateParamsNonStreaming = {
  ...userTurn,
  tools: [
    { name: 'Read', description: 'Reads a file.', input_schema: { type: 'object', properties: { file_path: { type: 'string' } } } },
    { name: 'Bash', description: 'Runs a command.', input_schema: { type: 'object', properties: { command: { type: 'string' }, timeout: { type: 'number' } }, required: ['command'] } },
  ],
};

describe('translator with the official Anthropic SDK', () => {
  let harness: TranslatorHarness;
  before(async () => {
    harness = await startTranslatorHarness();
  });
  after(() => harness.close());

  it('text, chunk by chunk', async () => {
    harness.fake.setScript({ steps: [{ content: 'Hel' }, { content: 'lo, ' }, { content: 'wörld 🦙' }], finishReason: 'stop', usage });
    for (const message of await requestBothWays(harness)) {
      assert.match(message.id, /^msg_/);
      assert.deepEqual(pickMessage(message), {
        role: 'assistant',
        model: 'claude-opus-5-5',
        content: [{ type: 'text', text: 'Hello, wörld 🦙' }],
        stop_reason: 'end_turn',
        usage: expectedUsage,
      });
    }
  });

  it('thinking, then text, with a signature', async () => {
    harness.fake.setScript({ steps: [{ reasoning: 'Let me ' }, { reasoning: 'think.' }, { content: 'Done.' }], finishReason: 'stop', usage });
    for (const message of await requestBothWays(harness)) {
      assert.deepEqual(pickMessage(message).content, [
        { type: 'thinking', thinking: 'Let me think.', signature: LOCAL_THINKING_SIGNATURE },
        { type: 'text', text: 'Done.' },
      ]);
    }
  });

  it('native tool calls become tool_use blocks with their input', async () => {
    harness.fake.setScript({
      steps: [
        { content: 'Reading both.' },
        { toolCalls: [{ name: 'Read', arguments: { file_path: '/a' } }, { name: 'Bash', arguments: { command: 'echo "hi"', timeout: 5 } }] },
      ],
      finishReason: 'tool_calls',
      usage,
    });
    for (const message of await requestBothWays(harness, withTools)) {
      assert.deepEqual(pickMessage(message).content, [
        { type: 'text', text: 'Reading both.' },
        { type: 'tool_use', id: 'toolu', name: 'Read', input: { file_path: '/a' } },
        { type: 'tool_use', id: 'toolu', name: 'Bash', input: { command: 'echo "hi"', timeout: 5 } },
      ]);
      assert.equal(message.stop_reason, 'tool_use');
      const ids = message.content.flatMap((block) => (block.type === 'tool_use' ? [block.id] : []));
      assert.ok(ids.every((id) => /^toolu_/.test(id)));
      assert.equal(new Set(ids).size, 2);
    }
  });

  it('the legacy tool_call finish reason is a tool stop too', async () => {
    harness.fake.setScript({ steps: [{ toolCalls: [{ name: 'Read', arguments: {} }] }], finishReason: 'tool_call', usage });
    for (const message of await requestBothWays(harness, withTools)) assert.equal(message.stop_reason, 'tool_use');
  });

  it('length becomes max_tokens', async () => {
    harness.fake.setScript({ steps: [{ content: 'cut sh' }], finishReason: 'length', usage });
    for (const message of await requestBothWays(harness)) {
      assert.equal(message.stop_reason, 'max_tokens');
      assert.deepEqual(message.content, [{ type: 'text', text: 'cut sh' }]);
    }
  });

  // Issue 15: 529 only for "busy or unavailable". A failure the same request meets again is a 4xx naming the cause,
  // and the SDK, here allowed its default two retries, sends the request once.
  const deterministicFailures: Array<[string, string, number, string, RegExp]> = [
    ['a chat-template error', "TemplateError: Conversation roles must alternate user/assistant/user/assistant/...", 400, 'invalid_request_error', /chat template failed on this request: TemplateError: Conversation roles must alternate/],
    ['an unknown model', 'Failed to load model qwen-9: repository not found', 404, 'not_found_error', /does not have the model it was asked for: Failed to load model qwen-9/],
    ['a prompt over the context', 'Prompt is too long: 40000 tokens exceed the maximum context length of 32768', 400, 'invalid_request_error', /too long for the local model's context/],
  ];
  for (const [name, errorMessage, status, type, message] of deterministicFailures) {
    it(`${name} before the first byte is a ${status} ${type} that names it, and is not retried`, async () => {
      harness.fake.setScript({ failure: 'error-before-first-byte', errorMessage });
      const retrying = new Anthropic({ baseURL: harness.url, apiKey: 'sk-ant-dummy', defaultHeaders: { 'x-mallex-internal-token': INTERNAL_TOKEN }, maxRetries: 2 });
      for (const call of [() => retrying.messages.stream(userTurn).finalMessage(), () => retrying.messages.create(userTurn)]) {
        const before = harness.fake.requests.length;
        const error = await call().then(() => null, (caught: unknown) => caught);
        assert.ok(error instanceof Anthropic.APIError, String(error));
        assert.equal(error.status, status);
        assert.equal(error.type, type);
        assert.match(error.message, message);
        assert.notEqual(error.headers?.get('x-should-retry'), 'true');
        assert.equal(harness.fake.requests.length - before, 1, 'sent once: no retry');
      }
    });
  }

  it('a model server that refuses connections is a 529 too', async () => {
    const closed = await startTranslatorHarness({ upstreamUrl: () => 'http://127.0.0.1:1/v1/chat/completions' });
    try {
      const error = await closed.client.messages.create(userTurn).then(() => null, (caught: unknown) => caught);
      assert.ok(error instanceof Anthropic.APIError);
      assert.equal(error.status, 529);
      assert.match(error.message, /not reachable/);
    } finally {
      await closed.close();
    }
  });

  it('a failure after the first byte is an error event the SDK throws as an APIError', async () => {
    harness.fake.setScript({ steps: [{ content: 'partial' }], failure: 'die-mid-stream' });
    const texts: string[] = [];
    const stream = harness.client.messages.stream(userTurn).on('text', (text) => texts.push(text));
    const error = await stream.finalMessage().then(() => null, (caught: unknown) => caught);
    assert.ok(error instanceof Anthropic.APIError, String(error));
    assert.equal(error.status, undefined);
    assert.equal(error.type, 'api_error');
    assert.deepEqual(texts, ['partial']);
  });

  it('a stream that ends without a finish reason is an error, not a quiet end', async () => {
    harness.fake.setScript({ steps: [{ content: 'x' }], finishReason: null });
    const error = await harness.client.messages.stream(userTurn).finalMessage().then(() => null, (caught: unknown) => caught);
    assert.ok(error instanceof Anthropic.APIError);
    assert.match(error.message, /without a finish reason/);
    const whole = await harness.client.messages.create(userTurn).then(() => null, (caught: unknown) => caught);
    assert.ok(whole instanceof Anthropic.APIError);
    assert.equal(whole.status, 500);
  });
});

// OpenAI-compatible servers other than mlx-lm.server (llama.cpp's, vLLM) report a generation that fails after
// the stream began with an `{"error": …}` chunk. A stand-in that answers exactly so, as llama.cpp's server does.
describe('translator with a server that reports an error inside the stream', () => {
  let upstream: http.Server;
  let harness: TranslatorHarness;
  before(async () => {
    upstream = http.createServer((req, res) => {
      req.resume();
      req.once('end', () => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: 'partial' }, finish_reason: null }] })}\n\n`);
        res.end(`data: ${JSON.stringify({ error: { code: 500, message: 'llama_decode failed: KV cache is full', type: 'server_error' } })}\n\n`);
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    harness = await startTranslatorHarness({ upstreamUrl: () => `http://127.0.0.1:${port}/v1/chat/completions` });
  });
  after(async () => {
    await harness.close();
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('becomes an SSE error event that names the cause, never a quiet end', async () => {
    const texts: string[] = [];
    const stream = harness.client.messages.stream(userTurn).on('text', (text) => texts.push(text));
    const error = await stream.finalMessage().then(() => null, (caught: unknown) => caught);
    assert.ok(error instanceof Anthropic.APIError, String(error));
    assert.equal(error.type, 'api_error');
    assert.match(error.message, /reported an error during generation: llama_decode failed: KV cache is full/);
    assert.deepEqual(texts, ['partial']);
    const whole = await harness.client.messages.create(userTurn).then(() => null, (caught: unknown) => caught);
    assert.ok(whole instanceof Anthropic.APIError);
    assert.equal(whole.status, 500);
    assert.match(whole.message, /KV cache is full/);
  });
});
