import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestRecord } from '../../../lib/observability/request-record.js';
import { estimateRequestTokens } from '../../../lib/tokens/measure-request.js';
import type { AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';
import { buildRequestRecord, type RequestSteps, type RoutedDecision } from './gateway-record.js';

const request: AnthropicMessagesRequest = {
  model: 'claude-sonnet-4-5',
  max_tokens: 100,
  system: [{ type: 'text', text: 'You are Claude Code.' }],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'fix the failing test in parser.ts' }] }],
  tools: [{ name: 'Read', description: 'Reads a file', input_schema: { type: 'object', properties: { file_path: { type: 'string' } } } }],
};

const steps = (overrides: Partial<RequestSteps> = {}): RequestSteps => ({
  id: 'req_1',
  startedAt: 1_000,
  session: 'session-1',
  priority: 'foreground',
  localModel: 'local-model',
  classifierMs: null,
  predictedWaitMs: null,
  transcriptAdjustments: [],
  background: null,
  ending: null,
  closedAt: 1_250,
  closedStatus: 499,
  ...overrides,
});

const local: RoutedDecision = { target: 'local', tier: 1, reason: 'classified', category: 'simple_code' };
const escalated: RoutedDecision = { target: 'claude', tier: 3, reason: 'escalation', category: 'try_again', claudeModel: 'claude-opus-4-1' };

describe('buildRequestRecord', () => {
  const cases: { name: string; steps: RequestSteps; expected: Partial<RequestRecord> }[] = [
    {
      name: 'a client that left before anything was sent: unrouted, 499',
      steps: steps(),
      expected: { at: new Date(1_000).toISOString(), route: 'local', tier: 0, reason: 'unrouted', category: null, model: 'local-model', status: 499, durationMs: 250, errorType: null, ttftMs: null, inputTokens: null, outputTokens: null },
    },
    {
      name: 'a local answer: the route, the relay’s numbers, the classification and the prediction',
      steps: steps({ classifierMs: 40, predictedWaitMs: 900, ending: { decision: local, model: 'local-model', status: 200, errorType: null, ttftMs: 120, inputTokens: 300, outputTokens: 20, promptTokensAfter: 280 } }),
      expected: { route: 'local', tier: 1, reason: 'classified', category: 'simple_code', escalated: false, classifierMs: 40, predictedWaitMs: 900, status: 200, ttftMs: 120, inputTokens: 300, outputTokens: 20, promptTokensAfter: 280, promptTokensBefore: estimateRequestTokens(request) },
    },
    {
      name: 'an escalation answered by Claude, with what was changed in the transcript',
      steps: steps({ transcriptAdjustments: ['local-thinking-removed'], ending: { decision: escalated, model: 'claude-opus-4-1', status: 200, errorType: null, ttftMs: 80 } }),
      expected: { route: 'claude', tier: 3, reason: 'escalation', category: 'try_again', model: 'claude-opus-4-1', escalated: true, transcriptAdjustments: ['local-thinking-removed'], promptTokensBefore: null, promptTokensAfter: null },
    },
    {
      name: 'a held failure passed on with the reason nothing else could serve it',
      steps: steps({ ending: { decision: escalated, model: 'claude-opus-4-1', reason: 'local-unavailable', status: 529, errorType: 'overloaded_error' } }),
      expected: { route: 'claude', tier: 3, reason: 'local-unavailable', escalated: true, status: 529, errorType: 'overloaded_error' },
    },
    {
      name: 'the gateway’s own refusal: no route, its reason and status',
      steps: steps({ ending: { decision: null, model: 'local-model', reason: 'server-tool', status: 400, errorType: 'invalid_request_error' } }),
      expected: { route: 'local', tier: 0, reason: 'server-tool', status: 400, errorType: 'invalid_request_error' },
    },
    {
      name: 'a background request the scheduler preempted once, then ran',
      steps: steps({ priority: 'background', background: { schedule: 'preempted', queuedMs: 30, preemptions: 1 }, ending: { decision: { target: 'local', tier: null, reason: 'background', category: null }, model: 'local-model', status: 200, errorType: null } }),
      expected: { priority: 'background', tier: 0, reason: 'background', schedule: 'preempted', queuedMs: 30, preemptions: 1 },
    },
    {
      name: 'a request with nothing passed on that Express answered (a thrown handler)',
      steps: steps({ closedStatus: 500 }),
      expected: { status: 500, schedule: null, preemptions: 0, queuedMs: null },
    },
  ];
  for (const { name, steps: input, expected } of cases) {
    it(name, () => {
      const record = buildRequestRecord(input, request);
      assert.deepEqual(Object.fromEntries(Object.keys(expected).map((key) => [key, record[key as keyof RequestRecord]])), expected);
    });
  }

  it('measures the size before trimming for a request the translator answered', () => {
    const record = buildRequestRecord(steps({ ending: { decision: local, model: 'local-model', status: 200, errorType: null, promptTokensAfter: 20 } }), request);
    assert.equal(record.promptTokensBefore, estimateRequestTokens(request));
    assert.ok(record.promptTokensBefore! > 20);
  });

  it('leaves it empty for Claude, and for a local request the translator never answered', () => {
    const claude = steps({ ending: { decision: escalated, model: 'claude-opus-4-1', status: 200, errorType: null, promptTokensAfter: null } });
    const unanswered = steps({ ending: { decision: local, model: 'local-model', status: 529, errorType: 'overloaded_error' } });
    for (const input of [claude, unanswered]) assert.equal(buildRequestRecord(input, request).promptTokensBefore, null);
  });

  it('never throws on a body it cannot measure', () => {
    const input = steps({ ending: { decision: local, model: 'local-model', status: 200, errorType: null, promptTokensAfter: 5 } });
    const broken = { ...request, messages: [null] } as unknown as AnthropicMessagesRequest;
    assert.equal(buildRequestRecord(input, broken).promptTokensBefore, null);
  });
});
