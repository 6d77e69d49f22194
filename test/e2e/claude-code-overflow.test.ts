import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMallexStack, type MallexStack } from '../helpers/mallex-stack.js';
import { textReply } from '../helpers/model-script.js';
import { prepareClaudeCode, type ClaudeCodeRunner } from './claude-code-runner.js';

// Scenario 4 of issue #8: three Claude Code runs at once while the local model
// serves one request at a time (routing.localConcurrency 1, and the fake model
// in serial mode, as mlx-lm.server) and is slow to prefill. One is served
// locally; the others overflow to the first Claude tier.

const LOCAL_ANSWER = 'Answered by the slow local model.';
const CLAUDE_ANSWER = 'Answered by Claude after overflow.';

describe('the real Claude Code through mallex: overflow while the local model is busy', () => {
  let stack: MallexStack;
  let claude: ClaudeCodeRunner;

  before(async () => {
    stack = await startMallexStack({
      script: {
        classifyAs: () => 'simple_code',
        // Long enough that all three runs arrive while the first one holds the model.
        generate: () => textReply(LOCAL_ANSWER, { prefillMs: 6000, keepalives: 6 }),
      },
      model: { serial: true, prefillCharsPerSecond: 20_000 },
    });
    stack.anthropic.setResponder(() => ({ kind: 'message', content: [{ type: 'text', text: CLAUDE_ANSWER }] }));
    claude = prepareClaudeCode(stack);
  });
  after(async () => {
    await stack?.stop();
  });

  it('serves one run locally and the other two from Claude, all successfully', async () => {
    const prompts = ['add a README section', 'rename the helper', 'fix the typo in main'];
    const results = await Promise.all(prompts.map((prompt) => claude.run(['-p', prompt], { timeoutMs: 120_000 })));
    for (const result of results) assert.equal(result.code, 0, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
    const answers = results.map((result) => result.stdout.trim()).sort();
    assert.deepEqual(answers, [CLAUDE_ANSWER, CLAUDE_ANSWER, LOCAL_ANSWER]);

    assert.equal(stack.generations().length, 1, 'the local model generated once');
    const claudeRequests = stack.anthropic.requests.filter((request) => request.url.startsWith('/v1/messages?') || request.url === '/v1/messages');
    assert.equal(claudeRequests.length, 2);
    for (const request of claudeRequests) {
      assert.equal(request.body.model, 'claude-sonnet-5-5', 'overflow goes to the first Claude tier');
      assert.ok(request.headers['x-api-key'], "with Claude Code's own key");
    }
    const local = JSON.stringify(stack.generations()[0]!.body.messages);
    const overflowed = claudeRequests.map((request) => JSON.stringify(request.body.messages));
    for (const prompt of prompts) assert.equal([local, ...overflowed].filter((text) => text.includes(prompt)).length, 1, `"${prompt}" was answered once`);
  });
});
