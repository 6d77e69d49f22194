import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readAndCheckSse } from '../helpers/check-sse-order.js';
import { createGatewayHeaders, startMallexStack, type MallexStack } from '../helpers/mallex-stack.js';
import { textReply } from '../helpers/model-script.js';
import { runMallex } from '../helpers/run-cli.js';
import { readRequestRecords } from '../../lib/observability/request-log.js';
import { homePaths } from '../../lib/paths.js';

// Issue #8, faults, on the real stack (`mallex up`, pm2) with the fake model
// server in external mode and the fake Anthropic: a translator process
// killed, Anthropic overloaded, a model that never finishes.

const LOCAL_ANSWER = 'local answer';
const CLAUDE_ANSWER = 'answer from Claude';
const STALL_SECONDS = 2;

interface Answer {
  status: number;
  route: string | null;
  reason: string | null;
  body: any;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('faults on the real stack', () => {
  let stack: MallexStack;

  before(async () => {
    stack = await startMallexStack({ config: { translator: { stallTimeoutSeconds: STALL_SECONDS } } });
    stack.anthropic.setResponder(() => ({ kind: 'message', content: [{ type: 'text', text: CLAUDE_ANSWER }] }));
  });
  after(async () => {
    await stack?.stop();
  });

  async function ask(prompt: string, headers = createGatewayHeaders(stack)): Promise<Answer> {
    const response = await fetch(`${stack.gatewayUrl}/v1/messages?beta=true`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'claude-opus-5-5', max_tokens: 64, messages: [{ role: 'user', content: prompt }] }),
      signal: AbortSignal.timeout(20_000),
    });
    return { status: response.status, route: response.headers.get('x-mallex-route'), reason: response.headers.get('x-mallex-reason'), body: await response.json() };
  }

  it('answers through Claude while pm2 restarts a killed translator, then locally again', async () => {
    stack.setScript({ classifyAs: () => 'simple_code', generate: () => textReply(LOCAL_ANSWER) });
    const before = (await stack.readStatus()).services.find((service) => service.service === 'translator')!;
    assert.ok(before.pid);
    process.kill(before.pid, 'SIGKILL');

    // Right after the kill the port is closed: the gateway must not fail the request.
    const during = await ask('rename the helper');
    assert.equal(during.status, 200, JSON.stringify(during.body));
    assert.equal(during.route, 'claude', `served by ${during.route} (${during.reason})`);
    assert.equal(during.body.content[0].text, CLAUDE_ANSWER);

    const withoutCredentials = await ask('rename the helper again', createGatewayHeaders(stack, { 'x-api-key': '' }));
    // Without a credential there is no Claude tier: a 529 while the translator is down, or a wait for the local model.
    if (withoutCredentials.status === 529) assert.equal(withoutCredentials.body.error.type, 'overloaded_error');
    else assert.deepEqual([withoutCredentials.status, withoutCredentials.route, withoutCredentials.body.content?.[0]?.text], [200, 'local', LOCAL_ANSWER], JSON.stringify(withoutCredentials.body));

    let after = before;
    for (let attempt = 0; attempt < 60 && (after.pid === before.pid || after.state !== 'online'); attempt++) {
      await sleep(250);
      after = (await stack.readStatus()).services.find((service) => service.service === 'translator')!;
    }
    assert.equal(after.state, 'online');
    assert.notEqual(after.pid, before.pid, 'pm2 started a new translator');
    assert.ok(after.restarts >= 1);
    assert.deepEqual(await stack.findUnhealthyServices(), []);
    const back = await ask('rename the helper once more');
    assert.equal(back.status, 200);
    assert.equal(back.route, 'local');
    assert.equal(back.body.content[0].text, LOCAL_ANSWER);
  });

  it('falls back to the local model when Anthropic answers 529', async () => {
    stack.setScript({ classifyAs: () => 'hard_question', generate: () => textReply(LOCAL_ANSWER) });
    const claudeBefore = stack.anthropic.requests.length;
    stack.anthropic.enqueue({ kind: 'error', status: 529 }, { kind: 'error', status: 529 });
    const answer = await ask('design a distributed lock service');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.route, 'local');
    assert.equal(answer.reason, 'cloud-fallback');
    assert.equal(answer.body.content[0].text, LOCAL_ANSWER);
    const tried = stack.anthropic.requests.slice(claudeBefore);
    assert.equal(tried.length, 2, 'Claude was tried, and retried once');
    assert.ok(tried.every((request) => request.body.model === 'claude-opus-5-5'));
  });

  it('ends a stream whose model never finishes with an error at the stall limit', async () => {
    stack.setScript({ classifyAs: () => 'simple_code', generate: () => ({ steps: [{ content: 'I am thinking' }], failure: 'never-finish' }) });
    const startedAt = Date.now();
    const response = await fetch(`${stack.gatewayUrl}/v1/messages?beta=true`, {
      method: 'POST',
      headers: createGatewayHeaders(stack),
      body: JSON.stringify({ model: 'claude-opus-5-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'explain the build' }] }),
      signal: AbortSignal.timeout(30_000),
    });
    assert.equal(response.status, 200);
    const check = await readAndCheckSse(response.body!);
    const elapsedMs = Date.now() - startedAt;
    assert.deepEqual(check.violations, []);
    assert.equal(check.text, 'I am thinking', 'what the model said before it stalled reached the client');
    assert.ok(check.errorType, `an error event ended the stream: ${check.events.join(',')}`);
    assert.ok(elapsedMs >= STALL_SECONDS * 1000, `the stall limit, not something else, ended it (${elapsedMs} ms)`);
    const generation = stack.generations().at(-1)!;
    await Promise.race([generation.closed, sleep(5000)]);
    assert.equal(generation.clientClosedEarly, true, 'the stalled upstream request was abandoned');
    assert.deepEqual(await stack.findUnhealthyServices(), []);
  });

  // Last: it stops the stack.
  it('writes the record of a request cut by `mallex down` before the gateway exits', async () => {
    stack.setScript({ classifyAs: () => 'simple_code', generate: () => ({ steps: [{ content: 'still going' }], failure: 'never-finish' }) });
    const response = await fetch(`${stack.gatewayUrl}/v1/messages?beta=true`, {
      method: 'POST',
      headers: createGatewayHeaders(stack, { 'x-claude-code-session-id': 'cut-by-shutdown' }),
      body: JSON.stringify({ model: 'claude-opus-5-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'explain the tests' }] }),
      signal: AbortSignal.timeout(30_000),
    });
    assert.equal(response.status, 200);
    const reading = readAndCheckSse(response.body!).catch(() => null); // the stream is cut: how it ends is not the point here
    const down = await runMallex(['down'], { env: stack.temp.env, timeoutMs: 30_000 });
    assert.equal(down.code, 0, down.stderr);
    await reading;
    const records = await readRequestRecords(homePaths(stack.temp.home).requestLog);
    const record = records.find((candidate) => candidate.session === 'cut-by-shutdown');
    assert.ok(record, `the cut request's record is in requests.jsonl (${records.length} records there)`);
    assert.equal(record.route, 'local');
  });
});
