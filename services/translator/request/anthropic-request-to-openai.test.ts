import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnthropicMessage, AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';
import { loadTestConfig } from '../../../test/integration/translator-harness.js';
import { convertAnthropicRequestToOpenAi, type RequestConversionOptions } from './anthropic-request-to-openai.js';
import { convertAnthropicMessages, describeLeftOut } from './convert-anthropic-messages.js';
import type { LocalPrompt } from '../local-prompt.js';
import { preparePassthroughPrompt } from '../../../test/helpers/prepare-passthrough-prompt.js';

const native = { toolMode: 'native' as const, vision: false };
const options: RequestConversionOptions = { backendKind: 'mlx', model: 'local-model', maxOutputTokens: 8192, vision: false };
const config = loadTestConfig();

function convert(request: Partial<AnthropicMessagesRequest>, conversion: Partial<RequestConversionOptions> = {}) {
  const full = { model: 'claude-x', max_tokens: 100, messages: [], ...request } as AnthropicMessagesRequest;
  return convertAnthropicRequestToOpenAi(full, preparePassthroughPrompt(full, config), { ...options, ...conversion });
}

describe('convertAnthropicMessages', () => {
  const cases: Array<{ name: string; system?: string; messages: AnthropicMessage[]; expected: unknown; warnings?: string[]; vision?: boolean }> = [
    {
      name: 'system first, string and block text',
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: [{ type: 'text', text: 'b' }] }],
      expected: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }],
    },
    {
      name: 'tool_use → tool_calls with JSON string arguments; tool_result → role tool, before the turn text',
      messages: [
        { role: 'assistant', content: [{ type: 'text', text: 'Reading.' }, { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '/a' } }, { type: 'tool_use', id: 'toolu_2', name: 'Noop', input: {} }] },
        { role: 'user', content: [{ type: 'text', text: 'and then?' }, { type: 'tool_result', tool_use_id: 'toolu_1', content: 'file body' }, { type: 'tool_result', tool_use_id: 'toolu_2', is_error: true, content: [{ type: 'text', text: 'no' }, { type: 'text', text: 'such' }] }] },
      ],
      expected: [
        { role: 'assistant', content: 'Reading.', tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'Read', arguments: '{"file_path":"/a"}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'Noop', arguments: '{}' } },
        ] },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'file body' },
        { role: 'tool', tool_call_id: 'toolu_2', content: 'Error: no\n\nsuch' },
        { role: 'user', content: 'and then?' },
      ],
    },
    {
      name: 'an assistant turn of only tool calls has content null',
      messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'X', input: {} }] }],
      expected: [{ role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'X', arguments: '{}' } }] }],
    },
    {
      name: 'thinking dropped, consecutive same-role messages merged',
      messages: [
        { role: 'user', content: 'one' },
        { role: 'user', content: [{ type: 'text', text: 'two' }] },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'secret', signature: 's' }, { type: 'redacted_thinking', data: 'x' }, { type: 'text', text: 'ok' }] },
      ],
      expected: [{ role: 'user', content: 'one\n\ntwo' }, { role: 'assistant', content: 'ok' }],
      warnings: ['thinking block dropped', 'redacted_thinking block dropped'],
    },
    {
      name: 'images and PDFs become notes without vision; text documents stay text',
      messages: [{ role: 'user', content: [
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'AAAA' }, title: 'spec.pdf' },
        { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain words' } },
        { type: 'tool_result', tool_use_id: 't', content: [{ type: 'image', source: {} }, { type: 'tool_reference', tool_name: 'Grep' } as never] },
      ] }],
      expected: [
        { role: 'tool', tool_call_id: 't', content: `${describeLeftOut('image')}\n\n{"type":"tool_reference","tool_name":"Grep"}` },
        { role: 'user', content: `${describeLeftOut('image')}\n\n${describeLeftOut('document', 'spec.pdf')}\n\nplain words` },
      ],
      warnings: ['image replaced by a note (backend.vision is false)', 'image in a tool result replaced by a note'],
    },
    {
      name: 'images as image_url parts with vision',
      vision: true,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }] }],
      expected: [{ role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] }],
    },
    {
      name: 'unknown block types are kept, not lost',
      messages: [{ role: 'user', content: [{ type: 'search_result', title: 'T', text: 'found it' } as never, { type: 'future_block', value: 1 } as never] }],
      expected: [{ role: 'user', content: 'found it\n\n{"type":"future_block","value":1}' }],
      warnings: ['unknown block type search_result kept as text', 'unknown block type future_block kept as text'],
    },
    {
      name: 'a role system message that slipped through is folded into the system message',
      system: 'S',
      messages: [{ role: 'user', content: 'u' }, { role: 'system', content: 'late' }],
      expected: [{ role: 'system', content: 'S\n\nlate' }, { role: 'user', content: 'u' }],
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const result = convertAnthropicMessages(testCase.system ?? '', testCase.messages, { ...native, vision: testCase.vision ?? false });
      assert.deepEqual(result.messages, testCase.expected);
      assert.deepEqual(result.warnings, testCase.warnings ?? []);
    });
  }

  it('in xml mode renders tool_use with the prompt renderer and tool results as text', () => {
    const result = convertAnthropicMessages('', [
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Read', input: { a: 1 } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'body' }] },
    ], { toolMode: 'xml', vision: false, renderToolUse: (block) => `<call ${block.name}/>` });
    assert.deepEqual(result.messages, [
      { role: 'assistant', content: '<call Read/>' },
      { role: 'user', content: '<tool_result tool_use_id="t1">\nbody\n</tool_result>' },
    ]);
  });
});

describe('convertAnthropicRequestToOpenAi', () => {
  it('always streams with usage, omits model for mlx, caps max_tokens and maps sampling fields', () => {
    const { result, warnings } = convert({ max_tokens: 32000, temperature: 0.5, top_p: 0.9, top_k: 20, stop_sequences: ['</done>'], messages: [{ role: 'user', content: 'x' }] });
    assert.deepEqual(result, {
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 8192,
      temperature: 0.5,
      top_p: 0.9,
      top_k: 20,
      stop: ['</done>'],
    });
    assert.deepEqual(warnings, ['max_tokens 32000 capped to 8192']);
  });

  it('sends the configured model to openai backends, and turns thinking off when asked', () => {
    const { result } = convert({ thinking: { type: 'disabled' }, messages: [{ role: 'user', content: 'x' }] }, { backendKind: 'openai' });
    assert.equal(result.model, 'local-model');
    assert.deepEqual(result.chat_template_kwargs, { enable_thinking: false });
  });

  it('names every field it ignores on purpose', () => {
    const { warnings } = convert({
      tool_choice: { type: 'auto' },
      metadata: { user_id: 'u' },
      context_management: {},
      output_config: { effort: 'high' },
      system: [{ type: 'text', text: 's', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral' } }] }],
    });
    assert.deepEqual(warnings, ['tool_choice ignored', 'metadata ignored', 'context_management ignored', 'output_config ignored', 'cache_control ignored (×2)']);
  });

  it('offers tools natively in native mode and not in xml mode', () => {
    const request = { model: 'x', max_tokens: 10, messages: [{ role: 'user' as const, content: 'x' }], tools: [{ name: 'Read', description: 'reads', input_schema: { type: 'object' as const, properties: {} } }] };
    const prompt = preparePassthroughPrompt(request, config);
    assert.deepEqual(convertAnthropicRequestToOpenAi(request, prompt, options).result.tools, [{ type: 'function', function: { name: 'Read', description: 'reads', parameters: { type: 'object', properties: {} } } }]);
    const xmlPrompt: LocalPrompt = { ...prompt, toolMode: 'xml' };
    assert.equal(convertAnthropicRequestToOpenAi(request, xmlPrompt, options).result.tools, undefined);
  });
});
