import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readRequestRecords } from '../../lib/observability/request-log.js';
import type { RequestSummary } from '../../lib/observability/summarize-requests.js';
import { homePaths } from '../../lib/paths.js';
import { runMallex } from '../helpers/run-cli.js';
import {
  appendToolResult,
  appendUserTurn,
  CLIENT_TOKEN,
  createClientHeaders,
  createPromptRequest,
  INTERNAL_TOKEN,
  sendToGateway,
  startRoutingStack,
  waitFor,
  type RoutingStack,
} from './routing-harness.js';

// Known secrets and a known prompt phrase, so every file can be searched for them.
const USER_LOGIN = 'sk-ant-oat01-observability-secret-login';
const PROMPT_PHRASE = 'purple-walrus-observability-phrase';

function readSample(body: string, series: string): number {
  const line = body.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

describe('observability: /metrics, the request log, mallex stats and the status line agree', () => {
  let stack: RoutingStack;
  before(async () => {
    stack = await startRoutingStack({ classifyAs: (prompt) => (prompt.includes('deadlock') ? 'hard_question' : 'chit_chat') });
    const auth = { authorization: `Bearer ${USER_LOGIN}` };
    // Session A: a chit-chat prompt (local), then a hard question (Claude) and its tool-loop continuation (Claude).
    const chat = createPromptRequest(`hello there ${PROMPT_PHRASE}`);
    await sendToGateway(stack, chat, createClientHeaders('session-a', auth));
    const hard = appendUserTurn(chat, 'Hi!', `why does this deadlock? ${PROMPT_PHRASE}`);
    await sendToGateway(stack, hard, createClientHeaders('session-a', auth));
    await sendToGateway(stack, appendToolResult(hard), createClientHeaders('session-a', auth));
    // Session B: one local streaming chat.
    await sendToGateway(stack, createPromptRequest(`good morning ${PROMPT_PHRASE}`, { stream: true }), createClientHeaders('session-b', auth));
    await waitFor(() => stack.records.length === 4, 'four request records');
  });
  after(() => stack.close());

  it('writes one request-log line per request, agreeing with what the fakes received', async () => {
    const records = await readRequestRecords(homePaths(stack.home).requestLog);
    assert.equal(records.length, 4);
    assert.deepEqual(records.map((record) => [record.session, record.route, record.reason]), [
      ['session-a', 'local', 'classified'],
      ['session-a', 'claude', 'classified'],
      ['session-a', 'claude', 'tool-loop'],
      ['session-b', 'local', 'classified'],
    ]);
    assert.equal(stack.generations().length, records.filter((record) => record.route === 'local').length);
    assert.equal(stack.anthropic.requests.length, records.filter((record) => record.route === 'claude').length);
    for (const record of records.filter((candidate) => candidate.route === 'local')) {
      assert.ok(record.promptTokensBefore! > record.promptTokensAfter!, 'the local prompt was trimmed');
    }
  });

  it('serves /metrics (token required) with counts that match the request log exactly', async () => {
    const refused = await fetch(`${stack.gatewayUrl}/metrics`);
    assert.equal(refused.status, 401);
    const response = await fetch(`${stack.gatewayUrl}/metrics`, { headers: { 'x-mallex-token': CLIENT_TOKEN } });
    assert.equal(response.status, 200);
    const body = await response.text();
    assert.equal(readSample(body, 'mallex_requests_total{route="local",tier="1",reason="classified",category="chit_chat"}'), 2);
    assert.equal(readSample(body, 'mallex_requests_total{route="claude",tier="3",reason="classified",category="hard_question"}'), 1);
    assert.equal(readSample(body, 'mallex_requests_total{route="claude",tier="3",reason="tool-loop",category="hard_question"}'), 1);
    assert.equal(readSample(body, 'mallex_classifier_duration_seconds_count'), 3);
    assert.equal(readSample(body, 'mallex_local_in_flight'), 0);
    const records = await readRequestRecords(homePaths(stack.home).requestLog);
    const local = records.filter((record) => record.route === 'local');
    assert.equal(readSample(body, 'mallex_prompt_tokens_total{stage="before"}'), local.reduce((sum, record) => sum + record.promptTokensBefore!, 0));
    assert.equal(readSample(body, 'mallex_prompt_tokens_total{stage="after"}'), local.reduce((sum, record) => sum + record.promptTokensAfter!, 0));
  });

  it('agrees with `mallex stats --json` and `mallex statusline`', async () => {
    const env = { ...process.env, MALLEX_HOME: stack.home };
    const stats = await runMallex(['stats', '--json'], { env });
    assert.equal(stats.code, 0, stats.stderr);
    const summary = JSON.parse(stats.stdout) as RequestSummary;
    assert.equal(summary.total, 4);
    assert.equal(summary.local, 2);
    assert.equal(summary.claude, 2);
    assert.deepEqual(summary.byReason, { classified: 3, 'tool-loop': 1 });
    const metrics = await (await fetch(`${stack.gatewayUrl}/metrics`, { headers: { 'x-mallex-token': CLIENT_TOKEN } })).text();
    assert.equal(summary.promptTokensBefore, readSample(metrics, 'mallex_prompt_tokens_total{stage="before"}'));

    const lineA = await runMallex(['statusline'], { env, input: JSON.stringify({ session_id: 'session-a' }) });
    assert.equal(lineA.stdout, '☁ claude-opus-5-5 · hard_question\n', "session A's last request continued the hard question's tool loop on Claude");
    const lineB = await runMallex(['statusline'], { env, input: JSON.stringify({ session_id: 'session-b' }) });
    assert.equal(lineB.stdout, '⚡ local · qwen2.5-coder-7b · chit_chat\n');
  });

  it('keeps credentials out of every file, and prompt text out of all but the two debug dumps', async () => {
    const paths = homePaths(stack.home);
    await waitFor(() => fs.existsSync(paths.lastRequest) && fs.existsSync(paths.lastTranslated), 'both debug dumps');
    const dumps = [paths.lastRequest, paths.lastTranslated];
    for (const file of listFiles(stack.home)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const secret of [USER_LOGIN, CLIENT_TOKEN, INTERNAL_TOKEN]) assert.equal(text.includes(secret), false, `${path.basename(file)} holds a credential`);
      if (!dumps.includes(file)) assert.equal(text.includes(PROMPT_PHRASE), false, `${path.basename(file)} holds prompt text`);
    }
    const lastRequest = JSON.parse(fs.readFileSync(paths.lastRequest, 'utf8')) as { headers: Record<string, string>; body: { messages: unknown[] } };
    assert.equal(lastRequest.headers.authorization, '[redacted]');
    assert.equal(lastRequest.headers['x-mallex-token'], '[redacted]');
    assert.ok(lastRequest.body.messages.length > 0, 'the dump holds what Claude Code sent');
    const lastTranslated = JSON.parse(fs.readFileSync(paths.lastTranslated, 'utf8')) as { messages: unknown[]; stream: boolean };
    assert.equal(lastTranslated.stream, true, 'the dump holds what the local model received');
  });
});
