import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMallexStack, type MallexStack } from '../helpers/mallex-stack.js';
import { measurePromptChars, textReply } from '../helpers/model-script.js';
import { CLAUDE_CODE_API_KEY, prepareClaudeCode, type ClaudeCodeRunner } from './claude-code-runner.js';

// Scenarios 1, 3 and 5 of issue #8: the real Claude Code, launched through
// `mallex`, against the real stack; the local model and Anthropic are fakes.

/** The small tier's first request, all of system prompt, messages and tools (issue #4). */
const SMALL_TIER_MAX_CHARS = 3000;

function readUserText(body: any): string {
  return JSON.stringify(body?.messages ?? []);
}

describe('the real Claude Code through mallex: chat, hard question, try again', () => {
  let stack: MallexStack;
  let claude: ClaudeCodeRunner;

  before(async () => {
    // A model that serves one request at a time, as mlx-lm.server: "local or Claude?" is asked as on a real Mac.
    stack = await startMallexStack({ model: { serial: true } });
    claude = prepareClaudeCode(stack);
  });
  after(async () => {
    await stack?.stop();
  });

  it('answers "what is 2+2" with the local model, from a trimmed prompt', async () => {
    stack.setScript({
      classifyAs: (prompt) => (prompt.includes('2+2') ? 'chit_chat' : 'simple_code'),
      generate: () => textReply('The answer is 4 (local).'),
    });
    const before = stack.generations().length;
    const result = await claude.run(['-p', 'what is 2+2']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'The answer is 4 (local).');
    assert.equal(stack.anthropic.requests.length, 0, 'nothing reached Anthropic');
    const [first] = stack.generations().slice(before);
    assert.ok(first, 'the local model generated the answer');
    assert.match(readUserText(first.body), /what is 2\+2/);
    assert.match(readUserText(first.body), /Always use 2-space indent\./, "the project's CLAUDE.md survives trimming");
    const chars = measurePromptChars(first.body);
    assert.ok(chars <= SMALL_TIER_MAX_CHARS, `the model read ${chars} characters, over the small tier's ${SMALL_TIER_MAX_CHARS}`);
    assert.ok(stack.classifications().some((request) => JSON.stringify(request.body).includes('what is 2+2')), 'the prompt was classified by the local model');
  });

  it('sends a hard question to Anthropic with the tier\'s model and Claude Code\'s own key', async () => {
    stack.setScript({ classifyAs: () => 'hard_question' });
    stack.anthropic.setResponder(() => ({ kind: 'message', content: [{ type: 'text', text: 'Use a lock-free ring buffer (from Claude).' }] }));
    const generationsBefore = stack.generations().length;
    const result = await claude.run(['-p', 'design a lock-free queue for many producers']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'Use a lock-free ring buffer (from Claude).');
    const main = stack.anthropic.requests.find((request) => JSON.stringify(request.body?.messages ?? []).includes('lock-free queue'));
    assert.ok(main, 'the fake Anthropic received the question');
    assert.equal(main.body.model, 'claude-opus-5-5', "tier 3's model");
    assert.equal(main.headers['x-api-key'], CLAUDE_CODE_API_KEY, "Claude Code's key, unchanged");
    assert.equal(main.headers['x-mallex-token'], undefined, "mallex's own token stays in mallex");
    assert.equal(main.headers['x-mallex-internal-token'], undefined);
    assert.equal(stack.generations().length, generationsBefore, 'the local model generated nothing');
  });

  it('moves a "try again" in the same session (--continue) one tier up', async () => {
    stack.setScript({ classifyAs: () => 'simple_code', generate: () => textReply('The capital of Australia is Sydney.') });
    stack.anthropic.setResponder(() => ({ kind: 'message', content: [{ type: 'text', text: 'The capital of Australia is Canberra.' }] }));
    const first = await claude.run(['-p', 'what is the capital of Australia']);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.trim(), 'The capital of Australia is Sydney.', 'tier 1 (local) answered first');

    const claudeBefore = stack.anthropic.requests.length;
    const generationsBefore = stack.generations().length;
    const again = await claude.run(['--continue', '-p', 'that is wrong, try again']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout.trim(), 'The capital of Australia is Canberra.');
    const followUp = stack.anthropic.requests.slice(claudeBefore).find((request) => JSON.stringify(request.body?.messages ?? []).includes('try again'));
    assert.ok(followUp, 'the follow-up reached Claude');
    assert.equal(followUp.body.model, 'claude-sonnet-5-5', 'tier 2, one above the local tier 1');
    assert.match(JSON.stringify(followUp.body.messages), /capital of Australia is Sydney/, 'with the conversation so far');
    assert.equal(stack.generations().length, generationsBefore, 'the local model did not answer again');
  });
});
