import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';
import type { OpenAiChatRequest } from '../../../lib/wire/openai.js';
import { CLAUDE_CODE_FIXTURES_DIR } from '../../../test/helpers/paths.js';
import type { LocalPrompt, ToolMode } from '../local-prompt.js';
import { convertAnthropicRequestToOpenAi } from '../request/anthropic-request-to-openai.js';
import { prepareLocalPrompt } from './prepare-local-prompt.js';
import { measureRequestChars } from '../../../lib/tokens/measure-request.js';

// Every recorded Claude Code request (../shared/fixtures/claude-code/<version>/<scenario>/NNN.json)
// through prepareLocalPrompt and the translator's request converter, checked by
// content, size and prefix stability (issue #4 "Done when"). Size is the JSON
// body mlx-lm.server receives (system, messages, tools and request fields).
// A new version folder is picked up without a change here.

const SMALL_MODEL = 'mlx-community/Qwen2.5-Coder-7B-Instruct-4bit';
const MEDIUM_MODEL = 'mlx-community/Qwen3-Coder-30B-A3B-Instruct-4bit';
const LARGE_MODEL = 'mlx-community/Llama-3.3-70B-Instruct-4bit';
const TOOL_MODES: ToolMode[] = ['xml', 'native'];
const MAX_FIRST_REQUEST_CHARS = 3000;

interface Fixture {
  name: string;
  body: AnthropicMessagesRequest;
}

function listDirectories(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

function loadScenarios(): Array<{ version: string; scenario: string; requests: Fixture[] }> {
  return listDirectories(CLAUDE_CODE_FIXTURES_DIR).flatMap((version) =>
    listDirectories(path.join(CLAUDE_CODE_FIXTURES_DIR, version)).map((scenario) => {
      const dir = path.join(CLAUDE_CODE_FIXTURES_DIR, version, scenario);
      const requests = fs
        .readdirSync(dir)
        .filter((file) => /^\d+\.json$/.test(file))
        .sort()
        .map((file) => ({ name: `${version}/${scenario}/${file}`, body: (JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { body: AnthropicMessagesRequest }).body }));
      return { version, scenario, requests };
    }),
  );
}

/** The main agent's requests (with tools), not the background ones (titles, summaries). */
function selectMainRequests(requests: Fixture[]): Fixture[] {
  return requests.filter((request) => (request.body.tools?.length ?? 0) > 0);
}

/** The user's own words: the last text of the first user message that is not a reminder. */
function readUserQuestion(body: AnthropicMessagesRequest): string {
  const first = body.messages.find((message) => message.role === 'user');
  const blocks = typeof first?.content === 'string' ? [{ type: 'text', text: first.content }] : (first?.content ?? []);
  const texts = blocks.flatMap((block) => (block.type === 'text' && typeof block.text === 'string' && !block.text.includes('<system-reminder>') ? [block.text] : []));
  return texts.at(-1) ?? '';
}

/** The OpenAI body the local server receives: the translator's own request converter on the prepared prompt. */
function renderOpenAiBody(body: AnthropicMessagesRequest, prompt: LocalPrompt): OpenAiChatRequest {
  return convertAnthropicRequestToOpenAi(body, prompt, { backendKind: 'mlx', model: SMALL_MODEL, maxOutputTokens: 8192, vision: false }).result;
}

/** The prompt as a chat template would lay it out, for the byte-prefix check. */
function renderChatText(openAi: OpenAiChatRequest): string {
  const tools = openAi.tools ? `<tools>${JSON.stringify(openAi.tools)}</tools>\n` : '';
  return tools + openAi.messages.map((message) => `<|im_start|>${message.role}\n${typeof message.content === 'string' ? message.content : JSON.stringify(message.content)}${'tool_calls' in message && message.tool_calls ? JSON.stringify(message.tool_calls) : ''}<|im_end|>\n`).join('');
}

const scenarios = loadScenarios();

describe('Claude Code fixtures through prepareLocalPrompt', () => {
  it('finds recorded requests of at least two versions', () => {
    assert.ok(new Set(scenarios.map((scenario) => scenario.version)).size >= 2);
    assert.ok(scenarios.every((scenario) => selectMainRequests(scenario.requests).length > 0));
  });

  for (const { version, scenario, requests } of scenarios) {
    const [first, ...rest] = selectMainRequests(requests);
    if (!first) continue;

    for (const toolMode of TOOL_MODES) {
      it(`${version}/${scenario}: the small model's first request is at most ${MAX_FIRST_REQUEST_CHARS} characters in ${toolMode} mode, facts intact`, () => {
        const prompt = prepareLocalPrompt(first.body, { model: SMALL_MODEL, toolMode });
        const json = JSON.stringify(renderOpenAiBody(first.body, prompt));
        assert.ok(json.length <= MAX_FIRST_REQUEST_CHARS, `${first.name}: ${json.length} characters`);
        assert.ok(measureRequestChars(first.body) > 40000, `${measureRequestChars(first.body)}`);
        for (const fact of ['/Users/dev/project', 'linux', 'master', '2026-11-25', 'Always use 2-space indent.', readUserQuestion(first.body)]) {
          assert.ok(json.includes(JSON.stringify(fact).slice(1, -1)), `${first.name} (${toolMode}) lost ${JSON.stringify(fact)}`);
        }
        assert.doesNotMatch(json, /skill/i, 'no skills listing');
        assert.doesNotMatch(json, /x-anthropic-billing-header|Co-Authored-By|ToolSearch|subagent/i);
        assert.equal(prompt.report.overContextLimit, false);
        assert.ok(prompt.report.dropped.includes('skills listing'));
      });
    }

    for (const [model, size] of [[SMALL_MODEL, 'small'], [MEDIUM_MODEL, 'medium'], [LARGE_MODEL, 'large']] as const) {
      for (const toolMode of TOOL_MODES) {
        it(`${version}/${scenario}: each request of the tool loop starts with the one before (${size}, ${toolMode})`, () => {
          let previous = renderChatText(renderOpenAiBody(first.body, prepareLocalPrompt(first.body, { model, toolMode })));
          assert.ok(previous.includes(readUserQuestion(first.body)));
          for (const next of rest) {
            const current = renderChatText(renderOpenAiBody(next.body, prepareLocalPrompt(next.body, { model, toolMode })));
            assert.ok(current.length > previous.length && current.startsWith(previous), `${next.name} does not extend the prompt before it`);
            previous = current;
          }
        });
      }

      it(`${version}/${scenario}: a ${size} model keeps the facts and loses the skills listing`, () => {
        const prompt = prepareLocalPrompt(first.body, { model });
        const json = JSON.stringify(renderOpenAiBody(first.body, prompt));
        for (const fact of ['/Users/dev/project', 'Always use 2-space indent.', '2026-11-25', readUserQuestion(first.body)]) assert.ok(json.includes(fact), `${size} lost ${fact}`);
        assert.doesNotMatch(json, /skills are available|claude-developer-platform|dataviz/);
        assert.ok(prompt.report.charsAfter < measureRequestChars(first.body) / 2, `${size}: ${prompt.report.charsAfter} of ${measureRequestChars(first.body)}`);
      });
    }

    for (const background of requests.filter((request) => !request.body.tools?.length)) {
      it(`${background.name}: a request without tools keeps its own task prompt, minus the billing header`, () => {
        const prompt = prepareLocalPrompt(background.body, { model: SMALL_MODEL });
        assert.doesNotMatch(prompt.system, /x-anthropic-billing-header|Claude Agent SDK/);
        const task = (Array.isArray(background.body.system) ? background.body.system.at(-1)?.text : background.body.system) ?? '';
        assert.ok(prompt.system.includes(task.trim().slice(0, 200)));
      });
    }
  }
});
