import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RequestRecord } from '../../lib/observability/request-record.js';
import { startMallexStack, type MallexStack } from '../helpers/mallex-stack.js';
import { prepareClaudeCode, type ClaudeCodeRunner } from './claude-code-runner.js';

// Issue 15 item 4: errors that mean what they say. A failure of the local
// model server that the same request would meet again reaches the real
// Claude Code as an error that names the cause and that it does not retry
// (a 529 would be retried up to ten times).

const TEMPLATE_ERROR = 'TemplateError: Conversation roles must alternate user/assistant/user/assistant/...';

describe('the real Claude Code through mallex: a model-server failure', () => {
  let stack: MallexStack;
  let claude: ClaudeCodeRunner;

  before(async () => {
    stack = await startMallexStack();
    claude = prepareClaudeCode(stack);
  });
  after(async () => {
    await stack?.stop();
  });

  it('a chat-template error reaches Claude Code as a non-retryable error that names it', async () => {
    const prompt = 'what is 3+3, template check';
    stack.setScript({ classifyAs: () => 'chit_chat', generate: () => ({ failure: 'error-before-first-byte', errorMessage: TEMPLATE_ERROR }) });
    const before = stack.generations().length;
    const startedAt = Date.now();
    const result = await claude.run(['-p', prompt]);
    const output = `${result.stdout}\n${result.stderr}`;
    assert.notEqual(result.code, 0, output);
    assert.match(output, /chat template failed on this request: TemplateError: Conversation roles must alternate/);
    assert.doesNotMatch(output, /overloaded/i);
    // Each request Claude Code made for the prompt was answered 400, none 529, and none went on to Claude.
    await new Promise((resolve) => setTimeout(resolve, 300)); // the gateway writes its records in batches
    const records = fs.readFileSync(path.join(stack.temp.home, 'requests.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as RequestRecord);
    const answered = records.filter((record) => Date.parse(record.at) >= startedAt);
    assert.ok(answered.length > 0, 'the gateway recorded the requests');
    assert.deepEqual([...new Set(answered.map((record) => `${record.route} ${record.status} ${record.errorType}`))], ['local 400 invalid_request_error']);
    assert.equal(stack.anthropic.requests.filter((request) => JSON.stringify(request.body?.messages ?? []).includes(prompt)).length, 0, 'nor was it answered by Claude in its place');
    // Claude Code retries a 529 up to ten times with a backoff that doubles from 0.5 s (PROTOCOL.md B5), over a
    // minute in all. A 400 leaves no such trail (Claude Code 2.1.328 sends a refused request again at once a
    // couple of times, with no backoff): every request came within seconds of the first.
    const times = answered.map((record) => Date.parse(record.at));
    assert.ok(Math.max(...times) - Math.min(...times) < 10_000, `requests spread over ${Math.max(...times) - Math.min(...times)} ms`);
    assert.ok(stack.generations().length - before <= answered.length, 'the model was asked once per request');
  });
});
