import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateRequestTokens } from '../../../lib/tokens/measure-request.js';
import type { AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';
import { recordPromptBefore, startRequestRecord } from './gateway-record.js';

const request: AnthropicMessagesRequest = {
  model: 'claude-sonnet-4-5',
  max_tokens: 100,
  system: [{ type: 'text', text: 'You are Claude Code.' }],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'fix the failing test in parser.ts' }] }],
  tools: [{ name: 'Read', description: 'Reads a file', input_schema: { type: 'object', properties: { file_path: { type: 'string' } } } }],
};

const startRecord = () => startRequestRecord({ id: 'req_1', at: new Date(0), session: null, model: 'local-model', priority: 'foreground' });

describe('recordPromptBefore', () => {
  it('measures what Claude Code sent for a request the translator answered', () => {
    const record = { ...startRecord(), route: 'local' as const, promptTokensAfter: 20 };
    recordPromptBefore(record, request);
    assert.equal(record.promptTokensBefore, estimateRequestTokens(request));
    assert.ok(record.promptTokensBefore! > 20);
  });

  it('leaves it empty for Claude, and for a local request the translator never answered', () => {
    const claude = { ...startRecord(), route: 'claude' as const, promptTokensAfter: null };
    const unanswered = { ...startRecord(), route: 'local' as const, promptTokensAfter: null };
    for (const record of [claude, unanswered]) {
      recordPromptBefore(record, request);
      assert.equal(record.promptTokensBefore, null);
    }
  });

  it('never throws on a body it cannot measure', () => {
    const record = { ...startRecord(), route: 'local' as const, promptTokensAfter: 5 };
    assert.doesNotThrow(() => recordPromptBefore(record, { ...request, messages: [null] } as unknown as AnthropicMessagesRequest));
    assert.equal(record.promptTokensBefore, null);
  });
});
