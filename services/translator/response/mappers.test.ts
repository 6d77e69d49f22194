import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapFinishReason } from './map-finish-reason.js';
import { mapUsage } from './map-usage.js';

describe('mapFinishReason', () => {
  const cases: Array<[string, boolean, string]> = [
    ['stop', false, 'end_turn'],
    ['stop', true, 'tool_use'],
    ['length', false, 'max_tokens'],
    ['length', true, 'max_tokens'],
    ['tool_calls', true, 'tool_use'],
    ['tool_calls', false, 'end_turn'],
    ['tool_call', true, 'tool_use'],
    ['tool_call', false, 'end_turn'],
    ['function_call', true, 'tool_use'],
    ['content_filter', false, 'refusal'],
    ['something_new', false, 'end_turn'],
  ];
  for (const [finishReason, emitted, expected] of cases) {
    it(`${finishReason}${emitted ? ' after a tool call' : ''} → ${expected}`, () => assert.equal(mapFinishReason(finishReason, emitted), expected));
  }
});

describe('mapUsage', () => {
  const estimates = { inputTokens: 50, outputTokens: 7 };
  const cases: Array<[string, Parameters<typeof mapUsage>[0], ReturnType<typeof mapUsage>]> = [
    ['cached part as a cache read', { prompt_tokens: 1200, completion_tokens: 40, prompt_tokens_details: { cached_tokens: 1024 } }, { input_tokens: 176, output_tokens: 40, cache_creation_input_tokens: 0, cache_read_input_tokens: 1024 }],
    ['no details', { prompt_tokens: 10, completion_tokens: 2 }, { input_tokens: 10, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }],
    ['more cached than prompt (clamped)', { prompt_tokens: 5, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 9 } }, { input_tokens: 0, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 5 }],
    ['no usage chunk: estimates', undefined, { input_tokens: 50, output_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }],
  ];
  for (const [name, usage, expected] of cases) it(name, () => assert.deepEqual(mapUsage(usage, estimates), expected));
});
