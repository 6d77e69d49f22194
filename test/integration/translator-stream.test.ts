import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeSseStream, type SseMessage } from '../../lib/sse/decode-sse-events.js';
import { resolveUpstream } from '../../services/translator/upstream/upstream-url.js';
import { INTERNAL_TOKEN, loadTestConfig, startTranslatorHarness, userTurn, type TranslatorHarness } from './translator-harness.js';

// The stream's timing and failure behaviour over real loopback HTTP, read as
// raw SSE (the SDK hides pings and ordering).

function postMessages(harness: TranslatorHarness, body: unknown, { signal, path = '/v1/messages?beta=true' }: { signal?: AbortSignal; path?: string } = {}) {
  return fetch(`${harness.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-mallex-internal-token': INTERNAL_TOKEN },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
}

async function readEvents(response: Response): Promise<SseMessage[]> {
  const events: SseMessage[] = [];
  for await (const event of decodeSseStream(response.body!)) events.push(event);
  return events;
}

const streamTurn = { ...userTurn, stream: true };

describe('translator stream behaviour', () => {
  let harness: TranslatorHarness;
  before(async () => {
    harness = await startTranslatorHarness({ config: loadTestConfig({ pingIntervalSeconds: 0.1, stallTimeoutSeconds: 0.8 }) });
  });
  after(() => harness.close());

  it('sends message_start and a ping before the model server writes its first byte', async () => {
    harness.fake.setScript({ prefillMs: 400, steps: [{ content: 'late' }], finishReason: 'stop' });
    const response = await postMessages(harness, streamTurn);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const iterator = decodeSseStream(response.body!)[Symbol.asyncIterator]();
    const first = (await iterator.next()).value as SseMessage;
    const record = harness.fake.requests.at(-1)!;
    assert.equal(first.event, 'message_start');
    assert.equal(record.firstBodyByteAt, undefined, 'the fake had not written a body byte yet');
    assert.equal(((await iterator.next()).value as SseMessage).event, 'ping');
    const rest: SseMessage[] = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest.push(next.value);
    assert.ok(rest.filter((event) => event.event === 'ping').length >= 2, 'pings while the model was silent');
    assert.deepEqual(rest.filter((event) => event.event !== 'ping').map((event) => event.event), [
      'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop',
    ]);
  });

  it('sends one ping per upstream keepalive, and every event has an event: and a data: line', async () => {
    const slow = await startTranslatorHarness({ config: loadTestConfig({ pingIntervalSeconds: 60 }) });
    try {
      slow.fake.setScript({ prefillMs: 30, keepalives: 3, steps: [{ content: 'a' }], finishReason: 'stop' });
      const events = await readEvents(await postMessages(slow, streamTurn));
      assert.equal(events.filter((event) => event.event === 'ping').length, 4, 'the first ping, then one per keepalive');
      for (const event of events) assert.equal(JSON.parse(event.data).type, event.event);
    } finally {
      await slow.close();
    }
  });

  it('forwards text deltas as they arrive, before the model has finished', async () => {
    harness.fake.setScript({ steps: [{ content: 'first' }, { content: 'second' }], chunkDelayMs: 300, finishReason: 'stop' });
    const response = await postMessages(harness, streamTurn);
    for await (const event of decodeSseStream(response.body!)) {
      if (event.event !== 'content_block_delta') continue;
      assert.equal(JSON.parse(event.data).delta.text, 'first');
      const record = harness.fake.requests.at(-1)!;
      assert.ok(!record.rawBody.includes('second'));
      // The fake has not yet sent its second chunk: the translator did not wait for it.
      assert.equal(await Promise.race([record.closed.then(() => 'closed'), Promise.resolve('open')]), 'open');
      break;
    }
    await response.body?.cancel();
  });

  it('aborts the upstream request at once when the client disconnects', async () => {
    harness.fake.setScript({ steps: [{ content: 'forever' }], failure: 'never-finish' });
    const controller = new AbortController();
    const response = await postMessages(harness, streamTurn, { signal: controller.signal });
    for await (const event of decodeSseStream(response.body!)) {
      if (event.event === 'content_block_delta') break;
    }
    const record = harness.fake.requests.at(-1)!;
    controller.abort();
    await record.closed;
    assert.equal(record.clientClosedEarly, true);
  });

  it('ends a stalled stream with a timeout error event and closes the upstream', async () => {
    harness.fake.setScript({ steps: [{ content: 'stuck' }], failure: 'never-finish' });
    const events = await readEvents(await postMessages(harness, streamTurn));
    const last = events.at(-1)!;
    assert.equal(last.event, 'error');
    assert.equal(JSON.parse(last.data).error.type, 'timeout_error');
    const record = harness.fake.requests.at(-1)!;
    await record.closed;
    assert.equal(record.clientClosedEarly, true);
  });

  it('a stalled JSON request is a 504 timeout_error', async () => {
    harness.fake.setScript({ steps: [{ content: 'stuck' }], failure: 'never-finish' });
    const response = await postMessages(harness, userTurn);
    assert.equal(response.status, 504);
    assert.equal(((await response.json()) as any).error.type, 'timeout_error');
  });

  it('sends the upstream a streamed body with Content-Length, no model for mlx, max_tokens capped', async () => {
    harness.fake.setScript({ steps: [{ content: 'ok' }], finishReason: 'stop' });
    await (await postMessages(harness, { ...userTurn, max_tokens: 1_000_000, temperature: 0.2, stop_sequences: ['END'] })).json();
    const record = harness.fake.requests.at(-1)!;
    assert.equal(record.url, '/v1/chat/completions');
    assert.equal(Number(record.headers['content-length']), Buffer.byteLength(record.rawBody));
    assert.equal(record.body.model, undefined);
    assert.equal(record.body.stream, true);
    assert.deepEqual(record.body.stream_options, { include_usage: true });
    assert.equal(record.body.max_tokens, harness.config.translator.maxOutputTokens);
    assert.equal(record.body.temperature, 0.2);
    assert.deepEqual(record.body.stop, ['END']);
  });

  it('sends the configured model to an openai backend at <backend.url>/chat/completions', async () => {
    const config = loadTestConfig();
    const openaiConfig = { ...config, model: 'mlx-community/fake-model', backend: { ...config.backend, kind: 'openai' as const } };
    const openai = await startTranslatorHarness({
      config: openaiConfig,
      // The URL the translator derives from backend.url, with the fake's port.
      upstreamUrl: (fake) => resolveUpstream({ ...openaiConfig, backend: { ...openaiConfig.backend, url: `${fake.url}/v1/` } }).url,
    });
    try {
      openai.fake.setScript({ steps: [{ content: 'ok' }], finishReason: 'stop' });
      assert.equal((await postMessages(openai, userTurn)).status, 200);
      assert.equal(openai.fake.requests.at(-1)!.url, '/v1/chat/completions');
      assert.equal(openai.fake.requests.at(-1)!.body.model, 'mlx-community/fake-model');
    } finally {
      await openai.close();
    }
  });

  it('sets the size of what the model was sent on JSON and SSE answers (the size before is the gateway\'s to measure)', async () => {
    harness.fake.setScript({ steps: [{ content: 'ok' }], finishReason: 'stop' });
    for (const body of [userTurn, streamTurn]) {
      const response = await postMessages(harness, body);
      for (const name of ['tokens-after', 'chars-after']) {
        assert.match(response.headers.get(`x-mallex-prompt-${name}`) ?? '', /^[1-9]\d*$/, name);
      }
      assert.equal(response.headers.get('x-mallex-prompt-tokens-before'), null);
      await response.text();
    }
  });

  it('answers a malformed body with a 400 that says what is wrong, and lets unknown fields through', async () => {
    const response = await postMessages(harness, { model: 'x', messages: [{ role: 'user', content: 5 }] });
    assert.equal(response.status, 400);
    const body = (await response.json()) as any;
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, /max_tokens/);
    assert.match(body.error.message, /messages\.0\.content/);
    harness.fake.setScript({ steps: [{ content: 'ok' }], finishReason: 'stop' });
    const future = await postMessages(harness, { ...userTurn, brand_new_field: { x: 1 }, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', new_flag: true }] }] });
    assert.equal(future.status, 200);
  });

  it('counts tokens locally and lists the local model', async () => {
    const before = harness.fake.requests.length;
    const counted = await postMessages(harness, { model: 'x', messages: [{ role: 'user', content: 'a'.repeat(700) }] }, { path: '/v1/messages/count_tokens?beta=true' });
    assert.equal(counted.status, 200);
    const { input_tokens } = (await counted.json()) as { input_tokens: number };
    assert.ok(input_tokens >= 200 && input_tokens < 260, String(input_tokens));
    assert.equal(harness.fake.requests.length, before, 'count_tokens never reaches the model');
    const models = (await (await fetch(`${harness.url}/v1/models?beta=true`, { headers: { 'x-mallex-internal-token': INTERNAL_TOKEN } })).json()) as any;
    assert.equal(models.data[0].id, harness.config.model);
    assert.equal(models.data[0].type, 'model');
    assert.equal(models.has_more, false);
  });
});

describe('translator seams', () => {
  it('answers an over-limit prompt with 400 prompt is too long and x-mallex-too-long, without calling the model', async () => {
    const harness = await startTranslatorHarness({
      deps: {
        preparePrompt: (request) => ({
          system: '',
          messages: request.messages,
          toolMode: 'native',
          report: { charsAfter: 800, tokensAfter: 250, dropped: [], overContextLimit: true, contextLimit: 200 } as never,
        }),
      },
    });
    try {
      const response = await postMessages(harness, streamTurn);
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('x-mallex-too-long'), '1');
      assert.equal(response.headers.get('x-mallex-prompt-tokens-after'), '250');
      assert.equal(((await response.json()) as any).error.message, 'prompt is too long: 250 tokens > 200 maximum');
      assert.equal(harness.fake.requests.length, 0);
    } finally {
      await harness.close();
    }
  });

  // llama.cpp's answer to a prompt over its --ctx-size (mlx-lm.server has no such check, PROTOCOL.md A6).
  for (const stream of [true, false]) {
    it(`answers the model server's "does not fit its context" as its own too-long answer (${stream ? 'streaming' : 'non-streaming'}): 400 and x-mallex-too-long`, async () => {
      const harness = await startTranslatorHarness();
      try {
        harness.fake.setScript({ contextTokens: 2, steps: [{ content: 'never' }], finishReason: 'stop' });
        const response = await postMessages(harness, { ...userTurn, stream, messages: [{ role: 'user', content: 'a prompt longer than two tokens' }] });
        assert.equal(response.status, 400);
        assert.equal(response.headers.get('x-mallex-too-long'), '1');
        const body = (await response.json()) as any;
        assert.equal(body.error.type, 'invalid_request_error');
        assert.match(body.error.message, /^prompt is too long for the local model's context: request \(\d+ tokens\) exceeds the available context size \(2 tokens\)/);
        assert.equal(harness.fake.requests.length, 1);
      } finally {
        await harness.close();
      }
    });
  }

  it('a model server refusal for another cause is a plain 4xx, without x-mallex-too-long (the gateway passes it on)', async () => {
    const harness = await startTranslatorHarness();
    try {
      harness.fake.setScript({ failure: 'error-before-first-byte', errorMessage: 'TemplateError: Conversation roles must alternate user/assistant' });
      const response = await postMessages(harness, streamTurn);
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('x-mallex-too-long'), null);
      assert.match(((await response.json()) as any).error.message, /chat template failed/);
    } finally {
      await harness.close();
    }
  });

  it('turns extracted tool calls into tool_use blocks with injected ids', async () => {
    let toolIds = 0;
    const harness = await startTranslatorHarness({
      deps: {
        ids: { createMessageId: () => 'msg_fixed', createToolUseId: () => `toolu_${++toolIds}` },
        createExtractor: () => ({
          push: (text) => (text === 'CALL' ? [{ type: 'tool_call', name: 'Read', input: { file_path: '/x' } }] : [{ type: 'text', text }]),
          flush: () => [],
        }),
      },
    });
    try {
      harness.fake.setScript({ steps: [{ content: 'Let me look.' }, { content: 'CALL' }], finishReason: 'stop' });
      const message = await harness.client.messages.create(userTurn);
      assert.equal(message.id, 'msg_fixed');
      assert.deepEqual(message.content, [
        { type: 'text', text: 'Let me look.' },
        { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '/x' } },
      ]);
      assert.equal(message.stop_reason, 'tool_use');
    } finally {
      await harness.close();
    }
  });
});
