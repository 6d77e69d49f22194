import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeSseStream } from '../../lib/sse/decode-sse-events.js';
import { CLAUDE_CODE_FIXTURES_DIR } from '../helpers/paths.js';
import { INTERNAL_TOKEN, startTranslatorHarness, type TranslatorHarness } from './translator-harness.js';

// Every recorded Claude Code request, sent as recorded (path with ?beta=true,
// body unchanged) through the real translator to the fake mlx-lm.server,
// which rejects what the real server rejects (A3).

const fixtures = ['2.1.50', '2.1.328'].flatMap((version) =>
  ['chat', 'tool'].flatMap((scenario) => {
    const dir = path.join(CLAUDE_CODE_FIXTURES_DIR, version, scenario);
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.json')).map((name) => path.join(dir, name)) : [];
  }),
);

describe('recorded Claude Code requests through the translator', () => {
  let harness: TranslatorHarness;
  before(async () => {
    harness = await startTranslatorHarness();
    harness.fake.setScript({ steps: [{ content: '4' }], finishReason: 'stop', usage: { prompt_tokens: 9000, completion_tokens: 1, cached_tokens: 8000 } });
  });
  after(() => harness.close());

  for (const file of fixtures) {
    it(path.relative(CLAUDE_CODE_FIXTURES_DIR, file), async () => {
      const recorded = JSON.parse(fs.readFileSync(file, 'utf8')) as { url: string; body: { stream?: boolean } };
      const response = await fetch(`${harness.url}${recorded.url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-mallex-internal-token': INTERNAL_TOKEN },
        body: JSON.stringify(recorded.body),
      });
      assert.equal(response.status, 200);
      const sent = harness.fake.requests.at(-1)!.body;
      assert.equal(sent.messages[0].role, 'system');
      assert.ok(sent.messages.slice(1).every((message: { role: string }) => message.role !== 'system'));
      if (recorded.body.stream) {
        const events: string[] = [];
        for await (const event of decodeSseStream(response.body!)) events.push(event.event ?? '');
        assert.deepEqual(events.filter((name) => name !== 'ping'), ['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
      } else {
        const message = (await response.json()) as { content: unknown };
        assert.deepEqual(message.content, [{ type: 'text', text: '4' }]);
      }
    });
  }

  it('logs what the local model does not get once per kind, not once per request', () => {
    const ignored = harness.logs.flatMap((entry) => (entry.ignored as string[] | undefined) ?? []);
    assert.ok(ignored.length > 0, 'the recorded requests carry fields the model does not use');
    const kinds = ignored.map((warning) => warning.replace(/\d+/g, 'N'));
    assert.equal(new Set(kinds).size, kinds.length, `each kind once: ${ignored.join(', ')}`);
    assert.ok(harness.logs.length < fixtures.length, `${harness.logs.length} lines for ${fixtures.length} requests`);
  });
});
