import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { decodeSseStream, type SseMessage } from '../../lib/sse/decode-sse-events.js';
import { startFakeModelServer, type FakeModelServer } from './fake-model-server.js';

// The fake is a test double other tests rely on, so its wire format is tested
// against PROTOCOL.md A2–A7 here, over real loopback HTTP.

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  messages: SseMessage[];
  text: string;
}

function post(url: string, body: unknown, { withLength = true, path = '/v1/chat/completions' } = {}): Promise<RawAnswer> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}${path}`, {
      method: 'POST',
      headers: withLength ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : { 'content-type': 'application/json' },
    });
    request.on('error', reject);
    request.on('response', async (response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of response) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      const messages: SseMessage[] = [];
      for await (const message of decodeSseStream([Buffer.from(text)], { includeComments: true })) messages.push(message);
      resolve({ status: response.statusCode ?? 0, headers: response.headers, messages, text });
    });
    // write() then end() makes Node send a chunked body when no length is set.
    request.write(payload);
    request.end();
  });
}

const chatBody = { messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } };

describe('fake model server', () => {
  let fake: FakeModelServer;
  before(async () => {
    fake = await startFakeModelServer();
  });
  after(() => fake.close());

  it('streams keepalives, role-repeating deltas in order, a finish chunk, a separate usage chunk and [DONE]', async () => {
    fake.setScript({
      prefillMs: 20,
      keepalives: 2,
      steps: [{ reasoning: 'Let me' }, { content: 'Sure' }, { toolCalls: [{ name: 'Read', arguments: { file_path: '/a' } }, { name: 'Bash', arguments: '{}' }] }],
      finishReason: 'tool_calls',
      usage: { prompt_tokens: 100, completion_tokens: 7, cached_tokens: 64 },
    });
    const answer = await post(fake.url, chatBody);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-type'], 'text/event-stream');
    assert.equal(answer.headers['connection'], 'close');
    assert.equal(answer.headers['content-length'], undefined);
    assert.equal(answer.headers['transfer-encoding'], undefined);
    const [first, second, ...data] = answer.messages;
    assert.match(first!.comment!, /^keepalive \d+\/100$/);
    assert.match(second!.comment!, /^keepalive \d+\/100$/);
    assert.equal(data.at(-1)!.data, '[DONE]');
    const chunks = data.slice(0, -1).map((message) => JSON.parse(message.data));
    for (const chunk of chunks.slice(0, 4)) {
      assert.equal(chunk.object, 'chat.completion.chunk');
      assert.equal(chunk.choices[0].delta.role, 'assistant');
    }
    assert.equal(chunks[0].choices[0].delta.reasoning, 'Let me');
    assert.equal(chunks[1].choices[0].delta.content, 'Sure');
    const calls = chunks[2].choices[0].delta.tool_calls;
    assert.deepEqual(calls.map((call: any) => [call.index, call.type, call.function.name, call.function.arguments]), [
      [0, 'function', 'Read', '{"file_path":"/a"}'],
      [1, 'function', 'Bash', '{}'],
    ]);
    assert.equal(chunks[3].choices[0].finish_reason, 'tool_calls');
    assert.deepEqual(chunks[4].choices, []);
    assert.equal(chunks[4].object, 'chat.completion');
    assert.deepEqual(chunks[4].usage, { prompt_tokens: 100, completion_tokens: 7, total_tokens: 107, prompt_tokens_details: { cached_tokens: 64 } });
    assert.equal(chunks.length, 5);
  });

  it('leaves the usage chunk out unless include_usage is true, and sends the legacy tool_call finish reason', async () => {
    fake.setScript({ steps: [{ content: 'x' }], finishReason: 'tool_call' });
    const answer = await post(fake.url, { messages: [], stream: true });
    const chunks = answer.messages.slice(0, -1).map((message) => JSON.parse(message.data));
    assert.equal(chunks.length, 2);
    assert.equal(chunks[1].choices[0].finish_reason, 'tool_call');
  });

  it('records every request with its parsed body and headers', async () => {
    const before = fake.requests.length;
    await post(fake.url, { ...chatBody, max_tokens: 5 });
    const record = fake.requests[before]!;
    assert.equal(record.method, 'POST');
    assert.equal(record.url, '/v1/chat/completions');
    assert.equal(record.body.max_tokens, 5);
    assert.equal(record.headers['content-type'], 'application/json');
    await record.closed;
    assert.equal(record.clientClosedEarly, false);
  });

  it('answers 411 without Content-Length, 404 Not Found for unknown paths and query strings', async () => {
    const noLength = await post(fake.url, chatBody, { withLength: false });
    assert.equal(noLength.status, 411);
    assert.deepEqual(JSON.parse(noLength.text), { error: 'Content-Length header is required' });
    for (const path of ['/v1/chat/completions?beta=true', '/v1/messages', '/nope']) {
      const answer = await post(fake.url, chatBody, { path });
      assert.equal(answer.status, 404, path);
      assert.equal(answer.text, 'Not Found');
    }
  });

  it('answers GET /health and GET /v1/models', async () => {
    const health = await fetch(`${fake.url}/health`);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const models = (await (await fetch(`${fake.url}/v1/models`)).json()) as any;
    assert.equal(models.object, 'list');
    assert.equal(models.data[0].id, 'mlx-community/fake-model');
  });

  it('rejects what mlx-lm.server rejects: other model names, non-text parts, non-string tool arguments', async () => {
    fake.setScript({ steps: [{ content: 'x' }] });
    const otherModel = await post(fake.url, { ...chatBody, model: 'claude-opus-5-5' });
    assert.equal(otherModel.status, 404);
    const image = await post(fake.url, { ...chatBody, messages: [{ role: 'user', content: [{ type: 'image_url' }] }] });
    assert.equal(JSON.parse(image.text).error, "Only 'text' content type is supported.");
    await assert.rejects(post(fake.url, { stream: true }), /socket hang up|ECONNRESET/);
  });

  it('fails before the first byte with a 404 JSON error', async () => {
    fake.setScript({ failure: 'error-before-first-byte', errorMessage: 'boom' });
    const answer = await post(fake.url, chatBody);
    assert.equal(answer.status, 404);
    assert.deepEqual(JSON.parse(answer.text), { error: 'boom' });
  });

  it('with a context size, refuses a prompt that does not fit as llama.cpp does (400 exceed_context_size_error), and answers one that fits', async () => {
    const long = { ...chatBody, messages: [{ role: 'user', content: 'x'.repeat(400) }] };
    fake.setScript({ contextTokens: 100, steps: [{ content: 'fits' }], finishReason: 'stop' });
    const refused = await post(fake.url, long);
    assert.equal(refused.status, 400);
    assert.deepEqual(JSON.parse(refused.text), {
      error: { code: 400, message: 'request (100 tokens) exceeds the available context size (100 tokens), try increasing it', type: 'exceed_context_size_error', n_prompt_tokens: 100, n_ctx: 100 },
    });
    fake.setScript({ contextTokens: 101, steps: [{ content: 'fits' }], finishReason: 'stop' });
    const answered = await post(fake.url, long);
    assert.equal(answered.status, 200);
    assert.match(answered.text, /fits/);
  });

  it('dies mid-stream without a finish chunk or [DONE]', async () => {
    fake.setScript({ steps: [{ content: 'partial' }], failure: 'die-mid-stream' });
    const answer = await post(fake.url, chatBody).catch((error: Error) => error);
    // Depending on timing Node reports the cut as an aborted body or as a reset.
    if (answer instanceof Error) assert.match(answer.message, /aborted|ECONNRESET/);
    else assert.ok(!answer.text.includes('[DONE]') && !answer.text.includes('finish_reason":"stop'));
  });

  it('never finishes, and records that the client closed the connection early', async () => {
    fake.setScript({ steps: [{ content: 'forever' }], failure: 'never-finish' });
    const before = fake.requests.length;
    const controller = new AbortController();
    const response = await fetch(`${fake.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(chatBody), signal: controller.signal });
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    assert.match(Buffer.from(value!).toString(), /forever/);
    controller.abort();
    const record = fake.requests[before]!;
    await record.closed;
    assert.equal(record.clientClosedEarly, true);
  });

  it('answers non-streaming requests whole, with content null when empty', async () => {
    fake.setScript({ steps: [{ reasoning: 'hmm' }, { toolCalls: [{ name: 'Read', arguments: { a: 1 } }] }], finishReason: 'tool_calls' });
    const answer = await post(fake.url, { messages: [{ role: 'user', content: 'hi' }] });
    const body = JSON.parse(answer.text);
    assert.equal(body.choices[0].message.content, null);
    assert.equal(body.choices[0].message.reasoning, 'hmm');
    assert.equal(body.choices[0].message.tool_calls[0].function.arguments, '{"a":1}');
  });

  it('refuses connections once closed', async () => {
    const other = await startFakeModelServer();
    await other.close();
    await assert.rejects(fetch(`${other.url}/health`), /fetch failed/);
  });
});

async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('fake model server, serial mode (one request at a time, as mlx-lm.server with concurrency 1)', () => {
  let fake: FakeModelServer;
  before(async () => {
    fake = await startFakeModelServer({ serial: true, prefillCharsPerSecond: 10_000 });
  });
  after(() => fake.close());

  it('serves requests one after another in arrival order, each prefilling in proportion to its prompt', async () => {
    const long = { ...chatBody, messages: [{ role: 'user', content: 'x'.repeat(3000) }] }; // 300 ms of prefill
    const startedAt = Date.now();
    const finished: string[] = [];
    const before = fake.requests.length;
    const first = post(fake.url, long).then((answer) => (finished.push('long'), answer));
    await waitUntil(() => fake.requests.length === before + 1, 'the long one arrived');
    const second = post(fake.url, chatBody).then((answer) => (finished.push('short'), answer));
    await waitUntil(() => fake.waiting === 1, 'the second waits for the first');
    await Promise.all([first, second]);
    assert.deepEqual(finished, ['long', 'short']);
    assert.ok(Date.now() - startedAt >= 300, 'the long prompt took its prefill time');
    const shortRecord = fake.requests.at(-1)!;
    assert.ok(shortRecord.firstBodyByteAt! - startedAt >= 300, "the short one answered only after the long one's prefill");
  });

  it('a client that closes its connection cancels its request and frees the model for the next one', async () => {
    const slow = JSON.stringify({ ...chatBody, messages: [{ role: 'user', content: 'y'.repeat(100_000) }] }); // 10 s of prefill
    const request = http.request(`${fake.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(slow) } });
    request.on('error', () => {});
    const before = fake.requests.length;
    request.end(slow);
    await waitUntil(() => fake.requests.length === before + 1 && fake.requests.at(-1)!.body !== undefined, 'the slow one runs');
    const waiting = post(fake.url, chatBody);
    await waitUntil(() => fake.waiting === 1, 'the next one waits');
    const cutAt = Date.now();
    request.destroy();
    const answer = await waiting;
    assert.equal(answer.status, 200);
    assert.ok(Date.now() - cutAt < 2000, 'served right after the cancellation, not after the 10 s prefill');
    assert.equal(fake.requests.at(-2)!.clientClosedEarly, true);
  });
});
