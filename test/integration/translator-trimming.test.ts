import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLAUDE_CODE_FIXTURES_DIR } from '../helpers/paths.js';
import { INTERNAL_TOKEN, loadTestConfig, startTranslatorHarness, type TranslatorHarness } from './translator-harness.js';

// The trimming preparer and the tool-call extractor wired into the real
// translator (issue #4), with the default config (Qwen2.5-Coder-7B, small,
// toolMode auto → xml): what the fake mlx-lm.server receives for recorded
// Claude Code requests, and what Claude Code gets back when the model writes
// its tool call as text.

const MAX_FIRST_REQUEST_CHARS = 3000;

function readMainRequests(version: string, scenario: string): Array<{ url: string; body: { tools?: unknown[] } }> {
  const dir = path.join(CLAUDE_CODE_FIXTURES_DIR, version, scenario);
  return fs
    .readdirSync(dir)
    .filter((name) => /^\d+\.json$/.test(name))
    .sort()
    .map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { url: string; body: { tools?: unknown[] } })
    .filter((request) => (request.body.tools?.length ?? 0) > 0);
}

const versions = fs.readdirSync(CLAUDE_CODE_FIXTURES_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);

describe('trimmed prompts and extracted tool calls through the real translator', () => {
  let harness: TranslatorHarness;
  before(async () => {
    harness = await startTranslatorHarness({ config: loadTestConfig() });
  });
  after(() => harness.close());

  async function send(request: { url: string; body: unknown }): Promise<{ status: number; sent: { messages: Array<Record<string, unknown>>; tools?: unknown }; rawBody: string; text: string }> {
    const response = await fetch(`${harness.url}${request.url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-mallex-internal-token': INTERNAL_TOKEN },
      body: JSON.stringify(request.body),
    });
    const text = await response.text();
    const record = harness.fake.requests.at(-1)!;
    return { status: response.status, sent: record.body, rawBody: record.rawBody, text };
  }

  for (const version of versions) {
    it(`${version}: the first request reaches the model in at most ${MAX_FIRST_REQUEST_CHARS} characters, and the tool loop only appends`, async () => {
      harness.fake.setScript({ steps: [{ content: '4' }], finishReason: 'stop' });
      const [first, ...rest] = readMainRequests(version, 'tool');
      assert.ok(first && rest.length > 0);
      const firstSent = await send(first);
      assert.equal(firstSent.status, 200);
      assert.ok(firstSent.rawBody.length <= MAX_FIRST_REQUEST_CHARS, `${version}: ${firstSent.rawBody.length} characters sent`);
      for (const fact of ['/Users/dev/project', 'linux', 'master', '2026-11-25', 'Always use 2-space indent.', 'run echo hello']) {
        assert.ok(firstSent.rawBody.includes(fact), `${version}: ${fact} missing`);
      }
      assert.doesNotMatch(firstSent.rawBody, /skill/i);
      let previous = firstSent.sent;
      for (const next of rest) {
        const nextSent = await send(next);
        assert.equal(nextSent.status, 200);
        assert.deepEqual(nextSent.sent.tools, previous.tools);
        assert.deepEqual(nextSent.sent.messages.slice(0, previous.messages.length), previous.messages, `${version}: the prefix changed`);
        assert.ok(nextSent.sent.messages.length > previous.messages.length);
        previous = nextSent.sent;
      }
    });
  }

  it('a tool call the model writes as text, split across chunks, reaches Claude Code as a tool_use block', async () => {
    const reply = 'Running it.\n<tool_call>\n{"name": "bash", "arguments": {"command": "echo hello", "timeout": "5000"}}\n</tool_call>';
    harness.fake.setScript({ steps: reply.match(/[\s\S]{1,5}/g)!.map((content) => ({ content })), finishReason: 'stop' });
    const [first] = readMainRequests('2.1.50', 'tool');
    const result = await send({ url: first!.url, body: { ...first!.body, stream: false } });
    assert.equal(result.status, 200);
    const message = JSON.parse(result.text) as { content: Array<Record<string, unknown>>; stop_reason: string };
    assert.deepEqual(message.content.map(({ id: _id, ...block }) => block), [
      { type: 'text', text: 'Running it.\n' },
      { type: 'tool_use', name: 'Bash', input: { command: 'echo hello', timeout: 5000 } },
    ]);
    assert.equal(message.stop_reason, 'tool_use');
  });
});
