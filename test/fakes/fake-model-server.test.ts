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
