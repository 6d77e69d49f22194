import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';
import { convertAnthropicRequestToOpenAi } from '../request/anthropic-request-to-openai.js';
import { prepareLocalPrompt } from './prepare-local-prompt.js';
import { readStructuredAnswerFields, trimBackgroundPrompt } from './trim-background-prompt.js';

// Recorded from the real Claude Code 2.1.328, interactive (PROTOCOL.md D1): its session-title request.
const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.resolve(here, '../../../../services/translator/prompt/__fixtures__/session-title-2.1.328.json');
const titleRequest = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as AnthropicMessagesRequest & { output_config?: unknown };
const SMALL_MODEL = 'mlx-community/Qwen2.5-Coder-7B-Instruct-4bit';
const USER_WORDS = 'fix the flaky login test in auth.spec.ts';

function renderModelText(request: AnthropicMessagesRequest): string {
  const prompt = prepareLocalPrompt(request, { model: SMALL_MODEL });
  const body = convertAnthropicRequestToOpenAi(request, prompt, { backendKind: 'mlx', model: SMALL_MODEL, maxOutputTokens: 8192, vision: false }).result;
  return body.messages.map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content))).join('\n');
}

describe('the session-title request through prepareLocalPrompt', () => {
  it('reaches the model in at most 600 characters, with the user\'s words and the answer\'s shape', () => {
    const original = JSON.stringify(titleRequest.system).length;
    const text = renderModelText(titleRequest);
    assert.ok(text.length <= 600, `${text.length} characters reach the model (the request's system prompt alone is ${original}):\n${text}`);
    assert.ok(text.includes(USER_WORDS));
    assert.match(text, /naming a coding session/);
    assert.match(text, /\{"title": "…"\}/);
    assert.doesNotMatch(text, /x-anthropic-billing-header|You are Claude Code/);
  });

  it('keeps the head and tail of a long session text within the budget', () => {
    const long = { ...titleRequest, messages: [{ role: 'user' as const, content: `<session>\n${'word '.repeat(2000)}\n</session>\n\nWrite the title in the predominant language.` }] };
    const text = renderModelText(long);
    assert.ok(text.length <= 600, `${text.length}`);
    assert.match(text, /<session>/);
    assert.match(text, /Write the title in the predominant language\.$/m);
  });
});

describe('trimBackgroundPrompt', () => {
  const schema = (properties: Record<string, unknown>) => ({ output_config: { format: { type: 'json_schema', schema: { type: 'object', properties } } } });
  const cases: Array<[string, Parameters<typeof readStructuredAnswerFields>[0], string[] | null]> = [
    ['a title', schema({ title: { type: 'string' } }), ['title']],
    ['two string fields', schema({ title: { type: 'string' }, topic: { type: 'string' } }), ['title', 'topic']],
    ['a field that is not a string (kept as it was)', schema({ items: { type: 'array' } }), null],
    ['no output_config (kept as it was)', {}, null],
    ['with tools (a main request, kept as it was)', { ...schema({ title: { type: 'string' } }), tools: [{ name: 'Read', input_schema: { type: 'object' } }] }, null],
  ];
  for (const [name, request, expected] of cases) {
    it(name, () => assert.deepEqual(readStructuredAnswerFields(request), expected));
  }
  it('leaves other requests to the usual preparation', () => {
    assert.equal(trimBackgroundPrompt({}, 'Summarise the conversation.', []), null);
  });
});
