import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { AnthropicMessagesRequest, ContentBlock } from '../../../lib/wire/anthropic.js';
import type { OpenAiMessage } from '../../../lib/wire/openai.js';
import { CLAUDE_CODE_FIXTURES_DIR } from '../../../test/helpers/paths.js';
import { loadTestConfig } from '../../../test/integration/translator-harness.js';
import { convertAnthropicRequestToOpenAi } from './anthropic-request-to-openai.js';
import { preparePassthroughPrompt } from '../../../test/helpers/prepare-passthrough-prompt.js';
import { parseMessagesRequest } from '../../../lib/wire/check-messages-request.js';

// Golden tests: every request real Claude Code sent (../shared/fixtures) is
// translated without error and without silent loss: every text, tool call,
// tool result and tool definition is found in the output, and everything
// left out is named in the warnings.

function findFixtures(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findFixtures(full);
    return /^\d+\.json$/.test(entry.name) ? [full] : [];
  });
}

function readContentText(message: OpenAiMessage): string {
  if (message.content === null) return '';
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n\n');
}

function listBlocks(content: string | ContentBlock[]): ContentBlock[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

const EXPECTED_WARNING = /^(\w+ ignored|cache_control ignored \(×\d+\)|max_tokens \d+ capped to \d+|(redacted_)?thinking block dropped( \(×\d+\))?)$/;
const config = loadTestConfig();
const fixtures = findFixtures(CLAUDE_CODE_FIXTURES_DIR);

describe('Claude Code fixtures translate without loss', () => {
  it('finds the recorded requests of both versions', () => {
    assert.ok(fixtures.length >= 7, `found ${fixtures.length}`);
    assert.ok(fixtures.some((file) => file.includes('2.1.50')) && fixtures.some((file) => file.includes('2.1.328')));
  });

  for (const file of fixtures) {
    it(path.relative(CLAUDE_CODE_FIXTURES_DIR, file), () => {
      const recorded = JSON.parse(fs.readFileSync(file, 'utf8')) as { url: string; body: unknown };
      const parsed = parseMessagesRequest(recorded.body);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
      const request: AnthropicMessagesRequest = parsed.value;
      const { result, warnings } = convertAnthropicRequestToOpenAi(request, preparePassthroughPrompt(request, config), {
        backendKind: 'mlx',
        model: config.model,
        maxOutputTokens: config.translator.maxOutputTokens,
        vision: false,
      });

      const outputText = result.messages.map(readContentText).join('\n');
      const system = typeof request.system === 'string' ? [request.system] : (request.system ?? []).map((block) => block.text);
      for (const text of system) assert.ok(result.messages[0]!.role === 'system' && readContentText(result.messages[0]!).includes(text), 'system text kept in the system message');

      const toolMessages = result.messages.filter((message) => message.role === 'tool');
      const toolCalls = result.messages.flatMap((message) => (message.role === 'assistant' ? (message.tool_calls ?? []) : []));
      let seenToolResults = 0;
      for (const message of request.messages) {
        for (const block of listBlocks(message.content)) {
          switch (block.type) {
            case 'text':
              assert.ok(outputText.includes(block.text), `text kept: ${block.text.slice(0, 60)}`);
              break;
            case 'tool_use': {
              const call = toolCalls.find((candidate) => candidate.id === block.id);
              assert.ok(call, `tool_use ${block.id} kept`);
              assert.equal(call.function.name, block.name);
              assert.deepEqual(JSON.parse(call.function.arguments), block.input);
              break;
            }
            case 'tool_result': {
              seenToolResults++;
              const reply = toolMessages.find((candidate) => candidate.role === 'tool' && candidate.tool_call_id === block.tool_use_id);
              assert.ok(reply, `tool_result ${block.tool_use_id} kept`);
              const texts = typeof block.content === 'string' ? [block.content] : (block.content ?? []).flatMap((part) => (part.type === 'text' ? [String(part.text)] : []));
              for (const text of texts) assert.ok(reply.content.includes(text));
              break;
            }
            default:
              assert.ok(warnings.some((warning) => warning.includes(block.type)), `${block.type} named in the warnings`);
          }
        }
      }
      assert.equal(toolMessages.length, seenToolResults);

      // mlx chat templates reject a system message after the first position.
      assert.deepEqual(result.messages.map((message) => message.role).filter((role) => role === 'system').length, 1);
      assert.equal(result.messages[0]!.role, 'system');

      const tools = (request.tools ?? []).filter((tool) => tool.input_schema);
      assert.deepEqual((result.tools ?? []).map((tool) => [tool.function.name, tool.function.parameters]), tools.map((tool) => [tool.name, tool.input_schema]));

      for (const warning of warnings) assert.match(warning, EXPECTED_WARNING);
      for (const key of Object.keys(request)) {
        if (!['model', 'max_tokens', 'messages', 'system', 'tools', 'stream', 'temperature', 'thinking'].includes(key)) {
          assert.ok(warnings.includes(`${key} ignored`), `${key} named in the warnings`);
        }
      }
      assert.equal(result.stream, true);
      assert.equal(result.model, undefined);
    });
  }
});
