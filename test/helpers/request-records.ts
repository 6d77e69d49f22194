import type { RequestRecord } from '../../lib/observability/request-record.js';

/** A plausible request-log record; tests override what they look at. */
export function createRecord(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    at: '2026-11-25T10:00:00.000Z',
    id: 'req_1',
    session: 'session-a',
    route: 'local',
    tier: 1,
    reason: 'classified',
    category: 'simple_code',
    model: 'mlx-community/Qwen2.5-Coder-7B-Instruct-4bit',
    escalated: false,
    classifierMs: 40,
    ttftMs: 300,
    durationMs: 900,
    status: 200,
    inputTokens: 700,
    outputTokens: 20,
    promptTokensBefore: 15000,
    promptTokensAfter: 700,
    errorType: null,
    transcriptAdjustments: [],
    ...overrides,
  };
}
