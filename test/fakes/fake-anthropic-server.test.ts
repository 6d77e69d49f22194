import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { startFakeAnthropicServer, type FakeAnthropicServer } from './fake-anthropic-server.js';

// The fake is checked with the real Anthropic SDK: if the SDK accepts its
// streams and errors, Claude Code (which uses the SDK) will too.

let fake: FakeAnthropicServer;
let client: Anthropic;
before(async () => {
  fake = await startFakeAnthropicServer();
  client = new Anthropic({ baseURL: fake.url, apiKey: 'sk-ant-test', maxRetries: 0 });
});
after(() => fake.close());

describe('fake Anthropic server', () => {
  it('streams thinking, text and tool_use blocks that the SDK accumulates into one message', async () => {
    fake.enqueue({
      kind: 'message',
      content: [
        { type: 'thinking', thinking: 'list it', signature: 'sig-1' },
        { type: 'text', text: 'Listing.' },
        { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } },
      ],
      usage: { input_tokens: 10, output_tokens: 30, cache_read_input_tokens: 90 },
    });
    const message = await client.messages.stream({ model: 'claude-sonnet-5-5', max_tokens: 100, messages: [{ role: 'user', content: 'ls' }] }).finalMessage();
    assert.equal(message.model, 'claude-sonnet-5-5');
    assert.equal(message.stop_reason, 'tool_use');
    assert.deepEqual(message.content.map((block) => block.type), ['thinking', 'text', 'tool_use']);
    assert.deepEqual((message.content[2] as { input: unknown }).input, { command: 'ls' });
    assert.equal((message.content[0] as { signature: string }).signature, 'sig-1');
    assert.equal(message.usage.output_tokens, 30);
    assert.equal(message.usage.cache_read_input_tokens, 90);
  });

  it('answers JSON when not streaming, and records headers and body', async () => {
    const message = await client.messages.create({ model: 'claude-opus-5-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    assert.deepEqual(message.content, [{ type: 'text', text: 'answer from claude-opus-5-5' }]);
    const recorded = fake.requests.at(-1)!;
    assert.equal(recorded.headers['x-api-key'], 'sk-ant-test');
    assert.equal(recorded.body.model, 'claude-opus-5-5');
  });

  for (const [status, type] of [[529, 'overloaded_error'], [429, 'rate_limit_error'], [500, 'api_error']] as const) {
    it(`answers ${status} as an Anthropic ${type} the SDK understands`, async () => {
      fake.enqueue({ kind: 'error', status });
      await assert.rejects(client.messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }), (error: unknown) => {
        assert.ok(error instanceof Anthropic.APIError);
        assert.equal(error.status, status);
        assert.equal((error.error as { error?: { type?: string } }).error?.type, type);
        return true;
      });
    });
  }

  it('cuts a stream mid-way when told to, which the SDK reports as an error', async () => {
    fake.enqueue({ kind: 'break-mid-stream' });
    await assert.rejects(client.messages.stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).finalMessage());
  });
});
