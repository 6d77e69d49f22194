import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readRequestRecords } from '../../lib/observability/request-log.js';
import type { RequestRecord } from '../../lib/observability/request-record.js';
import { homePaths } from '../../lib/paths.js';
import type { FakeReply } from '../fakes/fake-model-server.js';
import { createGatewayHeaders, startMallexStack, type MallexStack } from '../helpers/mallex-stack.js';
import { textReply } from '../helpers/model-script.js';
import { MALLEX_BIN } from '../helpers/paths.js';
import { createClaudeCodeEnv, prepareClaudeCode, prepareInteractiveHome } from './claude-code-runner.js';
import { startInTmux, type TmuxTerminal } from './tmux-terminal.js';

// Issue #14: the real Claude Code, interactive, started by `mallex` in a real
// terminal (tmux), default tiers (1 local, 2–3 Claude), a local model that
// serves one request at a time and prefills in proportion to the prompt.
// Interactive Claude Code sends a session-title request with every prompt
// (PROTOCOL.md D1), a few milliseconds before it; the title must never
// displace the prompt from the local model.

const PROMPTS = [
  { text: 'name a color', answer: 'LOCAL-ANSWER-COLOR' },
  { text: 'name a fruit', answer: 'LOCAL-ANSWER-FRUIT' },
  { text: 'name an animal', answer: 'LOCAL-ANSWER-ANIMAL' },
];
const BURST = 6;
const BURST_PREFILL_MS = 3000;
/** Characters per second the fake model prefills: a title's 3,300 characters of rules take about a second. */
const PREFILL_CHARS_PER_SECOND = 3000;

function lastUserText(body: any): string {
  const users = (body?.messages ?? []).filter((message: any) => message.role === 'user');
  return JSON.stringify(users.at(-1)?.content ?? '');
}

function answerAsTheModel(body: any): FakeReply {
  const text = lastUserText(body);
  if (text.includes('burst title')) return textReply('{"title": "Burst"}', { prefillMs: BURST_PREFILL_MS });
  if (text.includes('<session>')) return textReply('{"title": "Naming things"}');
  const prompt = PROMPTS.find((candidate) => text.includes(candidate.text));
  return textReply(prompt ? prompt.answer : 'LOCAL-ANSWER-OTHER');
}

/** A background call shaped like Claude Code's session title (Haiku, no tools, a structured answer). */
function sendBackgroundCall(stack: MallexStack, index: number): Promise<number> {
  const body = {
    model: 'claude-haiku-4-5-20251001',
    max_tokens: 100,
    stream: true,
    tools: [],
    messages: [{ role: 'user', content: `<session>\nburst title ${index}\n</session>` }],
    output_config: { format: { type: 'json_schema', schema: { type: 'object', properties: { title: { type: 'string' } } } } },
  };
  return fetch(`${stack.gatewayUrl}/v1/messages?beta=true`, {
    method: 'POST',
    headers: createGatewayHeaders(stack, { 'x-claude-code-session-id': 'burst-session' }),
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  }).then(async (response) => (await response.text(), response.status));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitForRecords(logPath: string, enough: (records: RequestRecord[]) => boolean, timeoutMs: number): Promise<RequestRecord[]> {
  const deadline = Date.now() + timeoutMs;
  let records: RequestRecord[] = [];
  while (Date.now() < deadline) {
    records = await readRequestRecords(logPath).catch(() => []);
    if (enough(records)) return records;
    await sleep(500);
  }
  return records;
}

describe('the real Claude Code, interactive in a terminal, with a serial local model', () => {
  let stack: MallexStack;
  let terminal: TmuxTerminal | undefined;

  before(async () => {
    stack = await startMallexStack({ script: { classifyAs: () => 'simple_code', generate: answerAsTheModel }, model: { serial: true, prefillCharsPerSecond: PREFILL_CHARS_PER_SECOND } });
    stack.anthropic.setResponder(() => ({ kind: 'message', content: [{ type: 'text', text: 'ANSWERED-BY-CLAUDE' }] }));
  });
  after(async () => {
    await terminal?.close();
    await stack?.stop();
  });

  it('answers every simple prompt locally; titles never displace a prompt; the status line shows the prompt\'s route', async () => {
    const claude = prepareClaudeCode(stack);
    prepareInteractiveHome(stack, claude.projectDir);
    const socketDir = path.join(path.dirname(stack.temp.home), 'tmux');
    fs.mkdirSync(socketDir, { recursive: true });
    // As a new user runs it: CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC would also turn off the session titles.
    const { CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: _titlesOff, ...env } = createClaudeCodeEnv(stack);
    terminal = await startInTmux({ command: [process.execPath, MALLEX_BIN], cwd: claude.projectDir, env: { ...env, DISABLE_AUTOUPDATER: '1', TERM: 'xterm-256color' }, socketDir });
    await terminal.waitForScreen(/❯/, 60_000, "Claude Code's prompt");

    // A burst of background calls just before the first prompt: slow ones, on a model that serves one at a time.
    const burst = Array.from({ length: BURST }, (_, index) => sendBackgroundCall(stack, index));
    await sleep(200);

    for (const prompt of PROMPTS) {
      await terminal.type(prompt.text);
      const screen = await terminal.waitForScreen(new RegExp(prompt.answer), 60_000, `the answer to "${prompt.text}"`);
      assert.doesNotMatch(screen, /ANSWERED-BY-CLAUDE/);
      await terminal.waitForScreen(/⚡ local · qwen2\.5-coder-7b · simple_code/, 20_000, 'the status line naming the local route of the prompt');
    }
    const finalScreen = await terminal.readScreen();
    assert.doesNotMatch(finalScreen, /· background/, "the status line never shows a title's route");

    assert.deepEqual(await Promise.all(burst), Array(BURST).fill(200), 'every background call got a valid answer');
    const logPath = homePaths(stack.temp.home).requestLog;
    const bursts = (records: RequestRecord[]) => records.filter((record) => record.session === 'burst-session');
    const titles = (records: RequestRecord[]) => records.filter((record) => record.priority === 'background' && record.session !== 'burst-session');
    // Claude Code asks for a title with a prompt until it has one (PROTOCOL.md D1); the first arrives with the first prompt.
    const records = await waitForRecords(logPath, (all) => titles(all).length >= 1 && bursts(all).length >= BURST, 90_000);

    const prompts = records.filter((record) => record.priority === 'foreground' && record.reason === 'classified');
    assert.equal(prompts.length, PROMPTS.length, JSON.stringify(records, null, 1));
    for (const record of prompts) assert.deepEqual([record.route, record.status], ['local', 200], JSON.stringify(record));
    assert.equal(records.filter((record) => record.reason === 'overflow').length, 0, 'nothing overflowed');
    const summary = records.map(({ priority, reason, route, session, schedule, status, ttftMs }) => ({ priority, reason, route, session, schedule, status, ttftMs }));
    assert.ok(titles(records).length >= 1, `the session's title was answered: ${JSON.stringify(summary)}`);
    for (const record of [...titles(records), ...bursts(records)]) assert.deepEqual([record.route, record.status], ['local', 200], JSON.stringify(record));
    assert.ok(Date.parse(titles(records)[0]!.at) <= Date.parse(prompts[0]!.at), 'the title reached mallex before its prompt, as Claude Code sends it');

    // The first prompt did not wait behind the burst: it stopped the running call and went first.
    const first = prompts[0]!;
    assert.ok(first.ttftMs !== null && first.ttftMs < BURST_PREFILL_MS, `the first prompt's first token after ${first.ttftMs} ms`);
    assert.ok(bursts(records).some((record) => record.schedule === 'preempted'), `a burst call was preempted: ${JSON.stringify(summary)}`);

    // Each prompt reached the local model once, and was answered there.
    for (const prompt of PROMPTS) {
      const generations = stack.generations().filter((request) => lastUserText(request.body).includes(prompt.text) && !lastUserText(request.body).includes('<session>'));
      assert.equal(generations.length, 1, `"${prompt.text}" generated once`);
      assert.equal(generations[0]!.clientClosedEarly, false);
    }
    const claudePrompts = stack.anthropic.requests.filter((request) => PROMPTS.some((prompt) => lastUserText(request.body).includes(prompt.text) && !lastUserText(request.body).includes('<session>')));
    assert.equal(claudePrompts.length, 0, 'no prompt went to Claude');
  });
});
