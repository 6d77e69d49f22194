import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClientHeaders, createPromptRequest, sendToGateway, startRoutingStack, waitFor, type RoutingStack } from '../../../test/integration/routing-harness.js';

// The request record is built from the steps' outcomes once the response has
// closed and the steps have returned: a client that leaves still gets one.

const HARD = 'Design a lock-free work-stealing scheduler for our runtime';

let stack: RoutingStack;
before(async () => {
  stack = await startRoutingStack({
    classifyAs: (prompt) => (prompt.includes('lock-free') ? 'hard_question' : 'simple_code'),
    generate: () => ({ steps: [{ content: 'still going' }], failure: 'never-finish' }),
  });
});
after(() => stack.close());

const recordOf = (session: string) => stack.records.find((record) => record.session === session);

describe('the record of a request the client left', () => {
  it('is written when Claude Code leaves before Claude answered', async () => {
    stack.anthropic.setResponder(() => ({ kind: 'hang' }));
    const client = new AbortController();
    const pending = sendToGateway(stack, createPromptRequest(HARD, { stream: true }), createClientHeaders('left-before-claude'), { signal: client.signal });
    await waitFor(() => stack.anthropic.requests.at(-1)?.headers['x-claude-code-session-id'] === 'left-before-claude', 'the upstream request');
    client.abort();
    await assert.rejects(pending);
    await waitFor(() => recordOf('left-before-claude') !== undefined, 'the record');
    const record = recordOf('left-before-claude')!;
    assert.equal(record.status, 499);
    assert.equal(record.category, null, 'no answer came, so no route is recorded as the one that answered');
  });

  it('keeps what the local answer showed before Claude Code left mid-stream', async () => {
    const client = new AbortController();
    const response = await fetch(`${stack.gatewayUrl}/v1/messages?beta=true`, {
      method: 'POST',
      headers: createClientHeaders('left-mid-stream'),
      body: JSON.stringify(createPromptRequest('fix the failing test in parser.ts', { stream: true })),
      signal: client.signal,
    });
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('still going')) text += new TextDecoder().decode((await reader.read()).value);
    client.abort();
    await waitFor(() => recordOf('left-mid-stream') !== undefined, 'the record');
    const record = recordOf('left-mid-stream')!;
    assert.equal(record.route, 'local');
    assert.equal(record.reason, 'classified');
    assert.equal(record.category, 'simple_code');
    assert.equal(record.status, 200);
    assert.ok(record.ttftMs !== null && record.ttftMs >= 0);
    assert.ok(record.promptTokensAfter !== null && record.promptTokensBefore! > record.promptTokensAfter);
    assert.ok(record.classifierMs !== null);
  });
});
