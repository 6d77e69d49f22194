import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { LocalPrompt } from '../../services/translator/local-prompt.js';
import { preparePassthroughPrompt } from '../helpers/prepare-passthrough-prompt.js';
import { homePaths } from '../../lib/paths.js';
import { estimateRequestTokens } from '../../lib/tokens/measure-request.js';
import {
  appendToolResult,
  appendUserTurn,
  createClientHeaders,
  createPromptRequest,
  sendToGateway,
  startRoutingStack,
  waitFor,
  type RoutingStack,
} from './routing-harness.js';

// The local side of routing over real services: gateway → real translator →
// fake mlx-lm.server, the real classifier asking the same fake server, and
// the fake Anthropic for overflow and escalation.

const CHAT = 'how are you doing today?';
const HARD = 'Prove the scheduler is deadlock-free';
const TOO_LONG_MARKER = 'paste of an enormous log';
const TITLE_MARKER = 'Write the title in the predominant language';

/** A session-title request as 2.1.332 sends it with every interactive prompt (PROTOCOL.md D1): Haiku, no tools, naming rules. */
function createTitleRequest(prompt: string) {
  return {
    model: 'claude-haiku-4-5-20251001',
    max_tokens: 8192,
    system: [{ type: 'text', text: 'You are naming a coding session so the user can pick it out of a long list of sessions.' }],
    messages: [{ role: 'user', content: `<session>\n${prompt}\n</session>\n\n${TITLE_MARKER} of the session.` }],
    stream: false,
  };
}

const isTitle = (request: { body: unknown }) => JSON.stringify(request.body).includes('<session>');

/** A translator prompt preparer that finds marked prompts over the local context limit (the seam the trimming preparer uses). */
let tooLongSeenByTranslator = 0;
function prepareWithLimit(...args: Parameters<typeof preparePassthroughPrompt>): LocalPrompt {
  const prompt = preparePassthroughPrompt(...args);
  const overContextLimit = JSON.stringify(args[0].messages).includes(TOO_LONG_MARKER);
  if (overContextLimit) tooLongSeenByTranslator++;
  return { ...prompt, report: { ...prompt.report, overContextLimit } };
}

let stack: RoutingStack;
let generationDelayMs = 0;
let generationNeverEnds = false;
let titleDelayMs = 0;
let titleText = 'Parser refactor';
before(async () => {
  stack = await startRoutingStack({
    classifyAs: (prompt) => (prompt.includes('deadlock') ? 'hard_question' : prompt.includes('refactor') ? 'simple_code' : 'chit_chat'),
    generate: (body) =>
      isTitle({ body })
        ? { steps: [{ content: titleText }], finishReason: 'stop', prefillMs: titleDelayMs }
        : generationNeverEnds
        ? { steps: [{ content: 'partial' }], failure: 'never-finish' }
        : { steps: [{ content: 'local answer' }], finishReason: 'stop', prefillMs: generationDelayMs },
    translatorDeps: { preparePrompt: prepareWithLimit },
  });
});
after(() => stack.close());
beforeEach(() => {
  generationDelayMs = 0;
  generationNeverEnds = false;
  titleDelayMs = 0;
  titleText = 'Parser refactor';
  stack.localState.set({ ready: true, state: 'ready' });
  stack.anthropic.setResponder(() => ({ kind: 'message' }));
});

describe('routing to the local model', () => {
  it('keeps chit-chat local: classified once, answered by the translator, nothing sent to Anthropic', async () => {
    const anthropicBefore = stack.anthropic.requests.length;
    const classifiedBefore = stack.classifierCalls().length;
    const request = createPromptRequest(CHAT);
    const answer = await sendToGateway(stack, request, createClientHeaders('local-chat'));
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual([answer.route, answer.tier, answer.reason, answer.category], ['local', '1', 'classified', 'chit_chat']);
    assert.equal(JSON.parse(answer.text).content[0].text, 'local answer');
    assert.equal(stack.classifierCalls().length - classifiedBefore, 1);
    // The classifier saw only what the user typed, never the reminders.
    assert.match(String(stack.classifierCalls().at(-1)!.body.messages[1].content), /"""\nhow are you doing today\?\n"""/);
    assert.equal(stack.classifierCalls().at(-1)!.body.stream, true, 'classification streams (PROTOCOL.md A7)');
    assert.equal(stack.anthropic.requests.length, anthropicBefore);
    await waitFor(() => stack.records.some((record) => record.session === 'local-chat'), 'the request record');
    const record = stack.records.find((entry) => entry.session === 'local-chat')!;
    assert.deepEqual([record.route, record.tier, record.reason, record.category, record.status], ['local', 1, 'classified', 'chit_chat', 200]);
    assert.equal(record.model, stack.config.model);
    assert.ok((record.promptTokensBefore ?? 0) > 1000, 'the size of what Claude Code sent is recorded');
    assert.equal(record.promptTokensBefore, estimateRequestTokens(request), 'measured by the gateway on the request itself');
    assert.ok(record.promptTokensAfter !== null && record.promptTokensAfter > 0, 'the translator\'s prompt size is recorded');
    assert.ok(record.outputTokens !== null && record.inputTokens !== null);
    await waitFor(() => fs.existsSync(homePaths(stack.home).requestLog) && fs.readFileSync(homePaths(stack.home).requestLog, 'utf8').includes(record.id), 'the record in requests.jsonl');
    const line = fs.readFileSync(homePaths(stack.home).requestLog, 'utf8').split('\n').find((text) => text.includes(record.id))!;
    assert.ok(!line.includes('how are you'), 'no prompt text in the request log');
    assert.equal(JSON.parse(line).route, 'local');
    assert.ok(!stack.logLines.some((text) => text.includes(record.id)), 'requests.jsonl is the one line per request: none on stdout');
  });

  it('streams the local answer through as Anthropic SSE', async () => {
    const answer = await sendToGateway(stack, createPromptRequest(CHAT, { stream: true }), createClientHeaders('local-stream'));
    assert.equal(answer.headers.get('content-type')?.startsWith('text/event-stream'), true);
    assert.match(answer.text, /^event: message_start\n/);
    assert.match(answer.text, /"text":"local answer"/);
    assert.match(answer.text, /event: message_stop/);
  });

  it('escalates "that\'s wrong, try again" one tier up from the local turn, by rule and without the model', async () => {
    const first = createPromptRequest(CHAT);
    await sendToGateway(stack, first, createClientHeaders('local-retry'));
    const classifiedBefore = stack.classifierCalls().length;
    const retry = appendUserTurn(first, 'I am fine.', "that's wrong, try again");
    const answer = await sendToGateway(stack, retry, createClientHeaders('local-retry'));
    assert.deepEqual([answer.route, answer.tier, answer.reason, answer.category], ['claude', '2', 'escalation', 'try_again']);
    assert.equal(stack.anthropic.requests.at(-1)!.body.model, 'claude-sonnet-5-5');
    assert.equal(stack.classifierCalls().length, classifiedBefore, 'answered by the rule');
    const again = await sendToGateway(stack, appendUserTurn(retry, 'Still fine.', 'no, try again'), createClientHeaders('local-retry'));
    assert.deepEqual([again.route, again.tier, again.reason], ['claude', '3', 'escalation']);
    await waitFor(() => stack.records.filter((record) => record.session === 'local-retry').length === 3, 'three records');
    assert.deepEqual(stack.records.filter((record) => record.session === 'local-retry').map((record) => record.escalated), [false, true, true]);
  });

  it('serves four parallel new prompts with one local generation and three overflows to Claude', async () => {
    generationDelayMs = 400;
    const activityBefore = stack.localState.activity.length;
    const prompts = ['refactor a.ts', 'refactor b.ts', 'refactor c.ts', 'refactor d.ts'];
    const answers = await Promise.all(prompts.map((text, index) => sendToGateway(stack, createPromptRequest(text), createClientHeaders(`parallel-${index}`))));
    assert.ok(answers.every((answer) => answer.status === 200));
    const routes = answers.map((answer) => `${answer.route}/${answer.reason}`).sort();
    assert.deepEqual(routes, ['claude/overflow', 'claude/overflow', 'claude/overflow', 'local/classified']);
    assert.ok(answers.filter((answer) => answer.route === 'claude').every((answer) => answer.tier === '2' && answer.category === 'none'));
    // The local in-flight count was reported to the mlx-manager as it changed, and went back to 0.
    assert.ok(stack.localState.activity.slice(activityBefore).includes(1));
    await waitFor(() => stack.localState.activity.at(-1) === 0, 'the local load back at 0');
  });

  it('keeps a local tool loop local while the local model is busy with another session', async () => {
    const first = createPromptRequest('refactor the loop');
    const started = await sendToGateway(stack, first, createClientHeaders('local-loop'));
    assert.equal(started.route, 'local');
    generationDelayMs = 300;
    const generationsBefore = stack.generations().length;
    const pendingOther = sendToGateway(stack, createPromptRequest('refactor e.ts'), createClientHeaders('local-loop-other'));
    await waitFor(() => stack.generations().length > generationsBefore, 'the other session\'s generation');
    const loop = await sendToGateway(stack, appendToolResult(first), createClientHeaders('local-loop'));
    const other = await pendingOther;
    assert.equal(other.route, 'local');
    assert.deepEqual([loop.route, loop.reason], ['local', 'tool-loop']);
  });

  it('does not pass on a background answer cut at its size limit: the fallback answers it whole', async () => {
    titleText = 'x'.repeat(1_200_000);
    const title = await sendToGateway(stack, createTitleRequest('refactor the parser'), createClientHeaders('title-oversized'));
    assert.equal(title.status, 200);
    assert.equal(title.route, 'claude');
    assert.equal(JSON.parse(title.text).type, 'message');
  });

  it('stops a title running on the local model for a new prompt, which is answered locally; the title runs again after it', async () => {
    // The model serves one request at a time: were the title not stopped, the prompt would wait behind it or overflow.
    titleDelayMs = 1500;
    const generationsBefore = stack.generations().length;
    const pendingTitle = sendToGateway(stack, createTitleRequest('refactor the parser'), createClientHeaders('title-preempt'));
    await waitFor(() => stack.generations().slice(generationsBefore).some(isTitle), 'the title on the model');
    const prompt = await sendToGateway(stack, createPromptRequest('refactor the parser'), createClientHeaders('title-preempt'));
    assert.deepEqual([prompt.status, prompt.route, prompt.reason], [200, 'local', 'classified']);
    const title = await pendingTitle;
    assert.deepEqual([title.status, title.route, title.reason], [200, 'local', 'background']);
    assert.equal(JSON.parse(title.text).content[0].text, 'Parser refactor');
    const runs = stack.generations().slice(generationsBefore);
    assert.deepEqual(runs.map((run) => (isTitle(run) ? `title${run.clientClosedEarly ? ' stopped' : ''}` : 'prompt')), ['title stopped', 'prompt', 'title']);
    await waitFor(() => stack.records.filter((record) => record.session === 'title-preempt').length === 2, 'both records');
    const titleRecord = stack.records.find((record) => record.session === 'title-preempt' && record.priority === 'background')!;
    assert.deepEqual([titleRecord.schedule, titleRecord.preemptions], ['preempted', 1]);
  });

  it('stops the local generation when Claude Code disconnects, and frees the local model', async () => {
    generationNeverEnds = true;
    const generationsBefore = stack.generations().length;
    const client = new AbortController();
    const pending = sendToGateway(stack, createPromptRequest(CHAT, { stream: true }), createClientHeaders('local-abort'), { signal: client.signal });
    await waitFor(() => stack.generations().length > generationsBefore, 'the generation');
    client.abort();
    await assert.rejects(pending);
    const generation = stack.generations().at(-1)!;
    await Promise.race([generation.closed, new Promise((_, reject) => setTimeout(() => reject(new Error('model request still open')), 3000))]);
    assert.equal(generation.clientClosedEarly, true);
    await waitFor(() => stack.localState.activity.at(-1) === 0, 'the local load back at 0');
  });

  it('sends a turn that is too long for the local budget to the first Claude tier (reason context)', async () => {
    const answer = await sendToGateway(stack, createPromptRequest(`summarize this ${TOO_LONG_MARKER}`), createClientHeaders('local-too-long'));
    assert.deepEqual([answer.status, answer.route, answer.tier, answer.reason], [200, 'claude', '2', 'context']);
    assert.equal(stack.anthropic.requests.at(-1)!.body.model, 'claude-sonnet-5-5');
  });

  it('remembers a conversation too long for the local model: its next prompt goes to Claude without asking the translator again', async () => {
    const first = createPromptRequest(`look at this ${TOO_LONG_MARKER}`);
    const seenBefore = tooLongSeenByTranslator;
    const answer = await sendToGateway(stack, first, createClientHeaders('remembered-too-long'));
    assert.deepEqual([answer.status, answer.route, answer.reason], [200, 'claude', 'context']);
    assert.equal(tooLongSeenByTranslator, seenBefore + 1);
    const next = await sendToGateway(stack, appendUserTurn(first, 'It is long.', 'and what now?'), createClientHeaders('remembered-too-long'));
    assert.deepEqual([next.status, next.route, next.tier, next.reason], [200, 'claude', '2', 'context']);
    assert.equal(tooLongSeenByTranslator, seenBefore + 1, 'the translator was not asked again');
  });

  it('answers count_tokens locally: nothing reaches Anthropic', async () => {
    const before = stack.anthropic.requests.length;
    const response = await fetch(`${stack.gatewayUrl}/v1/messages/count_tokens?beta=true`, {
      method: 'POST',
      headers: createClientHeaders('count'),
      body: JSON.stringify({ model: 'claude-opus-5-5', messages: [{ role: 'user', content: 'count me' }] }),
    });
    assert.equal(response.status, 200);
    assert.ok(((await response.json()) as { input_tokens: number }).input_tokens > 0);
    assert.equal(stack.anthropic.requests.length, before);
  });

  it('answers the connectivity probes without the token, and refuses messages without it', async () => {
    for (const path of ['/', '/api/hello']) assert.equal((await fetch(`${stack.gatewayUrl}${path}`, { method: 'HEAD' })).status, 200, path);
    const headers = createClientHeaders('no-token');
    delete headers['x-mallex-token'];
    assert.equal((await sendToGateway(stack, createPromptRequest(CHAT), headers)).status, 401);
  });
});

describe('routing without Claude credentials', () => {
  const withoutCredentials = (session: string) => {
    const headers = createClientHeaders(session, {});
    delete headers.authorization;
    return headers;
  };

  it('keeps even a hard question local (reason no-credentials) and never calls Anthropic', async () => {
    const before = stack.anthropic.requests.length;
    const answer = await sendToGateway(stack, createPromptRequest(HARD), withoutCredentials('nocred-hard'));
    assert.deepEqual([answer.status, answer.route, answer.tier, answer.reason, answer.category], [200, 'local', '1', 'no-credentials', 'hard_question']);
    assert.equal(stack.anthropic.requests.length, before);
  });

  it('waits for a local model that becomes ready, then answers locally', async () => {
    stack.localState.set({ ready: false, state: 'idle-stopped' });
    const activityBefore = stack.localState.activity.length;
    setTimeout(() => stack.localState.set({ ready: true, state: 'ready' }), 200);
    const answer = await sendToGateway(stack, createPromptRequest(CHAT), withoutCredentials('nocred-wait'));
    assert.deepEqual([answer.status, answer.route], [200, 'local']);
    // While it waited, the mlx-manager was told a request wants the model (that starts an idle-stopped server).
    assert.equal(stack.localState.activity[activityBefore], 1);
  });

  it('answers 529 overloaded after the bounded wait when the local model stays unavailable', async () => {
    stack.localState.set({ ready: false, state: 'crashed' });
    const startedAt = Date.now();
    const answer = await sendToGateway(stack, createPromptRequest(CHAT), withoutCredentials('nocred-529'));
    assert.equal(answer.status, 529);
    assert.equal(answer.headers.get('x-should-retry'), 'true');
    assert.equal(JSON.parse(answer.text).error.type, 'overloaded_error');
    assert.ok(Date.now() - startedAt < 5000, 'bounded by routing.waitForLocalSeconds');
  });

  it('passes the translator\'s 400 on when a turn is too long and no Claude tier can be used', async () => {
    const answer = await sendToGateway(stack, createPromptRequest(`summarize this ${TOO_LONG_MARKER}`), withoutCredentials('nocred-long'));
    assert.deepEqual([answer.status, answer.route, answer.reason], [400, 'local', 'context']);
    assert.match(JSON.parse(answer.text).error.message, /prompt is too long/);
  });
});

describe('a gateway whose classifier is down', () => {
  it('uses the fallback category instead of failing', async () => {
    const lonely = await startRoutingStack({ classifier: { fallbackCategory: 'hard_question' }, classifierDown: true });
    try {
      const answer = await sendToGateway(lonely, createPromptRequest(CHAT), createClientHeaders('no-classifier'));
      assert.deepEqual([answer.status, answer.route, answer.category], [200, 'claude', 'hard_question']);
    } finally {
      await lonely.close();
    }
  });
});

