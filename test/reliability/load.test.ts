import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { readRecordedRequest } from '../helpers/claude-code-fixtures.js';
import { createGatewayHeaders, startMallexStack, type MallexStack } from '../helpers/mallex-stack.js';
import { toMegabytes } from '../helpers/process-memory.js';
import { runConcurrently, sendStreaming, type StreamResult } from '../helpers/stream-client.js';

// Issue #8, load: 1,000 streamed Claude Code 2.1.328 requests from 8
// concurrent clients through the real stack, all served by the local (fake)
// model. Every stream is checked event by event; afterwards every service is
// up, none restarted, and the stack's memory has not grown past 20 MB + 20 %.

const TOTAL = 1000;
const CLIENTS = 8;
const WARM_UP = 40;
const ANSWER = ['Hello', ' from', ' the load', ' test.'];

function describeFailure(result: StreamResult): string {
  return JSON.stringify({ status: result.status, route: result.route, violations: result.check?.violations, error: result.check?.errorType ?? result.errorText });
}

describe('load: 1,000 streamed requests, 8 clients, all local', () => {
  let stack: MallexStack;
  let agent: http.Agent;
  let body: string;
  let headers: Record<string, string>;

  before(async () => {
    stack = await startMallexStack({
      // As many local slots as clients, so nothing needs to overflow; the request log and dumps on, as by default.
      config: { routing: { localConcurrency: CLIENTS }, debug: { dumps: true } },
      script: { classifyAs: () => 'simple_code', generate: () => ({ steps: ANSWER.map((content) => ({ content })), finishReason: 'stop' }) },
    });
    const recorded = readRecordedRequest('2.1.328', 'chat', 1);
    body = JSON.stringify({ ...recorded.body, stream: true });
    const { 'anthropic-beta': beta = '', 'x-claude-code-session-id': session = 'load-session', 'user-agent': userAgent = 'claude-cli' } = recorded.headers;
    // Claude Code's own key is sent too: an overflow to Claude would be possible, and would show.
    headers = createGatewayHeaders(stack, { 'anthropic-beta': beta, 'x-claude-code-session-id': session, 'user-agent': userAgent, 'x-app': 'cli' });
    // Claude Code keeps its connection to the gateway alive between requests.
    agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  });
  after(async () => {
    agent?.destroy();
    await stack?.stop();
  });

  const send = () => sendStreaming({ url: `${stack.gatewayUrl}/v1/messages?beta=true`, body, headers, marker: 'Hello', checkOrder: true, agent });

  it('serves every request locally with a well-ordered stream, and the stack does not grow', async () => {
    await runConcurrently(WARM_UP, CLIENTS, send);
    const memoryBefore = await stack.readMemory();
    const generationsBefore = stack.generations().length;

    const { results, wallMs } = await runConcurrently(TOTAL, CLIENTS, send);
    const failures = results.filter((result) => result.status !== 200 || result.route !== 'local' || result.check?.violations.length !== 0 || result.check.errorType !== null || result.check.text !== ANSWER.join(''));
    assert.deepEqual(failures.slice(0, 5).map(describeFailure), [], `${failures.length} of ${TOTAL} failed`);
    assert.equal(stack.generations().length - generationsBefore, TOTAL, 'each request reached the model exactly once');
    assert.equal(stack.anthropic.requests.length, 0);

    assert.deepEqual(await stack.findUnhealthyServices(), []);
    const status = await stack.readStatus();
    for (const service of status.services) assert.equal(service.restarts, 0, `${service.processName} restarted`);

    const memoryAfter = await stack.readMemory();
    const sum = (memory: typeof memoryBefore) => memory.reduce((total, process) => total + process.pssBytes, 0);
    const before = sum(memoryBefore);
    const limit = before * 1.2 + 20 * 1024 * 1024;
    const detail = memoryAfter.map((process) => `${process.service} ${toMegabytes(memoryBefore.find((old) => old.service === process.service)?.pssBytes ?? 0)} → ${toMegabytes(process.pssBytes)} MB`).join(', ');
    console.log(`# ${TOTAL} requests in ${(wallMs / 1000).toFixed(1)} s (${(TOTAL / (wallMs / 1000)).toFixed(0)}/s); stack PSS ${toMegabytes(before)} → ${toMegabytes(sum(memoryAfter))} MB (${detail})`);
    assert.equal(memoryAfter.length, 4);
    assert.ok(sum(memoryAfter) <= limit, `the stack grew past 20 MB + 20 %: ${detail}`);
  });
});
