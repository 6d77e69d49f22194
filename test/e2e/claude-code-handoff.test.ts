import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { homePaths } from '../../lib/paths.js';
import type { RequestRecord } from '../../lib/observability/request-record.js';
import type { FakeAnthropicRequest } from '../fakes/fake-anthropic-server.js';
import type { FakeReply } from '../fakes/fake-model-server.js';
import { startMallexStack, type MallexStack } from '../helpers/mallex-stack.js';
import { prepareClaudeCode, type ClaudeCodeRunner } from './claude-code-runner.js';

// Issue #15 with the real Claude Code: conversations that move between the
// local model (which reasons, as a reasoning model's `delta.reasoning`) and
// Claude, against a fake Anthropic that refuses what the real API refuses
// (PROTOCOL.md D2). Claude Code recovers from a refusal by resending, so
// "accepted" is checked as: no refusal, and one request for the prompt.

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function includesText(request: FakeAnthropicRequest, text: string): boolean {
  return JSON.stringify(request.body?.messages ?? []).includes(text);
}

function readThinkingBlocks(request: FakeAnthropicRequest): Array<{ thinking: string; signature: string }> {
  return (request.body.messages as Array<{ content: unknown }>).flatMap((message) => (Array.isArray(message.content) ? message.content.filter((block: { type: string }) => block.type === 'thinking') : []));
}

/** The gateway's request log (written when each response closes). */
async function readRequestLog(stack: MallexStack, count: number): Promise<RequestRecord[]> {
  const file = homePaths(stack.temp.home).requestLog;
  for (let attempt = 0; attempt < 50; attempt++) {
    const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    if (lines.length >= count) return lines.map((line) => JSON.parse(line) as RequestRecord);
    await sleep(100);
  }
  throw new Error(`the request log did not reach ${count} lines`);
}

const reasoningReply = (reasoning: string, text: string): FakeReply => ({ steps: [{ reasoning }, { content: text }], finishReason: 'stop' });

describe('the real Claude Code through mallex: handoffs between the local model and Claude', () => {
  let stack: MallexStack;
  let claude: ClaudeCodeRunner;

  before(async () => {
    // A small context for the local model, tool results never shortened: a big file read makes the next step too long for it.
    stack = await startMallexStack({ config: { translator: { budgets: { small: { prefillBudget: 1_000_000, contextLimit: 4000 } } } } });
    claude = prepareClaudeCode(stack);
  });
  after(async () => {
    await stack?.stop();
  });
  beforeEach(() => {
    stack.anthropic.setResponder(() => ({ kind: 'message', content: [{ type: 'text', text: 'Answer from Claude.' }] }));
  });

  it('(a) a local reasoning turn, then "that is wrong, try again": tier 2 accepts it on the first request', async () => {
    stack.setScript({ classifyAs: () => 'simple_code', generate: () => reasoningReply('Australia: the biggest city is Sydney.', 'The capital of Australia is Sydney.') });
    const first = await claude.run(['-p', 'what is the capital of Australia']);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.trim(), 'The capital of Australia is Sydney.');

    stack.anthropic.setResponder(() => ({ kind: 'message', content: [{ type: 'text', text: 'The capital of Australia is Canberra.' }] }));
    const refusalsBefore = stack.anthropic.refusals.length;
    const sentBefore = stack.anthropic.requests.length;
    const again = await claude.run(['--continue', '-p', 'that is wrong, try again']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout.trim(), 'The capital of Australia is Canberra.');
    const refused = stack.anthropic.refusals.slice(refusalsBefore).map((refusal) => refusal.message);
    assert.deepEqual(refused, [], 'Anthropic refused nothing');
    const tryAgain = stack.anthropic.requests.slice(sentBefore).filter((request) => includesText(request, 'try again'));
    assert.equal(tryAgain.length, 1, 'one request, no resend');
    assert.equal(tryAgain[0]!.body.model, 'claude-sonnet-5-5', 'tier 2, one above the local tier 1');
    assert.deepEqual(readThinkingBlocks(tryAgain[0]!), [], 'the local thinking stayed out');
    assert.match(JSON.stringify(tryAgain[0]!.body.messages), /capital of Australia is Sydney/);
    const records = await readRequestLog(stack, 2);
    const escalated = records.find((record) => record.reason === 'escalation')!;
    assert.ok(escalated, JSON.stringify(records));
    assert.ok(escalated.transcriptAdjustments.includes('local-thinking-removed'), "Claude Code sent the local thinking back, and the gateway took it out");
  });

  it("(b) Claude's signed thinking, a local turn, back to Claude: accepted, Claude's block unchanged", async () => {
    stack.setScript({ classifyAs: (prompt) => (prompt.includes('lock-free') ? 'hard_question' : 'chit_chat'), generate: () => reasoningReply('Small talk.', 'I am fine, thanks.') });
    stack.anthropic.setResponder(() => ({ kind: 'message', content: [{ type: 'thinking', thinking: 'A Chase-Lev deque per worker.' }, { type: 'text', text: 'Use work stealing.' }] }));
    const first = await claude.run(['-p', 'design a lock-free scheduler']);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.trim(), 'Use work stealing.');
    const chat = await claude.run(['--continue', '-p', 'thanks! how are you?']);
    assert.equal(chat.code, 0, chat.stderr);
    assert.equal(chat.stdout.trim(), 'I am fine, thanks.', 'the local model answered');

    stack.anthropic.setResponder(() => ({ kind: 'message', content: [{ type: 'text', text: 'Sorry: I am well.' }] }));
    const refusalsBefore = stack.anthropic.refusals.length;
    const sentBefore = stack.anthropic.requests.length;
    const back = await claude.run(['--continue', '-p', 'that is wrong, try again']);
    assert.equal(back.code, 0, back.stderr);
    assert.equal(back.stdout.trim(), 'Sorry: I am well.');
    assert.deepEqual(stack.anthropic.refusals.slice(refusalsBefore).map((refusal) => refusal.message), [], 'Anthropic refused nothing');
    const tryAgain = stack.anthropic.requests.slice(sentBefore).filter((request) => includesText(request, 'try again'));
    assert.equal(tryAgain.length, 1, 'one request, no resend');
    assert.deepEqual(readThinkingBlocks(tryAgain[0]!), [{ type: 'thinking', thinking: 'A Chase-Lev deque per worker.', signature: stack.anthropic.signThinking('A Chase-Lev deque per worker.') }], "Claude's block, as Claude signed it; no local one");
  });

  it('(c) a tool loop whose first step was local and whose next step is too long for it goes to Claude, accepted', async () => {
    const target = path.join(claude.projectDir, 'big.txt');
    fs.writeFileSync(target, Array.from({ length: 600 }, (_, index) => `line ${index}: ${'x'.repeat(60)}`).join('\n'));
    const call = `<tool_call>\n${JSON.stringify({ name: 'Read', arguments: { file_path: target } })}\n</tool_call>`;
    stack.setScript({ classifyAs: () => 'simple_code', generate: () => ({ steps: [{ reasoning: 'Read the file first.' }, { content: `Reading it.\n${call}` }], finishReason: 'stop' }) });
    stack.anthropic.setResponder(() => ({ kind: 'message', content: [{ type: 'text', text: 'big.txt has 600 lines.' }] }));
    const generationsBefore = stack.generations().length;
    const refusalsBefore = stack.anthropic.refusals.length;
    const sentBefore = stack.anthropic.requests.length;
    const result = await claude.run(['-p', 'how many lines does big.txt have', '--allowedTools', 'Read']);
    assert.equal(result.code, 0, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
    assert.equal(result.stdout.trim(), 'big.txt has 600 lines.');
    assert.equal(stack.generations().length, generationsBefore + 1, 'the local model wrote the first step only');
    assert.deepEqual(stack.anthropic.refusals.slice(refusalsBefore).map((refusal) => refusal.message), [], 'Anthropic refused nothing');
    const step = stack.anthropic.requests.slice(sentBefore).filter((request) => includesText(request, 'line 599'));
    assert.equal(step.length, 1, 'one request for the next step, no resend');
    const records = await readRequestLog(stack, 1);
    const moved = records.filter((record) => record.reason === 'context').at(-1)!;
    assert.ok(moved, JSON.stringify(records.slice(-3)));
    assert.ok(moved.transcriptAdjustments.includes('local-thinking-removed'), JSON.stringify(moved));
    // Claude Code sends thinking on: a loop whose last step is local can only be accepted with it off for this request.
    assert.equal(step[0]!.body.thinking === undefined, moved.transcriptAdjustments.includes('thinking-dropped'));
  });
});
