import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FakeReply } from '../fakes/fake-model-server.js';
import { renderChatPrompt } from '../fakes/prompt-cache-model.js';
import { startMallexStack, type MallexStack } from '../helpers/mallex-stack.js';
import { textReply } from '../helpers/model-script.js';
import { prepareClaudeCode, type ClaudeCodeRunner } from './claude-code-runner.js';

// Scenario 2 of issue #8: the local model asks for a file to be written the
// way Qwen2.5-Coder does (a Hermes-style <tool_call> JSON in its text), the
// real Claude Code runs its Write tool, and the tool result comes back to the
// local model in the next request, carrying the model's own answer back
// byte for byte (PROTOCOL.md D3: the prompt cache's prefix runs through it).

const FILE_CONTENT = 'export function add(a, b) {\n  return a + b;\n}\n\n// tabs\tand "quotes" stay\n';

describe('the real Claude Code through mallex: a local tool loop', () => {
  let stack: MallexStack;
  let claude: ClaudeCodeRunner;

  before(async () => {
    stack = await startMallexStack({ promptCache: { maxEntries: 4 } });
    claude = prepareClaudeCode(stack);
  });
  after(async () => {
    await stack?.stop();
  });

  it('writes the file the local model asked for, exact to the byte, and carries the result back', async () => {
    const target = path.join(claude.projectDir, 'add.js');
    const call = `<tool_call>\n${JSON.stringify({ name: 'Write', arguments: { file_path: target, content: FILE_CONTENT } })}\n</tool_call>`;
    stack.setScript({
      classifyAs: () => 'simple_code',
      generate: (body): FakeReply => {
        const messages = body.messages as Array<{ role: string; content: unknown }>;
        const last = messages.at(-1);
        // The first turn: the user's request is the newest message. Then the tool result is.
        if (last?.role === 'user' && JSON.stringify(last.content).includes('create add.js')) {
          // Split inside the tag and the JSON, as a streaming model would write it.
          return { steps: [{ content: 'I will write it.\n' }, { content: call.slice(0, 7) }, { content: call.slice(7, 60) }, { content: call.slice(60) }], finishReason: 'stop' };
        }
        return textReply('Created add.js with an add function.');
      },
    });
    const result = await claude.run(['-p', 'create add.js with an add function', '--allowedTools', 'Write']);
    assert.equal(result.code, 0, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
    assert.equal(fs.readFileSync(target, 'utf8'), FILE_CONTENT, 'the bytes on disk are the bytes the model wrote');
    assert.match(result.stdout, /Created add\.js with an add function\./);

    const generations = stack.generations();
    assert.equal(generations.length, 2, 'one request for the call, one carrying its result');
    const [first, second] = generations;
    assert.doesNotMatch(JSON.stringify(first!.body.messages), /File created/);
    const toolResult = JSON.stringify(second!.body.messages.at(-1));
    assert.match(toolResult, /<tool_result tool_use_id=\\"toolu_\w+\\">\\nFile created successfully at: /, "Claude Code's tool_result is the newest message the model reads");
    assert.ok(toolResult.includes(target), toolResult);
    assert.deepEqual(second!.body.messages.slice(0, first!.body.messages.length), first!.body.messages, 'the second prompt extends the first (prefix-stable for the prompt cache)');
    const written = `I will write it.\n${call}`;
    assert.deepEqual(second!.body.messages[first!.body.messages.length], { role: 'assistant', content: written }, "the model's answer comes back as the model wrote it");
    const cachedPrompt = renderChatPrompt(first!.body) + written;
    assert.ok(renderChatPrompt(second!.body).startsWith(cachedPrompt), 'the rendered prompt extends what the model has cached');
    assert.ok(second!.promptCache!.cachedChars >= cachedPrompt.length, JSON.stringify(second!.promptCache));
    assert.equal(stack.anthropic.requests.length, 0, 'the whole loop stayed local');
  });
});
