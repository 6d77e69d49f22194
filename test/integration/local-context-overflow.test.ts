import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { preparePassthroughPrompt } from '../helpers/prepare-passthrough-prompt.js';
import { appendUserTurn, createClientHeaders, createPromptRequest, sendToGateway, startRoutingStack, type RoutingStack } from './routing-harness.js';

// A prompt the translator's own budget lets through but the model server's
// context does not hold: the server says so (llama.cpp's 400
// exceed_context_size_error; mlx-lm.server has no such check), the translator
// answers as it answers its own too-long, and the gateway sends the turn to
// Claude, or passes the 400 on when it has no Claude credentials.

/** The fake server's context (llama.cpp --ctx-size): above the recorded chat request, below it with a long paste. */
const CONTEXT_TOKENS = 30_000;
const LONG_PASTE = 'log line\n'.repeat(CONTEXT_TOKENS / 2);

let stack: RoutingStack;
before(async () => {
  stack = await startRoutingStack({
    classifyAs: () => 'chit_chat',
    generate: () => ({ contextTokens: CONTEXT_TOKENS, steps: [{ content: 'local answer' }], finishReason: 'stop' }),
    // Nothing trimmed or refused by the translator's budget, and no overflow for the long prefill's predicted wait:
    // only the server's context limits the prompt.
    routing: { maxLocalWaitSeconds: 3600 },
    translatorDeps: { preparePrompt: preparePassthroughPrompt },
  });
});
after(() => stack.close());

function withoutCredentials(session: string): Record<string, string> {
  const headers = createClientHeaders(session, {});
  delete headers.authorization;
  return headers;
}

describe('the model server says the prompt does not fit its context', () => {
  it('a prompt that fits is answered locally', async () => {
    const answer = await sendToGateway(stack, createPromptRequest('how are you?'), createClientHeaders('fits'));
    assert.deepEqual([answer.status, answer.route, answer.reason], [200, 'local', 'classified'], answer.text);
    assert.equal(JSON.parse(answer.text).content[0].text, 'local answer');
  });

  for (const stream of [false, true]) {
    it(`re-routes the turn to the first Claude tier (reason context), and the conversation's next prompt goes there without asking the model (${stream ? 'streaming' : 'non-streaming'})`, async () => {
      const session = `overflow-${stream}`;
      const request = createPromptRequest(`what is wrong here?\n${LONG_PASTE}`, { stream });
      const generationsBefore = stack.generations().length;
      const anthropicBefore = stack.anthropic.requests.length;
      const answer = await sendToGateway(stack, request, createClientHeaders(session));
      assert.deepEqual([answer.status, answer.route, answer.tier, answer.reason], [200, 'claude', '2', 'context'], answer.text);
      assert.equal(stack.generations().length - generationsBefore, 1, 'the model server was asked once and refused');
      assert.equal(stack.anthropic.requests.length - anthropicBefore, 1);
      assert.equal(stack.anthropic.requests.at(-1)!.body.model, 'claude-sonnet-5-5');
      assert.equal(stack.records.at(-1)?.reason, 'context');

      const next = await sendToGateway(stack, appendUserTurn(request, 'It is a long log.', 'and now?'), createClientHeaders(session));
      assert.deepEqual([next.status, next.route, next.reason], [200, 'claude', 'context'], next.text);
      assert.equal(stack.generations().length - generationsBefore, 1, 'the model server was not asked again');
    });
  }

  it('without Claude credentials passes the 400 on, naming the cause', async () => {
    const answer = await sendToGateway(stack, createPromptRequest(`what is wrong here?\n${LONG_PASTE}`), withoutCredentials('overflow-nocred'));
    assert.deepEqual([answer.status, answer.route, answer.reason], [400, 'local', 'context'], answer.text);
    const { error } = JSON.parse(answer.text);
    assert.equal(error.type, 'invalid_request_error');
    assert.match(error.message, /^prompt is too long for the local model's context: request \(\d+ tokens\) exceeds the available context size \(30000 tokens\)/);
  });
});
