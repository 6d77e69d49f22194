import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { RequestRecord } from '../../lib/observability/request-record.js';
import { homePaths } from '../../lib/paths.js';
import type { FakeAnthropicReply, FakeAnthropicRequest } from '../fakes/fake-anthropic-server.js';
import { startMallexStack, type MallexStack } from '../helpers/mallex-stack.js';
import { readClassifiedPrompt, textReply } from '../helpers/model-script.js';
import { prepareClaudeCode, type ClaudeCodeRunner } from './claude-code-runner.js';

// Scenario 4 of issue #8, and issue #14's "the overflow scenarios still hold":
// Claude Code's concurrent work while the local model serves one request at a
// time (routing.localConcurrency 1, and the fake model in serial mode, as
// mlx-lm.server) and is slow to prefill. One request is served locally; the
// others overflow to the first Claude tier instead of waiting behind it.

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

// Sub-agents: the user's prompt goes to Claude, which answers with three
// `Agent` tool_use blocks; 2.1.328 then sends the three sub-agent requests at
// once (PROTOCOL.md C). The first takes the local model; the others must go
// to Claude (reason overflow) at once rather than wait behind it, and the
// main loop must go on with all three results.

const MAIN_PROMPT = 'review the compiler with three sub-agents';
const TASKS = ['inspect the parser module', 'inspect the lexer module', 'inspect the printer module'];
const FINAL_ANSWER = 'All three sub-agents reported back.';
const DEFERRED_TOOLS_PREFIX = 'The following deferred tools';

const localReport = (task: string) => `Local report: ${task} looks fine.`;
const claudeReport = (task: string) => `Claude report: ${task} looks fine.`;

function readText(content: unknown): string {
  if (typeof content === 'string') return content;
  return Array.isArray(content) ? content.map((block) => (block?.type === 'text' ? String(block.text) : '')).join('\n') : '';
}

/** The sub-agent task a conversation runs, from its first user message; undefined for the main loop. */
function findTask(messages: any[]): string | undefined {
  const first = readText(messages.find((message) => message.role === 'user')?.content);
  return TASKS.find((task) => first.includes(task));
}

const hasToolResult = (messages: any[]) => messages.some((message) => Array.isArray(message.content) && message.content.some((block: any) => block.type === 'tool_result'));

/** The gateway's request log (written when each response closes). */
async function readRequestLog(stack: MallexStack, count: number): Promise<RequestRecord[]> {
  const file = homePaths(stack.temp.home).requestLog;
  let lines: string[] = [];
  for (let attempt = 0; attempt < 100; attempt++) {
    lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    if (lines.length >= count) return lines.map((line) => JSON.parse(line) as RequestRecord);
    await sleep(100);
  }
  throw new Error(`the request log did not reach ${count} lines: ${lines.join('\n')}`);
}

describe('the real Claude Code through mallex: sub-agents of a Claude turn while the local model is busy', () => {
  let stack: MallexStack;
  let claude: ClaudeCodeRunner;
  /** When the fake Anthropic received each request. */
  const arrivedAt = new Map<FakeAnthropicRequest, number>();
  /** When the fake model started and finished serving each generation (serial: one at a time). */
  const served: Array<{ startedAt: number; endedAt?: number }> = [];

  before(async () => {
    stack = await startMallexStack({
      script: {
        // The user's prompt is hard (tier 3, Claude); the sub-agents' tasks are simple (tier 1, local).
        classifyAs: (prompt) => (TASKS.some((task) => prompt.includes(task)) ? 'simple_code' : 'hard_question'),
        // A realistic prefill: seconds, in proportion to the prompt, one request at a time.
        generate: (body, record) => {
          const span: (typeof served)[number] = { startedAt: Date.now() };
          served.push(span);
          void record.closed.then(() => (span.endedAt = Date.now()));
          return textReply(localReport(findTask(body.messages) ?? 'nothing'), { prefillMs: 4000, keepalives: 4 });
        },
      },
      model: { serial: true, prefillCharsPerSecond: 20_000 },
    });
    stack.anthropic.setResponder((request): FakeAnthropicReply => {
      arrivedAt.set(request, Date.now());
      const messages: any[] = request.body.messages;
      const task = findTask(messages);
      if (task) return { kind: 'message', content: [{ type: 'text', text: claudeReport(task) }] };
      if (!JSON.stringify(messages).includes(MAIN_PROMPT)) return { kind: 'message', content: [{ type: 'text', text: 'ok' }] };
      if (hasToolResult(messages)) return { kind: 'message', content: [{ type: 'text', text: FINAL_ANSWER }] };
      return {
        kind: 'message',
        content: [
          // Thinking is on in 2.1.328's requests: a tool loop's assistant turn starts with (signed) thinking, or the API refuses it.
          { type: 'thinking', thinking: 'Three independent modules: one sub-agent each.' },
          ...TASKS.map((task, index) => ({
            type: 'tool_use' as const,
            id: `toolu_agent_${index + 1}`,
            name: 'Agent',
            // run_in_background false: the main loop waits for the results (2.1.328 runs agents in the background by default).
            input: { description: `Inspect module ${index + 1}`, prompt: `Please ${task} and report.`, subagent_type: 'general-purpose', run_in_background: false },
          })),
        ],
      };
    });
    claude = prepareClaudeCode(stack);
  });
  after(async () => {
    await stack?.stop();
  });

  it('serves one sub-agent locally and sends the others to Claude at once; the main loop ends with all three results', async () => {
    const result = await claude.run(['-p', MAIN_PROMPT], { timeoutMs: 180_000 });
    assert.equal(result.code, 0, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
    assert.equal(result.stdout.trim(), FINAL_ANSWER);
    assert.deepEqual(stack.anthropic.refusals.map((refusal) => refusal.message), [], 'every transcript was one the real API accepts');

    // Which requests reached Claude: the main loop (twice) and two of the three sub-agents.
    const claudeRequests = stack.anthropic.requests.filter((request) => request.url.split('?')[0] === '/v1/messages');
    const main = claudeRequests.filter((request) => findTask(request.body.messages) === undefined);
    const subAgents = claudeRequests.filter((request) => findTask(request.body.messages) !== undefined);
    assert.equal(subAgents.length, 2, 'two sub-agents went to Claude');
    for (const request of subAgents) {
      assert.equal(request.body.model, 'claude-sonnet-5-5', 'overflow goes to the first Claude tier');
      // What makes them sub-agents of 2.1.328, not prompts of their own: a smaller tool list and the deferred-tools message.
      assert.ok(request.body.tools.length < main[0]!.body.tools.length, 'a sub-agent has fewer tools than the main loop');
      assert.ok(
        request.body.messages.some((message: any) => message.role === 'system' && readText(message.content).startsWith(DEFERRED_TOOLS_PREFIX)),
        'a sub-agent request carries the deferred-tools system message',
      );
    }
    assert.deepEqual(main.map((request) => request.body.model), ['claude-opus-5-5', 'claude-opus-5-5'], 'the hard prompt and its tool loop went to tier 3');

    // The local model: it classified the user's prompt and one sub-agent's task, and generated that one sub-agent's answer.
    const generations = stack.generations();
    assert.equal(generations.length, 1, 'one sub-agent was served locally');
    const localTask = findTask(generations[0]!.body.messages);
    assert.ok(localTask, 'the local generation is a sub-agent');
    const claudeTasks = subAgents.map((request) => findTask(request.body.messages)!);
    assert.deepEqual([localTask, ...claudeTasks].sort(), [...TASKS].sort(), 'each sub-agent was served once');
    const classified = stack.classifications().map((request) => readClassifiedPrompt(request.body));
    assert.equal(classified.length, 2, `only the prompt and the local sub-agent were classified: ${JSON.stringify(classified)}`);
    assert.ok(classified.some((prompt) => prompt.includes(MAIN_PROMPT)) && classified.some((prompt) => prompt.includes(localTask)));

    // None waited behind the local model: both reached Claude while the local sub-agent was still being served.
    // (The overflowed ones never reached the model at all: they were not classified, above.)
    await generations[0]!.closed;
    const [local] = served;
    assert.ok(local?.endedAt !== undefined);
    for (const request of subAgents) {
      const at = arrivedAt.get(request)!;
      assert.ok(at < local.endedAt, `a sub-agent reached Claude ${at - local.endedAt} ms after the local one was served: it waited behind it`);
    }

    // The gateway's own account: one local (classified, tier 1), two overflows, the main loop on tier 3.
    const records = await readRequestLog(stack, 5);
    const routes = records.map((record) => `${record.route}/${record.tier}/${record.reason}`).sort();
    assert.deepEqual(routes, ['claude/2/overflow', 'claude/2/overflow', 'claude/3/classified', 'claude/3/tool-loop', 'local/1/classified']);
    assert.ok(records.every((record) => record.status === 200 && record.priority === 'foreground'));

    // The main loop went on with every sub-agent's result, one of them local.
    const last = main.at(-1)!.body.messages as any[];
    const results = JSON.stringify(last.at(-1).content);
    for (const task of claudeTasks) assert.ok(results.includes(claudeReport(task)), `the result of "${task}" from Claude`);
    assert.ok(results.includes(localReport(localTask)), `the result of "${localTask}" from the local model`);
  });
});
