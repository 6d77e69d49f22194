import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnthropicMessagesRequest, AnthropicTool } from '../../../lib/wire/anthropic.js';
import { createToolCallExtractor } from '../tools/tool-call-extractor.js';
import { prepareLocalPrompt } from './prepare-local-prompt.js';
import { measureRequestChars } from '../../../lib/tokens/measure-request.js';

const SMALL = 'mlx-community/Qwen2.5-Coder-7B-Instruct-4bit';

const tool = (name: string, properties: Record<string, unknown> = { file_path: { type: 'string' } }): AnthropicTool => ({
  name,
  description: `${name} does things. Long usage notes follow.`,
  input_schema: { type: 'object', properties, required: Object.keys(properties).slice(0, 1) },
});

/** A request shaped like a Claude Code version that does not exist yet: new reminder wording, a new infra tool, an MCP tool. */
function createFutureRequest(): AnthropicMessagesRequest {
  return {
    model: 'claude-opus-9',
    max_tokens: 64000,
    system: [
      { type: 'text', text: 'x-anthropic-billing-header: cc_version=9.0.1; cc_entrypoint=cli; cch=1;' },
      { type: 'text', text: 'You are Claude Code, a brand new agent.\n\n# Whatever\nLots of Claude-specific prose.' },
    ],
    tools: [tool('Read'), tool('Bash', { command: { type: 'string' } }), tool('Agent'), tool('mcp__db__query', { sql: { type: 'string' } }), { ...tool('Glob'), defer_loading: true }],
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: '<system-reminder>\nContents of /work/app/CLAUDE.md (project instructions):\n\nNever touch prod.\n</system-reminder>' },
          { type: 'text', text: '<system-reminder>\nSkills you can invoke now:\n- deploy: ship it\n- review: look at it\n</system-reminder>' },
          { type: 'text', text: '<system-reminder>\nThe user pinned the file /work/app/db.sql.\n</system-reminder>' },
          { type: 'text', text: 'why is the query slow?' },
        ],
      },
      { role: 'system', content: '# Environment\n - Primary working directory: /work/app\n - Platform: darwin\n\nCurrent date: 2031-02-03' },
    ],
  };
}

describe('prepareLocalPrompt', () => {
  it('handles a Claude Code version it has never seen: facts kept, infrastructure gone, the unknown unwrapped', () => {
    const prompt = prepareLocalPrompt(createFutureRequest(), { model: SMALL });
    assert.equal(prompt.modelSize, 'small');
    assert.equal(prompt.toolMode, 'xml');
    for (const fact of ['Working directory: /work/app', 'Platform: darwin', 'Date: 2031-02-03', 'Never touch prod.', '<tool name="mcp__db__query">', 'use Bash']) {
      assert.ok(prompt.system.includes(fact), `system lacks ${fact}`);
    }
    assert.doesNotMatch(prompt.system, /billing|Claude-specific|Agent|deploy|Glob/);
    assert.deepEqual(prompt.messages, [
      { role: 'user', content: [{ type: 'text', text: 'The user pinned the file /work/app/db.sql.' }, { type: 'text', text: 'why is the query slow?' }] },
    ]);
    assert.deepEqual(prompt.offeredTools.map((offered) => offered.name), ['Read', 'Bash', 'mcp__db__query']);
    for (const name of ['tool Agent', 'tool Glob', 'billing header', 'skills listing', 'Claude Code system prompt']) assert.ok(prompt.report.dropped.includes(name), name);
    assert.ok(prompt.report.charsAfter < measureRequestChars(createFutureRequest()));
    assert.equal(prompt.report.contextLimit, 16000);
  });

  it('in native mode sends compact OpenAI tools and leaves the definitions out of the system prompt', () => {
    const prompt = prepareLocalPrompt(createFutureRequest(), { model: SMALL, toolMode: 'native' });
    assert.equal(prompt.renderToolUse, undefined);
    assert.deepEqual(prompt.openaiTools?.map((openai) => openai.function.name), ['Read', 'Bash', 'mcp__db__query']);
    assert.doesNotMatch(prompt.system, /<tools>/);
  });

  it('renders earlier tool calls in the format the model is asked for, and the extractor reads them back', () => {
    const prompt = prepareLocalPrompt(createFutureRequest(), { model: 'mlx-community/Qwen3-Coder-30B-A3B-Instruct-4bit', toolMode: 'xml' });
    assert.equal(prompt.toolCallFormat, 'function-xml');
    assert.match(prompt.system, /<function=Read>/);
    const rendered = prompt.renderToolUse?.({ type: 'tool_use', id: 't', name: 'mcp__db__query', input: { sql: 'select 1;\n' } }) ?? '';
    const extractor = createToolCallExtractor({ tools: prompt.offeredTools });
    assert.deepEqual([...extractor.push(rendered), ...extractor.flush()], [{ type: 'tool_call', name: 'mcp__db__query', input: { sql: 'select 1;\n' } }]);
  });

  it('honours config: modelSize, tool allow and deny lists, budgets', () => {
    const prompt = prepareLocalPrompt(createFutureRequest(), {
      model: 'my-org/unnamed',
      modelSize: 'small',
      tools: { allow: ['Agent'], deny: ['mcp__*'] },
      budgets: { small: { prefillBudget: 100, contextLimit: 50 }, medium: { prefillBudget: null, contextLimit: null }, large: { prefillBudget: null, contextLimit: null } },
    });
    assert.deepEqual(prompt.warnings, []);
    assert.deepEqual(prompt.offeredTools.map((offered) => offered.name), ['Read', 'Bash', 'Agent']);
    assert.equal(prompt.report.overContextLimit, true, 'a 50-token limit cannot hold the system prompt');
    assert.match(prepareLocalPrompt(createFutureRequest(), { model: 'my-org/unnamed' }).warnings[0] ?? '', /modelSize/);
  });

  it('is pure: the same request gives the same prompt', () => {
    const first = prepareLocalPrompt(createFutureRequest(), { model: SMALL });
    const second = prepareLocalPrompt(createFutureRequest(), { model: SMALL });
    assert.equal(first.system, second.system);
    assert.deepEqual(first.messages, second.messages);
  });
});
