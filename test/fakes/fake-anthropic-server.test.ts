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
        { type: 'thinking', thinking: 'list it' },
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
    const signature = (message.content[0] as { signature: string }).signature;
    assert.equal(signature, fake.signThinking('list it'), 'signed by the fake');
    assert.match(signature, /^[A-Za-z0-9+/]{40,}={0,2}$/, 'a real-looking (base64) signature');
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
      await assert.rejects(client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }), (error: unknown) => {
        assert.ok(error instanceof Anthropic.APIError);
        assert.equal(error.status, status);
        assert.equal((error.error as { error?: { type?: string } }).error?.type, type);
        return true;
      });
    });
  }

  it('cuts a stream mid-way when told to, which the SDK reports as an error', async () => {
    fake.enqueue({ kind: 'break-mid-stream' });
    await assert.rejects(client.messages.stream({ model: 'claude-sonnet-5-5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).finalMessage());
  });
});

// PROTOCOL.md D2: what the real API refuses, the fake refuses, with the same status, type and message.
describe('fake Anthropic server: as strict as the real API', () => {
  const ask = (body: Partial<Anthropic.MessageCreateParamsNonStreaming>) =>
    client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], ...body } as Anthropic.MessageCreateParamsNonStreaming);

  async function assertRefused(body: Partial<Anthropic.MessageCreateParamsNonStreaming>, status: number, type: string, message: RegExp): Promise<void> {
    const before = fake.refusals.length;
    await assert.rejects(ask(body), (error: unknown) => {
      assert.ok(error instanceof Anthropic.APIError, String(error));
      assert.equal(error.status, status);
      const detail = (error.error as { error?: { type?: string; message?: string } }).error;
      assert.equal(detail?.type, type);
      assert.match(String(detail?.message), message);
      return true;
    });
    assert.equal(fake.refusals.length, before + 1);
  }

  /** One Claude turn with signed thinking, as the SDK hands it back. */
  async function askSignedTurn(): Promise<Anthropic.ContentBlock[]> {
    fake.enqueue({ kind: 'message', content: [{ type: 'thinking', thinking: 'check the docs' }, { type: 'redacted_thinking' }, { type: 'tool_use', id: 'toolu_01', name: 'Read', input: { file_path: 'a.ts' } }] });
    return (await client.messages.stream({ model: 'claude-sonnet-5-5', max_tokens: 100, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'read a.ts' }] }).finalMessage()).content;
  }
  const result = { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: 'toolu_01', content: 'export {}' }] };

  it('accepts its own signed thinking and redacted thinking back, unchanged, in a thinking tool loop', async () => {
    const turn = await askSignedTurn();
    assert.deepEqual(turn.map((block) => block.type), ['thinking', 'redacted_thinking', 'tool_use']);
    const message = await ask({ thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'read a.ts' }, { role: 'assistant', content: turn }, result] });
    assert.equal(message.type, 'message');
  });

  it("refuses a thinking block with a signature it did not issue (a local model's placeholder)", async () => {
    const turn = await askSignedTurn();
    const forged = [{ type: 'text' as const, text: 'x' }];
    await assertRefused(
      { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: [{ type: 'thinking', thinking: 'local reasoning', signature: 'mallex-local-thinking' }, ...forged] }, { role: 'user', content: 'again' }] },
      400, 'invalid_request_error', /^messages\.1\.content\.0: Invalid 'signature' in 'thinking' block$/,
    );
    const edited = turn.map((block) => (block.type === 'thinking' ? { ...block, thinking: `${block.thinking}!` } : block));
    await assertRefused({ messages: [{ role: 'user', content: 'read a.ts' }, { role: 'assistant', content: edited }, result] }, 400, 'invalid_request_error', /^messages\.1\.content\.0: Invalid 'signature' in 'thinking' block$/);
    const redacted = turn.map((block) => (block.type === 'redacted_thinking' ? { ...block, data: Buffer.alloc(56).toString('base64') } : block));
    await assertRefused({ messages: [{ role: 'user', content: 'read a.ts' }, { role: 'assistant', content: redacted }, result] }, 400, 'invalid_request_error', /^messages\.1\.content\.1: Invalid 'data' in 'redacted_thinking' block$/);
  });

  it('refuses a thinking tool loop whose last assistant message does not start with thinking', async () => {
    await assertRefused(
      { thinking: { type: 'adaptive' } as never, messages: [{ role: 'user', content: 'read a.ts' }, { role: 'assistant', content: [{ type: 'text', text: 'Reading.' }, { type: 'tool_use', id: 'toolu_01', name: 'Read', input: {} }] }, result] },
      400, 'invalid_request_error', /^messages\.1\.content\.0\.type: Expected 'thinking' or 'redacted_thinking', but found 'text'\./,
    );
    // The same transcript with thinking off is fine.
    await ask({ messages: [{ role: 'user', content: 'read a.ts' }, { role: 'assistant', content: [{ type: 'text', text: 'Reading.' }, { type: 'tool_use', id: 'toolu_01', name: 'Read', input: {} }] }, result] });
  });

  it('refuses unpaired tool ids and ids outside the allowed pattern', async () => {
    const toolUse = (id: string) => ({ role: 'assistant' as const, content: [{ type: 'tool_use' as const, id, name: 'Read', input: {} }] });
    await assertRefused({ messages: [{ role: 'user', content: 'a' }, toolUse('toolu_01'), { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_02', content: 'x' }] }] }, 400, 'invalid_request_error', /^messages\.2\.content\.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_02\./);
    await assertRefused({ messages: [{ role: 'user', content: 'a' }, toolUse('toolu_01'), { role: 'user', content: 'go on' }] }, 400, 'invalid_request_error', /^messages\.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_01\./);
    await assertRefused({ messages: [{ role: 'user', content: 'a' }, toolUse('call:1'), { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call:1', content: 'x' }] }] }, 400, 'invalid_request_error', /^messages\.1\.content\.0\.tool_use\.id: String should match pattern/);
  });

  it('refuses more than 4 cache_control breakpoints, empty turns and unknown models', async () => {
    const cached = (text: string) => ({ type: 'text' as const, text, cache_control: { type: 'ephemeral' as const } });
    await ask({ system: [cached('a'), cached('b')], messages: [{ role: 'user', content: [cached('c'), cached('d')] }] });
    await assertRefused({ system: [cached('a'), cached('b'), cached('c')], messages: [{ role: 'user', content: [cached('d'), cached('e')] }] }, 400, 'invalid_request_error', /^A maximum of 4 blocks with cache_control may be provided\. Found 5\.$/);
    await assertRefused({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: [] }, { role: 'user', content: 'b' }] }, 400, 'invalid_request_error', /^messages\.1: all messages must have non-empty content/);
    await assertRefused({ model: 'mlx-community/Qwen2.5-Coder-7B-Instruct-4bit' }, 404, 'not_found_error', /^model: mlx-community\/Qwen2\.5-Coder-7B-Instruct-4bit$/);
  });
});
