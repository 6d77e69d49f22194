import http from 'node:http';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../lib/config/load-config.js';
import type { MallexConfig } from '../../lib/config/schema.js';
import { createApp } from '../../services/classifier/app.js';
import { startFakeModelServer, type FakeModelServer, type FakeReply } from '../fakes/fake-model-server.js';

// The classifier service over real HTTP in front of the fake mlx-lm.server.

const TOKEN = 'classifier-test-token';
let model: FakeModelServer;
let reply: FakeReply = { steps: [{ content: 'simple_code' }], finishReason: 'stop' };
const logLines: string[] = [];

function createConfig(overrides: Partial<MallexConfig>): MallexConfig {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mallex-classifier-'));
  try {
    const { config } = loadConfig(home);
    return { ...config, serverPort: model.port, ...overrides, classifier: { ...config.classifier, timeoutMs: 300, ...overrides.classifier } };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

async function startClassifier(config: MallexConfig): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(createApp({ config, internalToken: TOKEN, writeLine: (line) => logLines.push(line) }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function classify(url: string, text: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}/classify`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-mallex-internal-token': TOKEN }, body: JSON.stringify({ text }), signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: await response.json() };
}

let classifier: Awaited<ReturnType<typeof startClassifier>>;
before(async () => {
  model = await startFakeModelServer({ respond: () => reply });
  classifier = await startClassifier(createConfig({}));
});
after(async () => {
  await classifier.close();
  await model.close();
});

describe('classifier service', () => {
  it('asks the mlx server with a short streaming request and answers {category, source, ms}', async () => {
    reply = { steps: [{ content: 'Hard' }, { content: '_question' }], finishReason: 'stop' };
    const { status, body } = await classify(classifier.url, 'make the allocator lock-free');
    assert.equal(status, 200);
    assert.deepEqual([body.category, body.source, typeof body.ms], ['hard_question', 'model', 'number']);
    const request = model.requests.at(-1)!;
    assert.equal(request.url, '/v1/chat/completions');
    assert.equal(request.body.stream, true);
    assert.equal(request.body.temperature, 0);
    assert.ok(request.body.max_tokens <= 16);
    assert.equal(request.body.model, undefined, 'no model name for mlx-lm.server (PROTOCOL.md A3)');
    assert.deepEqual(request.body.chat_template_kwargs, { enable_thinking: false });
  });

  it('answers a repeated text from the cache, without the model', async () => {
    reply = { steps: [{ content: 'chit_chat' }], finishReason: 'stop' };
    const before = model.requests.length;
    await classify(classifier.url, 'what is your name?');
    const again = await classify(classifier.url, 'what is your name?');
    assert.deepEqual([again.body.category, again.body.source], ['chit_chat', 'cache']);
    assert.equal(model.requests.length - before, 1);
  });

  it('falls back within the timeout when the model never finishes, and drops the model request', async () => {
    reply = { steps: [], failure: 'never-finish' };
    const startedAt = Date.now();
    const { body } = await classify(classifier.url, 'explain the build');
    assert.deepEqual([body.category, body.source], ['simple_code', 'fallback']);
    assert.ok(Date.now() - startedAt < 2000);
    const request = model.requests.at(-1)!;
    await Promise.race([request.closed, new Promise((_, reject) => setTimeout(() => reject(new Error('model request still open')), 2000))]);
    assert.equal(request.clientClosedEarly, true);
  });

  it('falls back when the model server fails or answers nonsense', async () => {
    reply = { failure: 'error-before-first-byte', errorMessage: 'model not found' };
    assert.equal((await classify(classifier.url, 'rename a variable')).body.source, 'fallback');
    reply = { steps: [{ content: 'I would say it depends.' }], finishReason: 'stop' };
    assert.equal((await classify(classifier.url, 'rename another variable')).body.source, 'fallback');
  });

  it('logs a line for each fallback, with its reason and never the text, and none for answers that worked', async () => {
    logLines.length = 0;
    reply = { steps: [{ content: 'simple_code' }], finishReason: 'stop' };
    await classify(classifier.url, 'write a parser for the config');
    await classify(classifier.url, 'write a parser for the config');
    await classify(classifier.url, 'thanks');
    assert.deepEqual(logLines, [], 'model, cache and rule answers are in the gateway record, not in a line here');
    reply = { steps: [{ content: 'no idea' }], finishReason: 'stop' };
    await classify(classifier.url, 'secret-phrase-4711 in the prompt');
    assert.equal(logLines.length, 1);
    const line = JSON.parse(logLines[0]!) as Record<string, unknown>;
    assert.deepEqual([line.level, line.category], ['warn', 'simple_code']);
    assert.match(String(line.error), /unparseable answer/);
    assert.doesNotMatch(logLines[0]!, /secret-phrase-4711/);
  });

  it('answers "try again" by rule', async () => {
    const before = model.requests.length;
    const { body } = await classify(classifier.url, 'wrong, try again');
    assert.deepEqual([body.category, body.source], ['try_again', 'rule']);
    assert.equal(model.requests.length, before);
  });

  it('refuses a body without text with a 400 Anthropic error', async () => {
    const { status, body } = await classify(classifier.url, 42);
    assert.equal(status, 400);
    assert.equal(body.error.type, 'invalid_request_error');
  });

  it('names the model to an OpenAI-compatible backend', async () => {
    reply = { steps: [{ content: 'chit_chat' }], finishReason: 'stop' };
    const openai = await startClassifier(createConfig({ model: 'mlx-community/fake-model', backend: { kind: 'openai', url: `${model.url}/v1`, vision: false } }));
    try {
      const { body } = await classify(openai.url, 'good evening, what do you do?');
      assert.equal(body.source, 'model');
      assert.equal(model.requests.at(-1)!.body.model, 'mlx-community/fake-model');
    } finally {
      await openai.close();
    }
  });
});
